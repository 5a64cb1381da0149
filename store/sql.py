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
