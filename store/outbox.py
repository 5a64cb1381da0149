"""The alert outbox: one row per (chat, story) to deliver, durable across crashes, and at
most two updates a day per (chat, story) when later articles of it bring a new fact.

Rows are written by the matcher in the same transaction as their article (so an article
is never stored without its alerts, or the other way round), by whichever process ingests
it; the delivery loop of `newsmate bot` polls for them.

Life of a row::

    pending --claim--> sending --ok--> sent
       ^                  |----------> dropped    (403, chat gone: the chat is made inactive)
       |                  |----------> failed     (a permanent 400, or retries exhausted)
       +---- release -----+                       (429, 5xx, timeouts: back-off, then again)
    pending ------------------------> duplicate  (an alert of a story the chat already has)

A stub's alert (a 속보 line, a live link, a caption) is written ready STUB_HOLD seconds later
(`not_before`), and a full report of its story arriving meanwhile takes its place.

A chat gets one 'alert' row per story: a later article of a story the chat has a live row
for (pending, sending or sent) writes none, unless it brings a new fact (a new amount, date
or quote: `note`), which writes one 'update' row, at most UPDATES_A_DAY in 24 hours and
only once the alert itself went out. These checks run inside the article's write
transaction, which is serialised (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL: store.articles.write_article), so two articles of one story ingested at once,
by two workers too, still make one alert row. When stories merge (store.stories), their
rows follow and a second waiting alert of the merged story becomes 'duplicate' when
claimed. UNIQUE (chat_id, article_id) still makes a second match of the same article a
no-op. `sending` is committed BEFORE the HTTP request and `sent` after it, so a crash in between leaves the row in
`sending`; only a delivery loop holding the lease (below) turns another, dead loop's
`sending` rows back into `pending`. See bot/delivery.py for what that means for duplicates.

On PostgreSQL, where ingest workers and bots run as several processes on several machines,
`claim` passes over rows another transaction holds (FOR UPDATE SKIP LOCKED), taking the
lease is serialised by an advisory lock, and `enqueue` NOTIFYs the sender (CHANNEL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from store.articles import now_kst
from store.engine import Database, notify, skip_locked
from store.subscriptions import AlertSettings, transaction
from store.subscriptions import move_chat as move_subscriptions

PENDING, SENDING, SENT = "pending", "sending", "sent"
ALERT, UPDATE = "alert", "update"  # kinds of row
UPDATES_A_DAY = 2  # update rows a chat may get per story in 24 hours
# Seconds a stub's alert waits for its full report: on the dev days a 속보 line's or a live
# link's report came 2 to 10 minutes after it.
STUB_HOLD = 600.0
DROPPED, FAILED, DUPLICATE = "dropped", "failed", "duplicate"
LIVE = (PENDING, SENDING, SENT)  # rows that stand for an alert the chat gets (or got)
CHANNEL = "newsmate_outbox"  # NOTIFY channel of new rows (PostgreSQL)


# -- writing matches (inside the article's transaction) -----------------------------------


def alerted_chats(conn: Database, story_id: int, chat_ids: list[int]) -> set[int]:
    """Which of `chat_ids` have a live alert row for the story already."""
    if not chat_ids:
        return set()
    marks = ",".join("?" * len(chat_ids))
    rows = conn.execute(
        f"SELECT DISTINCT chat_id FROM outbox WHERE story_id = ? AND kind = ?"
        f" AND status IN (?, ?, ?) AND chat_id IN ({marks})",
        (story_id, ALERT, *LIVE, *chat_ids),
    )
    return {r[0] for r in rows}


def enqueue(
    conn: Database, article_id: int, story_id: int, matches: list[tuple[int, str]],
    now: float, note: str = "", stub: bool = False,
) -> int:
    """Queue one alert per (chat, term) match whose chat has none for this story yet, and an
    update for the others when `note` (the article's new fact) is given and the chat may
    have one; runs inside the caller's transaction. Returns the number of rows written.

    A `stub` (a 속보 line, a live link, a photo caption: no full report) alerts STUB_HOLD
    seconds later, and a full report of its story arriving meanwhile takes its place in
    the waiting alert, which then goes at once: the chat gets the story once, with the
    report, instead of a one-line alert and a second one when the report is grouped with
    it only later."""
    written = 0
    for chat_id, term in matches:
        cur = conn.execute(
            "INSERT INTO outbox (chat_id, article_id, story_id, term, created_at, kind, not_before)"
            " SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM outbox"
            "  WHERE chat_id = ? AND story_id = ? AND kind = ? AND status IN (?, ?, ?))"
            " ON CONFLICT DO NOTHING",
            (chat_id, article_id, story_id, term, now, ALERT, now + STUB_HOLD if stub else 0.0,
             chat_id, story_id, ALERT, *LIVE),
        )
        if not cur.rowcount and not stub and _replace_held(conn, chat_id, story_id, article_id, term):
            continue
        if cur.rowcount or not note:
            written += cur.rowcount
            continue
        # The chat knows the story: a new fact may be an update, once its alert went out.
        cur = conn.execute(
            "INSERT INTO outbox (chat_id, article_id, story_id, term, created_at, kind, note)"
            " SELECT ?, ?, ?, ?, ?, ?, ?"
            " WHERE EXISTS (SELECT 1 FROM outbox WHERE chat_id = ? AND story_id = ? AND kind = ?"
            "  AND status = ?)"
            " AND (SELECT count(*) FROM outbox WHERE chat_id = ? AND story_id = ? AND kind = ?"
            "  AND status IN (?, ?, ?) AND created_at > ?) < ?"
            " ON CONFLICT DO NOTHING",
            (chat_id, article_id, story_id, term, now, UPDATE, note,
             chat_id, story_id, ALERT, SENT,
             chat_id, story_id, UPDATE, *LIVE, now - 86400, UPDATES_A_DAY),
        )
        written += cur.rowcount
    if written:
        notify(conn, CHANNEL)  # a bot on PostgreSQL sends at once, without waiting for its poll
    return written


def _replace_held(conn: Database, chat_id: int, story_id: int, article_id: int, term: str) -> bool:
    """A full report takes the place of its story's stub in a chat's held alert (still
    waiting out STUB_HOLD, never tried), which becomes ready at once. Stories merged while
    two stubs waited leave two such alerts: the first takes the report (a chat and an
    article make one row), and claim() finds the second a duplicate."""
    cur = conn.execute(
        "UPDATE outbox SET article_id = ?, term = ?, not_before = 0 WHERE id = (SELECT min(id)"
        " FROM outbox WHERE chat_id = ? AND story_id = ? AND kind = ? AND status = ?"
        " AND attempts = 0 AND not_before > created_at)",
        (article_id, term, chat_id, story_id, ALERT, PENDING),
    )
    return bool(cur.rowcount)


# -- what the delivery loop reads ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingChat:
    """A chat with alerts waiting, and what decides when they go out."""

    chat_id: int
    count: int
    oldest: float  # created_at of the oldest waiting row (epoch seconds)
    newest: float
    settings: AlertSettings
    recent: int = 0  # messages sent to the chat in the last BUNDLE_WINDOW seconds


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    chat_id: int
    article_id: int
    term: str
    attempts: int
    created_at: float
    title: str
    url: str
    publisher: str
    published_at: str | None
    ingested_at: str
    lead: list[str] = field(default_factory=list)  # the article's first sentences
    thread_id: int | None = None  # the forum topic of the subscription that matched
    kind: str = ALERT  # or UPDATE
    note: str = ""  # an update's new fact: the sentence that states it
    story_id: int = 0
    outlets: int = 1  # publishers that have the story when the row is sent
    articles: int = 1
    summary_only: bool = False  # the article is a feed's summary: its page did not come


BUNDLE_WINDOW = 60.0  # seconds: 3 or more alerts of a chat within it become one message


def pending_chats(db: Database, now: float) -> list[PendingChat]:
    """Chats with rows ready to go (retry back-offs over), oldest first."""
    rows = db.execute(
        "SELECT o.chat_id, count(*), min(o.created_at), max(o.created_at),"
        " s.quiet_start, s.quiet_end, s.digest_at, s.thread_id,"
        " (SELECT count(DISTINCT r.message_id) FROM outbox r"
        "  WHERE r.chat_id = o.chat_id AND r.sent_at > ?)"
        " FROM outbox o LEFT JOIN alert_settings s ON s.chat_id = o.chat_id"
        " LEFT JOIN chats c ON c.chat_id = o.chat_id"
        " WHERE o.status = ? AND o.not_before <= ? AND coalesce(c.active, 1) = 1"
        # Every selected setting is grouped by (one row per chat): PostgreSQL requires it.
        " GROUP BY o.chat_id, s.quiet_start, s.quiet_end, s.digest_at, s.thread_id"
        " ORDER BY min(o.created_at)",
        [now - BUNDLE_WINDOW, PENDING, now],
    )
    return [
        PendingChat(r[0], r[1], r[2], r[3], AlertSettings(r[4], r[5], r[6], r[7]), r[8])
        for r in rows
    ]


KEEP_DAYS = 30  # finished rows are kept this long (what was sent, and why not)


def prune(db: Database, now: float) -> int:
    """Forget finished rows older than KEEP_DAYS; waiting rows are never pruned."""
    cur = db.conn.execute(
        "DELETE FROM outbox WHERE status NOT IN (?, ?) AND created_at < ?",
        (PENDING, SENDING, now - KEEP_DAYS * 86400),
    )
    return cur.rowcount


def next_retry_at(db: Database) -> float | None:
    """When the earliest backed-off row becomes ready, if any."""
    row = db.execute(
        "SELECT min(not_before) FROM outbox WHERE status = ?", [PENDING]
    ).fetchone()
    return row[0] if row else None


def drop_inactive(db: Database) -> int:
    """Rows of chats that removed or blocked the bot are not sent (they cannot be)."""
    cur = db.conn.execute(
        "UPDATE outbox SET status = ?, last_error = 'chat inactive' WHERE status = ? AND chat_id IN"
        " (SELECT chat_id FROM chats WHERE active = 0)",
        (DROPPED, PENDING),
    )
    return cur.rowcount


def claim(db: Database, chat_id: int, limit: int, owner: str, now: float,
          one_topic: bool = False) -> list[OutboxItem]:
    """Mark up to `limit` ready rows of a chat 'sending' (committed) and return them;
    `one_topic`: only rows going to the forum topic of the oldest one (a message goes to
    one topic).

    An alert whose story (stories merge, near-copies join their original) has an earlier
    live alert for the chat becomes 'duplicate' instead: a chat is alerted once a story.
    """
    with transaction(db.conn) as conn:
        # The topic is the matching subscription's as it is now (moved or left since).
        rows = conn.execute(
            "SELECT o.id, o.chat_id, o.article_id, o.term, o.attempts, o.created_at, a.title,"
            " a.url, a.publisher, a.published_at, a.ingested_at, o.kind, o.note,"
            " coalesce(a.story_id, o.story_id), coalesce(st.outlets, 1), coalesce(st.articles, 1),"
            " s.thread_id, a.summary_only"
            " FROM outbox o JOIN articles a ON a.id = o.article_id"
            " LEFT JOIN stories st ON st.id = a.story_id"
            " LEFT JOIN subscriptions s ON s.chat_id = o.chat_id AND s.term = o.term"
            " WHERE o.chat_id = ? AND o.status = ? AND o.not_before <= ?"
            " ORDER BY o.id LIMIT ?" + skip_locked(conn, "o"),
            (chat_id, PENDING, now, limit),
        ).fetchall()
        if one_topic and rows:
            rows = [row for row in rows if row[16] == rows[0][16]]
        items: list[OutboxItem] = []
        for row in rows:
            kind, story_id = row[11], row[13]
            if kind == ALERT and conn.execute(
                "SELECT 1 FROM outbox WHERE chat_id = ? AND story_id = ? AND kind = ?"
                " AND status IN (?, ?, ?) AND id < ?",
                (chat_id, story_id, ALERT, *LIVE, row[0]),
            ).fetchone():
                conn.execute(
                    "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?",
                    (DUPLICATE, f"story {story_id} already alerted", row[0]),
                )
                continue
            lead = [
                r[0] for r in conn.execute(
                    "SELECT text FROM sentences WHERE article_id = ? ORDER BY position LIMIT 6",
                    (row[2],),
                )
            ]
            items.append(OutboxItem(*row[:11], lead=lead, thread_id=row[16], kind=kind,
                                    note=row[12], story_id=story_id, outlets=row[14],
                                    articles=row[15], summary_only=bool(row[17])))
        conn.executemany(
            "UPDATE outbox SET status = ?, owner = ?, attempts = attempts + 1 WHERE id = ?",
            [(SENDING, owner, item.id) for item in items],
        )
    return items


# -- what the delivery loop writes -----------------------------------------------------------


def mark_sent(db: Database, ids: list[int], message_id: int | None, now: float) -> None:
    with transaction(db.conn) as conn:
        conn.executemany(
            "UPDATE outbox SET status = ?, message_id = ?, sent_at = ?, last_error = NULL"
            " WHERE id = ?",
            [(SENT, message_id, now, i) for i in ids],
        )


def release(db: Database, ids: list[int], not_before: float, error: str,
            refund_attempt: bool = False) -> None:
    """Back to 'pending' until `not_before` (a retry). A refunded attempt is not counted
    (429: Telegram told us exactly when to come back, that is not a failure)."""
    refund = 1 if refund_attempt else 0
    with transaction(db.conn) as conn:
        conn.executemany(
            "UPDATE outbox SET status = ?, not_before = ?, last_error = ?,"
            " attempts = attempts - ? WHERE id = ?",
            [(PENDING, not_before, error[:300], refund, i) for i in ids],
        )


def finish(db: Database, ids: list[int], status: str, error: str) -> None:
    """A final state other than 'sent' (failed, dropped)."""
    with transaction(db.conn) as conn:
        conn.executemany(
            "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?",
            [(status, error[:300], i) for i in ids],
        )


def drop_chat(db: Database, chat_id: int, error: str) -> int:
    """The bot was blocked or removed: the chat is inactive and its alerts stop.

    The chat becomes active again when someone there talks to the bot (store.chats.touch_chat);
    the alerts dropped meanwhile stay dropped (old news by then).
    """
    with transaction(db.conn) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO chats (chat_id, created_at) VALUES (?, ?)", (chat_id, now_kst())
        )
        conn.execute("UPDATE chats SET active = 0 WHERE chat_id = ?", (chat_id,))
        cur = conn.execute(
            "UPDATE outbox SET status = ?, last_error = ? WHERE chat_id = ? AND status IN (?, ?)",
            (DROPPED, error[:300], chat_id, PENDING, SENDING),
        )
    return cur.rowcount


def move_chat(db: Database, old_id: int, new_id: int) -> int:
    """A group was upgraded to a supergroup (new id): subscriptions, settings and waiting
    alerts move to the new id, in one transaction. Returns the number of rows moved."""
    with transaction(db.conn) as conn:
        move_subscriptions(conn, old_id, new_id)
        cur = conn.execute(
            "UPDATE outbox SET chat_id = ?, status = CASE WHEN status = ? THEN ? ELSE status END"
            " WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM outbox o"
            "  WHERE o.chat_id = ? AND o.article_id = outbox.article_id)",
            (new_id, SENDING, PENDING, old_id, new_id),
        )
        moved = cur.rowcount
        # Whatever could not move already exists under the new id: that row stands for it.
        conn.execute(
            "UPDATE outbox SET status = ?, last_error = 'moved to the new chat id'"
            " WHERE chat_id = ? AND status IN (?, ?)",
            (DUPLICATE, old_id, PENDING, SENDING),
        )
        conn.execute(
            "INSERT OR IGNORE INTO chats (chat_id, chat_type, title, active, created_at)"
            " SELECT ?, 'supergroup', title, 1, created_at FROM chats WHERE chat_id = ?",
            (new_id, old_id),
        )
        conn.execute("UPDATE chats SET active = 0 WHERE chat_id = ?", (old_id,))
    return moved


# -- one delivery loop at a time -----------------------------------------------------------


def acquire_lease(
    db: Database, owner: str, host: str, pid: int, now: float, ttl: float,
    is_alive: Callable[[int], bool],
) -> bool:
    """Become the one delivery loop, or refuse while another live one holds the lease.

    A lease is free when nobody holds it, when its holder has not renewed it for `ttl`
    seconds, or when its holder ran on this host and that process is gone (a crash or kill:
    then a restart takes over at once instead of waiting out the ttl).
    """
    with transaction(db.conn) as conn:
        conn.lock("delivery-lease")  # two bots starting at once: one reads, decides, writes
        row = conn.execute("SELECT owner, host, pid, heartbeat FROM delivery_lease").fetchone()
        free = (
            row is None
            or row[0] == owner
            or now - row[3] > ttl
            or (row[1] == host and not is_alive(row[2]))
        )
        if free:
            conn.execute(
                "INSERT INTO delivery_lease (id, owner, host, pid, heartbeat) VALUES (1, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, host = excluded.host,"
                " pid = excluded.pid, heartbeat = excluded.heartbeat",
                (owner, host, pid, now),
            )
    return free


def renew_lease(db: Database, owner: str, now: float) -> bool:
    """Keep the lease; False when another loop took it over (then stop sending)."""
    cur = db.conn.execute(
        "UPDATE delivery_lease SET heartbeat = ? WHERE id = 1 AND owner = ?", (now, owner)
    )
    return cur.rowcount == 1


def release_lease(db: Database, owner: str) -> None:
    db.conn.execute("DELETE FROM delivery_lease WHERE owner = ?", (owner,))


def recover_sending(db: Database, owner: str) -> int:
    """Rows a previous, dead loop left in 'sending' go back to 'pending' (at-least-once).

    Call only while holding the lease: then no live loop is sending them.
    """
    cur = db.conn.execute(
        "UPDATE outbox SET status = ?, last_error = 'recovered after a restart'"
        " WHERE status = ? AND coalesce(owner, '') != ?",
        (PENDING, SENDING, owner),
    )
    return cur.rowcount


def status_counts(db: Database) -> dict[str, int]:
    return {r[0]: r[1] for r in db.execute("SELECT status, count(*) FROM outbox GROUP BY status")}
