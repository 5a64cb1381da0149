"""Later tries of the pages of summary-only articles (see store.page_retries).

When a page arrives, the article is rewritten from it under the same key, so it keeps its
id (an update, never a new article: nobody is alerted again) and stops being summary-only.
A page that fails again waits longer; after store.page_retries.MAX_ATTEMPTS it is given up
and the article stays as the feed described it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

import httpx

from ingest.article_input import ArticleInput
from ingest.pages import FETCH_WORKERS, fetch_page, map_ordered
from ingest.pipeline import IngestReport, ingest_items
from store import page_retries
from store.engine import Database

log = logging.getLogger(__name__)

# All the pages tried in one round share this deadline, like a feed's pages do.
RETRY_SECONDS = 60.0


def retry_due_pages(
    db: Database,
    client: httpx.Client,
    report: IngestReport | None = None,
    *,
    now: datetime | None = None,
    on_item: Callable[[], None] | None = None,
    seconds: float = RETRY_SECONDS,
) -> IngestReport:
    """Fetch the pages whose next try has come; fill in the articles of those that work."""
    report = report or IngestReport()
    due = page_retries.due_retries(db, now)
    if not due:
        return report
    until = time.monotonic() + seconds
    filled: list[ArticleInput] = []
    for retry, page in map_ordered(
        lambda r: fetch_page(client, r.link, until), due, FETCH_WORKERS
    ):
        outcome = str(page) if isinstance(page, Exception) else "page fetched"
        attempts = page_retries.record_try(db, retry.article_id, outcome, now)
        if isinstance(page, Exception):
            log.info("%s (%s)", page, "given up" if attempts is None else f"try {attempts} failed")
            continue
        filled.append(ArticleInput(
            title=page.title or retry.title,
            body=page.body,
            url=retry.url,  # the stored article's own URL, so it keeps its key and its id
            publisher=page.publisher or retry.publisher,
            published_at=retry.published_at or page.published_at,
            origin=retry.link,
        ))
    ingest_items(db, filled, report, on_item)
    return report
