"""Opening the store: one SQLite file in WAL mode, migrated to the newest schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from store.migrations import migrate


def open_db(path: str | Path, *, migrate_schema: bool = True) -> Database:
    """Open (creating if needed) the store at `path` and bring its schema up to date.

    WAL lets the bot read while a separate `newsmate ingest` process writes; the busy
    timeout makes a writer wait for the other instead of failing at once.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: the bot runs store calls in a worker thread; each
    # connection is still used by one thread at a time (see handlers.services).
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
    db = Database(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    if migrate_schema:
        migrate(db)
    return db


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]
