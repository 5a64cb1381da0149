"""SQL helpers that the migrations and the table modules share; below both, so neither
imports the other for them."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database


def run_script(db: Database, sql: str) -> None:
    """Run several statements inside the caller's transaction.

    sqlite3's executescript() would COMMIT first and end that transaction, so the script
    is split into complete statements (trigger bodies included) and run one by one.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")


def add_column(db: Database, table: str, column: str, declaration: str) -> None:
    """ALTER TABLE ... ADD COLUMN, unless the table has that column already (a store taken
    back to an earlier version and migrated again keeps its columns)."""
    if column not in {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}:
        db.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
