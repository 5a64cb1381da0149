"""Pages to try again: articles stored from a feed's summary because their page failed.

A teaser whose page answers 403, times out or is gone is kept from the feed's own title,
summary, date and link (`articles.summary_only`), and its page is tried again with a
doubling back-off until it arrives or MAX_ATTEMPTS have failed. Times are KST ISO 8601
strings, as everywhere in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from store.engine import Database

# store.articles writes through track() inside its transaction, so this module cannot
# import KST from there.
KST = timezone(timedelta(hours=9))

FIRST_WAIT = timedelta(minutes=30)
MAX_WAIT = timedelta(hours=24)
# 30 min, 1 h, 2 h, ... 24 h: eight tries cover about three days, long enough for a page
# that was not up yet, a bot block lifted or a server back from maintenance.
MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class PageRetry:
    article_id: int
    link: str
    attempts: int
    # What the stored summary-only article says, kept when the page leaves it out.
    url: str
    title: str
    publisher: str
    published_at: str | None


def _at(moment: datetime) -> str:
    return moment.astimezone(KST).isoformat(timespec="seconds")


def wait_after(attempts: int) -> timedelta:
    """How long to wait after `attempts` tries: doubling from FIRST_WAIT, capped."""
    return min(FIRST_WAIT * 2 ** max(0, attempts - 1), MAX_WAIT)


def track(conn: Database, article_id: int, link: str | None) -> None:
    """Inside an article's write: keep (or keep on) retrying its page when the article is
    summary-only (`link` given), stop when a whole version was written (`link` None)."""
    if link is None:
        conn.execute("DELETE FROM page_retries WHERE article_id = ?", (article_id,))
        return
    first = _at(datetime.now(KST) + FIRST_WAIT)
    conn.execute(
        "INSERT INTO page_retries (article_id, link, attempts, next_try_at) VALUES (?, ?, 0, ?)"
        " ON CONFLICT(article_id) DO NOTHING",
        (article_id, link, first),
    )


def due_retries(db: Database, now: datetime | None = None, limit: int = 50) -> list[PageRetry]:
    """Pages whose next try has come, the longest waiting first."""
    rows = db.execute(
        "SELECT r.article_id, r.link, r.attempts, a.url, a.title, a.publisher, a.published_at"
        " FROM page_retries r JOIN articles a ON a.id = r.article_id"
        " WHERE r.next_try_at IS NOT NULL AND r.next_try_at <= ?"
        " ORDER BY r.next_try_at, r.article_id LIMIT ?",
        [_at(now or datetime.now(KST)), limit],
    )
    return [PageRetry(*row) for row in rows]


def record_try(
    db: Database, article_id: int, outcome: str, now: datetime | None = None
) -> int | None:
    """A try of the page: the next one later, or none after MAX_ATTEMPTS. Returns the
    attempts so far, None when the page is given up. (A page that came is recorded too,
    before its article is written: the write ends the tries, and a write that fails does
    not make the page be fetched again at every poll.)"""
    row = db.execute("SELECT attempts FROM page_retries WHERE article_id = ?", [article_id]).fetchone()
    attempts = (row[0] if row else 0) + 1
    given_up = attempts >= MAX_ATTEMPTS
    next_try = None if given_up else _at((now or datetime.now(KST)) + wait_after(attempts + 1))
    db.conn.execute(
        "UPDATE page_retries SET attempts = ?, next_try_at = ?, last_error = ? WHERE article_id = ?",
        (attempts, next_try, outcome[:500], article_id),
    )
    return None if given_up else attempts


def pending_count(db: Database) -> int:
    """Summary-only articles whose page is still to be tried."""
    return db.execute(
        "SELECT count(*) FROM page_retries WHERE next_try_at IS NOT NULL"
    ).fetchone()[0]
