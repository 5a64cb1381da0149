"""Store queries for summaries: an article's analysed sentences, what arrived since a time,
and when a chat last asked for a catch-up summary."""

from __future__ import annotations

from store.articles import ARTICLE_COLUMNS, Article, SentenceRow, now_kst
from store.chats import touch_chat
from store.engine import Database


def sentence_rows(db: Database, article_id: int) -> list[SentenceRow]:
    """The sentences of an article with their stored content morphemes, in body order."""
    rows = db.execute(
        "SELECT position, paragraph, text, morphs FROM sentences WHERE article_id = ?"
        " ORDER BY position",
        [article_id],
    )
    return [SentenceRow(*r) for r in rows]


def article_id_by_source(db: Database, source_id: str) -> int | None:
    """The store id of the article a corpus line (its `id`) was ingested as."""
    row = db.execute(
        "SELECT id FROM articles WHERE source_id = ? ORDER BY id LIMIT 1", [source_id]
    ).fetchone()
    return row[0] if row else None


def articles_ingested_since(db: Database, since: str, limit: int = 20) -> list[Article]:
    """The stories that got articles after `since` (ISO 8601 KST, as now_kst writes it),
    newest first, each as the newest of its articles that arrived.

    Arrival is ingested_at, not published_at: a catch-up is about what the chat has not seen
    yet, and an old article ingested late is still new to it. Times have whole seconds, so an
    article written in the very second of a catch-up but after it is not shown later; showing
    everything from that second again instead would repeat whole ingest batches.
    """
    rows = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN"
        " (SELECT max(id) FROM articles WHERE ingested_at > ? GROUP BY story_id)"
        " ORDER BY ingested_at DESC, id DESC LIMIT ?",
        [since, limit],
    )
    return [Article(*r) for r in rows]


def count_ingested_since(db: Database, since: str) -> int:
    """How many stories got articles after `since`."""
    return db.execute(
        "SELECT count(DISTINCT story_id) FROM articles WHERE ingested_at > ?", [since]
    ).fetchone()[0]


def newest_ingested(db: Database, limit: int = 5) -> list[Article]:
    """The stories that got articles most recently, newest first, each as its newest."""
    rows = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN"
        " (SELECT max(id) FROM articles GROUP BY story_id)"
        " ORDER BY ingested_at DESC, id DESC LIMIT ?",
        [limit],
    )
    return [Article(*r) for r in rows]


def last_summary_at(db: Database, chat_id: int) -> str | None:
    row = db.execute("SELECT last_summary_at FROM chats WHERE chat_id = ?", [chat_id]).fetchone()
    return row[0] if row else None


def mark_summarized(
    db: Database, chat_id: int, chat_type: str = "private", when: str | None = None
) -> str:
    """Record that `chat_id` was caught up at `when` (now by default); returns the time."""
    when = when or now_kst()
    # touch_chat only for a chat we have not seen: it would also overwrite a known title.
    if db.execute("SELECT 1 FROM chats WHERE chat_id = ?", [chat_id]).fetchone() is None:
        touch_chat(db, chat_id, chat_type)
    db.execute("UPDATE chats SET last_summary_at = ? WHERE chat_id = ?", [when, chat_id])
    return when
