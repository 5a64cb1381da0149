"""The feeds a store follows: conditional-GET validators, poll schedule and back-off.

Times are KST ISO 8601 strings (as everywhere in the store), so they compare as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from store.articles import KST, now_kst
from store.engine import Database

# After N failures in a row a feed waits interval * 2**N, but never more than this.
MAX_BACKOFF = timedelta(hours=24)
DEFAULT_INTERVAL = 600


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    added_at: str
    last_checked_at: str | None
    last_ok_at: str | None
    next_check_at: str | None
    errors: int
    last_error: str | None


_COLUMNS = (
    "id, url, title, etag, last_modified, added_at, last_checked_at, last_ok_at,"
    " next_check_at, errors, last_error"
)


def _later(seconds: float, now: datetime | None = None) -> str:
    return ((now or datetime.now(KST)) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def add_feed(db: Database, url: str, title: str = "") -> tuple[Feed, bool]:
    """(the feed, whether it was new). Adding a known URL again keeps its state."""
    cur = db.conn.execute(
        "INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?) ON CONFLICT(url) DO NOTHING",
        (url, title, now_kst()),
    )
    feed = get_feed(db, url)
    assert feed is not None
    return feed, cur.rowcount == 1


def import_feeds(db: Database, feeds: list[tuple[str, str]]) -> tuple[int, int]:
    """Add (url, title) pairs all in one transaction: (added, already there). A feed already
    there keeps its state, and takes the title only when it had none."""
    conn = db.conn
    added = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for url, title in feeds:
            exists = conn.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone()
            if exists:
                conn.execute("UPDATE feeds SET title = ? WHERE url = ? AND title = ''", (title, url))
                continue
            conn.execute("INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?)",
                         (url, title, now_kst()))
            added += 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return added, len(feeds) - added


def get_feed(db: Database, url: str) -> Feed | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", [url]).fetchone()
    return Feed(*row) if row else None


def remove_feed(db: Database, url: str) -> bool:
    return db.conn.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0


def list_feeds(db: Database) -> list[Feed]:
    return [Feed(*row) for row in db.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")]


def due_feeds(db: Database, now: datetime | None = None) -> list[Feed]:
    """Feeds whose next check time has come (or was never set), oldest check first."""
    at = (now or datetime.now(KST)).astimezone(KST).isoformat(timespec="seconds")
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM feeds WHERE next_check_at IS NULL OR next_check_at <= ?"
        " ORDER BY last_checked_at IS NOT NULL, last_checked_at, id",
        [at],
    )
    return [Feed(*row) for row in rows]


def record_ok(
    db: Database,
    feed_id: int,
    *,
    etag: str | None,
    last_modified: str | None,
    title: str | None = None,
    interval: float = DEFAULT_INTERVAL,
    now: datetime | None = None,
) -> None:
    """A poll that worked (200 or 304): new validators, errors reset, next check one interval on.
    The feed's own title is taken only when none is kept (one from an OPML file stays)."""
    checked = (now or datetime.now(KST)).isoformat(timespec="seconds")
    db.conn.execute(
        "UPDATE feeds SET etag = ?, last_modified = ?,"
        " title = CASE WHEN title = '' THEN ? ELSE title END,"
        " last_checked_at = ?, last_ok_at = ?, next_check_at = ?, errors = 0, last_error = NULL"
        " WHERE id = ?",
        (etag, last_modified, title or "", checked, checked, _later(interval, now), feed_id),
    )


def backoff_seconds(errors: int, interval: float = DEFAULT_INTERVAL) -> float:
    """Wait after `errors` failures in a row: doubling each time, capped at MAX_BACKOFF."""
    return min(interval * 2 ** min(errors, 16), MAX_BACKOFF.total_seconds())


def record_error(
    db: Database,
    feed_id: int,
    error: str,
    *,
    interval: float = DEFAULT_INTERVAL,
    now: datetime | None = None,
) -> int:
    """A poll that failed: count it and push the next check back. Returns the failure count."""
    row = db.execute("SELECT errors FROM feeds WHERE id = ?", [feed_id]).fetchone()
    errors = (row[0] if row else 0) + 1
    checked = (now or datetime.now(KST)).isoformat(timespec="seconds")
    db.conn.execute(
        "UPDATE feeds SET last_checked_at = ?, next_check_at = ?, errors = ?, last_error = ?"
        " WHERE id = ?",
        (checked, _later(backoff_seconds(errors, interval), now), errors, error[:500], feed_id),
    )
    return errors


def known_link(db: Database, link: str) -> bool:
    """True when the entry link (canonical form) already gave an article that is stored."""
    row = db.execute(
        "SELECT 1 FROM feed_links f JOIN articles a ON a.canonical_url = f.article_url"
        " WHERE f.link = ? LIMIT 1",
        [link],
    ).fetchone()
    if row:
        return True
    row = db.execute(
        "SELECT 1 FROM articles WHERE canonical_url = ? LIMIT 1", [link]
    ).fetchone()
    return row is not None


def remember_link(db: Database, link: str, article_url: str) -> None:
    db.conn.execute(
        "INSERT INTO feed_links (link, article_url, seen_at) VALUES (?, ?, ?)"
        " ON CONFLICT(link) DO UPDATE SET article_url = excluded.article_url,"
        " seen_at = excluded.seen_at",
        (link, article_url, now_kst()),
    )
