"""Opening the store: a SQLite file in WAL mode, or a PostgreSQL database, migrated to the
newest schema."""

from __future__ import annotations

from pathlib import Path

from store.engine import Database, check_postgres, connect
from store.engine import schema_version as _schema_version
from store.migrations import migrate


def open_db(target: str | Path, *, migrate_schema: bool = True) -> Database:
    """Open (creating if needed) the store at `target` and bring its schema up to date.

    `target` is what NEWSMATE_DB holds: a file path (SQLite) or a postgresql:// URL.
    """
    db = connect(target)
    check_postgres(db)
    if migrate_schema:
        migrate(db)
    return db


def schema_version(db: Database) -> int:
    return _schema_version(db)
