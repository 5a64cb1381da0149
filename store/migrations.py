"""Numbered schema migrations; PRAGMA user_version records how far a store has come.

Each migration runs in its own transaction together with the version bump, so a store is
never left half-migrated. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

# FTS5 over space-separated Kiwi morphemes. unicode61 splits on the spaces we put there
# and keeps Hangul syllables whole; diacritics removal is off because it is meant for Latin.
FTS_TOKENIZE = "unicode61 remove_diacritics 0"


def _v1_articles(db: Database) -> None:
    run_script(
        db,
        f"""
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            article_key TEXT NOT NULL UNIQUE,   -- 'id:<source id>' or 'url:<canonical url>'
            source_id TEXT,
            url TEXT NOT NULL,
            canonical_url TEXT NOT NULL,
            title TEXT NOT NULL,
            title_morphs TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            published_at TEXT,                  -- ISO 8601 in KST, or NULL when unknown
            ingested_at TEXT NOT NULL,
            body TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dup_of INTEGER REFERENCES articles(id) ON DELETE SET NULL
        );
        CREATE INDEX articles_canonical_url ON articles(canonical_url);
        CREATE INDEX articles_published_at ON articles(published_at);

        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,          -- 0-based order in the body
            paragraph INTEGER NOT NULL,
            text TEXT NOT NULL,
            morphs TEXT NOT NULL,               -- content morphemes, space separated
            UNIQUE (article_id, position)
        );

        -- Sentence index: external content kept in step by triggers, so an article's
        -- sentences and their index rows are written by the same statements.
        CREATE VIRTUAL TABLE sentences_fts USING fts5(
            morphs, content='sentences', content_rowid='id', tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
            INSERT INTO sentences_fts(rowid, morphs) VALUES (new.id, new.morphs);
        END;
        CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
            INSERT INTO sentences_fts(sentences_fts, rowid, morphs)
            VALUES ('delete', old.id, old.morphs);
        END;

        -- Article index: title and body morphemes, rowid = articles.id.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, tokenize='{FTS_TOKENIZE}'
        );
        """
    )


def _v2_chats(db: Database) -> None:
    from store import chats

    chats.create_tables(db)


def _v3_pagers(db: Database) -> None:
    from store import chats

    chats.create_pager_table(db)


def _v4_feeds(db: Database) -> None:
    from store import feeds

    feeds.create_tables(db)


def _v5_facts(db: Database) -> None:
    from store import facts

    facts.create_tables(db)


def _v6_alerts(db: Database) -> None:
    from store import outbox, subscriptions

    subscriptions.create_tables(db)
    outbox.create_tables(db)


def _v7_dedup_bands(db: Database) -> None:
    from store import dedup

    dedup.create_tables(db.conn)


def _v8_term_counts(db: Database) -> None:
    from store import term_counts

    term_counts.create_tables(db.conn)
    term_counts.fill(db.conn)


# The position in this list is the schema version. Append only.
MIGRATIONS: list[Callable[[Database], None]] = [
    _v1_articles, _v2_chats, _v3_pagers, _v4_feeds, _v5_facts, _v6_alerts, _v7_dedup_bands,
    _v8_term_counts,
]


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


def migrate(db: Database) -> int:
    """Apply every migration the store has not had yet; returns the new version."""
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                conn.execute("COMMIT")
                continue
            migration(db)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = number
    return version
