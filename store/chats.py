"""What the bot keeps about a chat: its settings, and which articles its answers cited."""

from __future__ import annotations

import json

from store.articles import now_kst
from store.engine import Database, columns, tables
from store.outbox import PENDING, SENDING

OUTBOX_WAITING = "outbox:waiting"  # forget_chat's count of alerts not sent yet

FOLLOWUPS_KEPT = 200  # answers remembered per chat for reply follow-ups


PAGERS_KEPT = 100  # paged lists remembered per chat; older buttons answer "expired"


def save_pager(db: Database, chat_id: int, command: str, args: str) -> int:
    """Remember a paged list's command and arguments; returns the key its buttons carry."""
    with db.conn:
        cur = db.conn.execute(
            "INSERT INTO pagers (chat_id, command, args, created_at) VALUES (?, ?, ?, ?)",
            (chat_id, command, args, now_kst()),
        )
        db.conn.execute(
            "DELETE FROM pagers WHERE chat_id = ? AND id NOT IN"
            " (SELECT id FROM pagers WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
            (chat_id, chat_id, PAGERS_KEPT),
        )
    return int(cur.lastrowid)


def load_pager(db: Database, chat_id: int, pager_id: int) -> tuple[str, str] | None:
    row = db.execute(
        "SELECT command, args FROM pagers WHERE id = ? AND chat_id = ?", [pager_id, chat_id]
    ).fetchone()
    return (row[0], row[1]) if row else None


def touch_chat(db: Database, chat_id: int, chat_type: str = "private", title: str = "") -> None:
    """Record that a chat exists and can be reached (it just wrote to us)."""
    db.execute(
        "INSERT INTO chats (chat_id, chat_type, title, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(chat_id) DO UPDATE SET chat_type=excluded.chat_type,"
        " title=CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END,"
        " active=1",
        [chat_id, chat_type, title, now_kst()],
    )


def set_chat_active(db: Database, chat_id: int, active: bool) -> None:
    """Mark a chat (in)active: inactive chats get no alerts (the bot was removed or blocked)."""
    with db.conn:
        db.execute(
            "INSERT OR IGNORE INTO chats (chat_id, created_at) VALUES (?, ?)", [chat_id, now_kst()]
        )
        db.execute("UPDATE chats SET active = ? WHERE chat_id = ?", [int(active), chat_id])


def remember_answer(db: Database, chat_id: int, message_id: int, article_ids: list[int]) -> None:
    """Keep which articles a sent answer cited, so a reply to it can follow up."""
    if not article_ids:
        return
    with db.conn:
        db.execute(
            "INSERT INTO followups (chat_id, message_id, article_ids, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE"
            " SET article_ids = excluded.article_ids, created_at = excluded.created_at",
            [chat_id, message_id, json.dumps(article_ids[:10]), now_kst()],
        )
        db.execute(
            "DELETE FROM followups WHERE chat_id = ? AND message_id NOT IN"
            " (SELECT message_id FROM followups WHERE chat_id = ?"
            "  ORDER BY message_id DESC LIMIT ?)",
            [chat_id, chat_id, FOLLOWUPS_KEPT],
        )


def articles_of_answer(db: Database, chat_id: int, message_id: int) -> list[int]:
    """The articles a message of the bot was about, in the order it listed them: an
    answer's cited articles, or an alert's (a bundle's items in their numbered order)."""
    row = db.execute(
        "SELECT article_ids FROM followups WHERE chat_id = ? AND message_id = ?",
        [chat_id, message_id],
    ).fetchone()
    if row:
        return json.loads(row[0])
    rows = db.execute(
        "SELECT article_id FROM outbox WHERE chat_id = ? AND message_id = ? ORDER BY id",
        [chat_id, message_id],
    )
    return list(dict.fromkeys(r[0] for r in rows))


def last_answer_articles(db: Database, chat_id: int) -> list[int]:
    """The articles of the bot's newest message in a chat that showed some (an answer, a
    list, an alert or a bundle): what '2번 자세히' sent without a reply points at."""
    row = db.execute(
        "SELECT max(m) FROM (SELECT max(message_id) AS m FROM followups WHERE chat_id = ?"
        " UNION ALL SELECT max(message_id) FROM outbox WHERE chat_id = ?) newest",
        [chat_id, chat_id],
    ).fetchone()
    return articles_of_answer(db, chat_id, row[0]) if row and row[0] is not None else []


def forget_chat(db: Database, chat_id: int) -> dict[str, int]:
    """Delete everything kept about a chat; returns rows deleted per table.

    Every table with a chat_id column is included, so data that later features keep per
    chat (subscriptions, pending alerts, ...) is forgotten without this function changing.
    The outbox is counted in two: alerts still waiting (OUTBOX_WAITING) and the rest, the
    record of alerts sent or given up ('outbox').
    """
    deleted: dict[str, int] = {}
    with db.conn:
        for table in tables(db):
            if "chat_id" not in columns(db, table):
                continue
            if table == "outbox":  # alerts still waiting, and the record of those sent
                waiting = db.conn.execute(
                    "SELECT count(*) FROM outbox WHERE chat_id = ? AND status IN (?, ?)",
                    (chat_id, PENDING, SENDING),
                ).fetchone()[0]
                if waiting:
                    deleted[OUTBOX_WAITING] = waiting
            count = db.conn.execute(f'DELETE FROM "{table}" WHERE chat_id = ?', (chat_id,)).rowcount
            if table == "outbox":
                count -= deleted.get(OUTBOX_WAITING, 0)
            if count:
                deleted[table] = count
    return deleted
