"""What each chat follows (keywords, people, organisations) and how it wants its alerts.

A subscription keeps the words as the person typed them (`term`, shown back to them) and
its match key: the content morphemes of the term, lower-cased and space separated, so
`/subscribe 카카오가` and `/subscribe 카카오` are the same subscription. Matching itself is
in ingest/matching.py; nothing here is a pattern a user can write.

In a forum supergroup a subscription remembers the topic it was made in (`thread_id`),
and the chat's settings the topic /quiet or /digest was set in: alerts go back there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from store.articles import now_kst
from store.engine import Database

MAX_PER_CHAT = 50  # subscriptions one chat may hold


@contextmanager
def transaction(conn: Database) -> Iterator[Database]:
    """BEGIN IMMEDIATE ... COMMIT (the store's connections run in autocommit mode)."""
    with conn.transaction():
        yield conn


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    chat_id: int
    term: str
    match_key: str
    aliases: tuple[str, ...] = ()  # other names of the same person/organisation (folded)
    thread_id: int | None = None  # the forum topic it was made in (None: General)


@dataclass(frozen=True, slots=True)
class AlertSettings:
    quiet_start: int | None = None
    quiet_end: int | None = None
    digest_at: str | None = None  # 'HH:MM'
    thread_id: int | None = None  # the forum topic digests go to (None: General)

    @property
    def quiet(self) -> bool:
        return self.quiet_start is not None and self.quiet_end is not None


ADDED, EXISTS, MOVED, FULL = "added", "exists", "moved", "full"


def add_subscription(
    db: Database, chat_id: int, term: str, match_key: str, aliases: list[str] | None = None,
    thread_id: int | None = None,
) -> str:
    """ADDED, EXISTS (same match key already followed), MOVED (already followed, and now
    alerted into `thread_id` instead of another topic) or FULL (MAX_PER_CHAT reached)."""
    with transaction(db.conn) as conn:
        row = conn.execute(
            "SELECT id, thread_id FROM subscriptions WHERE chat_id = ? AND match_key = ?",
            (chat_id, match_key),
        ).fetchone()
        if row:
            if row[1] == thread_id:
                return EXISTS
            conn.execute("UPDATE subscriptions SET thread_id = ? WHERE id = ?", (thread_id, row[0]))
            return MOVED
        count = conn.execute(
            "SELECT count(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ).fetchone()[0]
        if count >= MAX_PER_CHAT:
            return FULL
        conn.execute(
            "INSERT INTO subscriptions (chat_id, term, match_key, aliases, created_at, thread_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (chat_id, term, match_key, json.dumps(aliases or [], ensure_ascii=False), now_kst(),
             thread_id),
        )
    return ADDED


def remove_subscription(db: Database, chat_id: int, match_key: str) -> str | None:
    """Remove the chat's subscription with this key; returns its term, None if there was none."""
    with transaction(db.conn) as conn:
        row = conn.execute(
            "SELECT term FROM subscriptions WHERE chat_id = ? AND match_key = ?",
            (chat_id, match_key),
        ).fetchone()
        if row:
            conn.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND match_key = ?", (chat_id, match_key)
            )
    return row[0] if row else None


def remove_subscription_by_id(db: Database, chat_id: int, subscription_id: int) -> str | None:
    """Remove by id (the 삭제 button); only a subscription of `chat_id` itself."""
    with transaction(db.conn) as conn:
        row = conn.execute(
            "SELECT term FROM subscriptions WHERE id = ? AND chat_id = ?", (subscription_id, chat_id)
        ).fetchone()
        if row:
            conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
    return row[0] if row else None


def list_subscriptions(db: Database, chat_id: int) -> list[Subscription]:
    rows = db.execute(
        "SELECT id, chat_id, term, match_key, aliases, thread_id FROM subscriptions"
        " WHERE chat_id = ? ORDER BY id",
        [chat_id],
    )
    return [_subscription(r) for r in rows]


def active_subscriptions(conn: Database) -> list[Subscription]:
    """Every subscription of a chat that can still be reached (for the matcher)."""
    rows = conn.execute(
        "SELECT s.id, s.chat_id, s.term, s.match_key, s.aliases, s.thread_id FROM subscriptions s"
        " LEFT JOIN chats c ON c.chat_id = s.chat_id WHERE coalesce(c.active, 1) = 1"
        " ORDER BY s.id"
    )
    return [_subscription(r) for r in rows]


def _subscription(row: tuple) -> Subscription:
    return Subscription(row[0], row[1], row[2], row[3], tuple(json.loads(row[4] or "[]")), row[5])


def alert_settings(db: Database, chat_id: int) -> AlertSettings:
    row = db.execute(
        "SELECT quiet_start, quiet_end, digest_at, thread_id FROM alert_settings"
        " WHERE chat_id = ?", [chat_id]
    ).fetchone()
    return AlertSettings(*row) if row else AlertSettings()


def set_quiet(db: Database, chat_id: int, start: int | None, end: int | None,
              thread_id: int | None = None) -> None:
    """Quiet hours [start, end) in KST, their digest into topic `thread_id`; None, None
    turns them off."""
    db.execute(
        "INSERT INTO alert_settings (chat_id, quiet_start, quiet_end, thread_id)"
        " VALUES (?, ?, ?, ?)"
        " ON CONFLICT(chat_id) DO UPDATE SET quiet_start = excluded.quiet_start,"
        " quiet_end = excluded.quiet_end, thread_id = excluded.thread_id",
        [chat_id, start, end, thread_id],
    )


def set_digest(db: Database, chat_id: int, at: str | None, thread_id: int | None = None) -> None:
    """One daily digest at `at` ('HH:MM' KST) into topic `thread_id`; None goes back to
    immediate alerts."""
    db.execute(
        "INSERT INTO alert_settings (chat_id, digest_at, thread_id) VALUES (?, ?, ?)"
        " ON CONFLICT(chat_id) DO UPDATE SET digest_at = excluded.digest_at,"
        " thread_id = excluded.thread_id",
        [chat_id, at, thread_id],
    )


def leave_topic(db: Database, chat_id: int, thread_id: int) -> int:
    """A forum topic was closed or deleted: what was alerted there goes to General from now
    on. Returns how many subscriptions and settings rows pointed at it."""
    with transaction(db.conn) as conn:
        moved = conn.execute(
            "UPDATE subscriptions SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        ).rowcount
        moved += conn.execute(
            "UPDATE alert_settings SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        ).rowcount
    return moved


def move_chat(conn: Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: its subscriptions and settings follow it.

    Runs inside the caller's transaction. Where the new id already has the same
    subscription (someone subscribed there meanwhile), the new one is kept.
    """
    conn.execute(
        "UPDATE subscriptions SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM"
        " subscriptions s WHERE s.chat_id = ? AND s.match_key = subscriptions.match_key)",
        (new_id, old_id, new_id),
    )
    conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old_id,))
    conn.execute(
        "INSERT OR IGNORE INTO alert_settings (chat_id, quiet_start, quiet_end, digest_at, thread_id)"
        " SELECT ?, quiet_start, quiet_end, digest_at, thread_id FROM alert_settings"
        " WHERE chat_id = ?",
        (new_id, old_id),
    )
    conn.execute("DELETE FROM alert_settings WHERE chat_id = ?", (old_id,))
