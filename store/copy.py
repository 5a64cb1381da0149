"""Copying a whole store to another engine (`newsmate migrate-store SOURCE TARGET`).

Both stores are brought to the newest schema first, so they have the same tables. Tables
go over in creation order (a table before the ones that point at it), rows in key order,
in batches; each batch is written in one target transaction together with how far the
copy has come (newsmate_copy_progress), so a copy that was stopped picks up after its last
whole batch. A table without a primary key is copied whole in one transaction. The search
index is built by the target as rows arrive (FTS5 triggers, or tsvector triggers), and at
the end every table's row count is compared. Stop the bot and the ingest workers first:
rows written to the source during the copy may be missed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from store.engine import Database, columns, primary_key, reset_identity, schema_version, tables

log = logging.getLogger(__name__)

BATCH = 2000
PROGRESS = "newsmate_copy_progress"


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


def _quoted(name: str) -> str:
    return '"' + name + '"'


def _ensure_progress(target: Database) -> None:
    target.execute(
        f"CREATE TABLE IF NOT EXISTS {PROGRESS}"
        " (name TEXT PRIMARY KEY, last_key TEXT, done INTEGER NOT NULL DEFAULT 0)"
    )


def _progress(target: Database, table: str) -> tuple[list | None, bool]:
    row = target.execute(f"SELECT last_key, done FROM {PROGRESS} WHERE name = ?", [table]).fetchone()
    if row is None:
        return None, False
    return (json.loads(row[0]) if row[0] else None), bool(row[1])


def _record(target: Database, table: str, last_key: list | None, done: bool) -> None:
    target.execute(
        f"INSERT INTO {PROGRESS} (name, last_key, done) VALUES (?, ?, ?) ON CONFLICT (name)"
        " DO UPDATE SET last_key = excluded.last_key, done = excluded.done",
        [table, json.dumps(last_key, ensure_ascii=False) if last_key is not None else None,
         int(done)],
    )


def copy_store(
    source: Database, target: Database, on_batch: Callable[[str, int], None] | None = None,
    batch: int = BATCH,
) -> list[TableCount]:
    """Copy every row of `source` into `target` (resuming an earlier copy); returns the row
    counts of both per table."""
    if schema_version(source) != schema_version(target):
        raise ValueError("the two stores are at different schema versions")
    missing = [t for t in tables(source) if t not in tables(target)]
    if missing:
        raise ValueError(f"the target store has no table {', '.join(missing)}")
    _ensure_progress(target)
    for table in tables(source):
        _copy_table(source, target, table, batch, on_batch)
    return count_rows(source, target)


def _copy_table(source: Database, target: Database, table: str, batch: int,
                on_batch: Callable[[str, int], None] | None) -> None:
    last, done = _progress(target, table)
    if done:
        return
    cols = columns(source, table)
    key = primary_key(source, table)
    col_list = ", ".join(_quoted(c) for c in cols)
    insert = (f"INSERT INTO {_quoted(table)} ({col_list}) VALUES"
              f" ({', '.join('?' * len(cols))})")
    if not key:
        # No key to resume by: the whole table in one transaction, started over if cut off.
        with target.transaction():
            target.execute(f"DELETE FROM {_quoted(table)}")
            rows = source.execute(f"SELECT {col_list} FROM {_quoted(table)}").fetchall()
            target.executemany(insert, rows)
            _record(target, table, None, True)
        if on_batch:
            on_batch(table, len(rows))
        return
    key_list = ", ".join(_quoted(c) for c in key)
    at = [cols.index(k) for k in key]
    while True:
        where = ""
        args: list = []
        if last is not None:
            where = f" WHERE ({key_list}) > ({', '.join('?' * len(key))})"
            args = list(last)
        rows = source.execute(
            f"SELECT {col_list} FROM {_quoted(table)}{where} ORDER BY {key_list} LIMIT ?",
            [*args, batch],
        ).fetchall()
        finished = len(rows) < batch
        with target.transaction():
            target.executemany(insert, rows)
            if rows:
                last = [rows[-1][i] for i in at]
            _record(target, table, last, finished)
        if on_batch and rows:
            on_batch(table, len(rows))
        if finished:
            break
    if len(key) == 1:
        reset_identity(target, table, key[0])


def count_rows(source: Database, target: Database) -> list[TableCount]:
    return [
        TableCount(t, source.execute(f"SELECT count(*) FROM {_quoted(t)}").fetchone()[0],
                   target.execute(f"SELECT count(*) FROM {_quoted(t)}").fetchone()[0])
        for t in tables(source)
    ]
