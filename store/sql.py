"""SQL helpers that the migrations and the table modules share; below both, so neither
imports the other for them."""

from __future__ import annotations

from store.engine import Database, columns
from store.engine import run_script as _run_script


def run_script(db: Database, sql: str) -> None:
    """Run several statements inside the caller's transaction.

    sqlite3's executescript() would COMMIT first and end that transaction, so the script
    is split into complete statements (trigger bodies included) and run one by one; on
    PostgreSQL each is given PostgreSQL's types (store/engine.py).
    """
    _run_script(db, sql)


def add_column(db: Database, table: str, column: str, declaration: str) -> None:
    """ALTER TABLE ... ADD COLUMN, unless the table has that column already (a store taken
    back to an earlier version and migrated again keeps its columns)."""
    if column not in columns(db, table):
        _run_script(db, f"ALTER TABLE {table} ADD COLUMN {column} {declaration};")
