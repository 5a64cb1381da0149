"""One article page: fetched, told apart from feeds and binaries, and extracted.

Shared by the sources (ingest.sources: a page URL, a feed's article links) and by the later
tries of pages that failed (ingest.page_retry). Nothing here raises for a broken page: it
comes back as a SourceError value, one line, so that worker threads can hand it on.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

import httpx

from ingest.decode import decode_bytes, looks_binary
from ingest.extract import ExtractError, extract_page
from ingest.feed_repair import drop_forbidden
from ingest.feeds import sniff_feed, sniff_html
from ingest.fetch import FetchError, fetch

log = logging.getLogger(__name__)

# Article pages fetched at once: the wait is mostly the network and lxml, and more than a
# few parallel requests to one news site would be impolite.
FETCH_WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")


class SourceError(Exception):
    """A source or item that could not be read; str() is one line: 'where: why'."""

    def __init__(self, where: str, reason: object) -> None:
        text = f"{where}: {reason}" if where else str(reason)
        super().__init__(" ".join(text.split()))


@dataclass(slots=True)
class Page:
    url: str  # canonical link when the page has one, else the final URL after redirects
    title: str
    body: str
    publisher: str
    published_at: str | None


def kind_of(data: bytes, content_type: str) -> str:
    """'feed', 'page', 'text', 'binary', 'html-not-feed' or 'unknown' for fetched bytes."""
    if looks_binary(data):
        return "binary"
    if sniff_feed(data):
        return "feed"
    ct = content_type.lower()
    if any(k in ct for k in ("rss", "atom", "xml")):
        return "html-not-feed" if sniff_html(data) else "feed"
    if "html" in ct or sniff_html(data):
        return "page"
    if ct.startswith("text/plain") or not ct:
        return "text"
    return "unknown"


def kind_reason(kind: str, content_type: str, wanted: str = "a page or feed") -> str:
    ct = content_type.split(";")[0].strip() or "no content type"
    return {
        "binary": f"binary content ({ct}), not {wanted}",
        "html-not-feed": "HTML where a feed was expected",
        "feed": f"a feed, not {wanted}",
    }.get(kind, f"{ct} is not {wanted}")


def page_from_bytes(url: str, data: bytes, content_type: str) -> Page | SourceError:
    text = drop_forbidden(decode_bytes(data, content_type).text)
    try:
        page = extract_page(text, url)
    except ExtractError as exc:
        return SourceError(url, exc)
    return Page(
        url=page.canonical_url or url,
        title=page.title,
        body=page.body,
        publisher=page.publisher,
        published_at=page.published_at,
    )


def fetch_page(client: httpx.Client, link: str, deadline: float | None = None) -> Page | SourceError:
    """Fetch and extract one article page by `deadline` (time.monotonic()); never raises,
    so it can run in a worker thread."""
    try:
        result = fetch(client, link, deadline=deadline)
    except FetchError as exc:
        return SourceError("", exc)
    except Exception as exc:  # a worker must hand every failure back as a value
        log.exception("fetching %s", link)
        return SourceError(link, f"{type(exc).__name__}: {exc}")
    kind = kind_of(result.body, result.content_type)
    if kind != "page":
        return SourceError(link, kind_reason(kind, result.content_type, wanted="an article page"))
    try:
        return page_from_bytes(result.url, result.body, result.content_type)
    except Exception as exc:
        log.exception("extracting %s", link)
        return SourceError(link, f"{type(exc).__name__}: {exc}")


def map_ordered(fn: Callable[[T], R], items: list[T], workers: int) -> Iterator[tuple[T, R]]:
    """(item, fn(item)) in input order, at most 2*workers calls in flight. fn must not raise."""
    if workers <= 1 or len(items) <= 1:
        for item in items:
            yield item, fn(item)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        pending = iter(items)
        window = deque((item, pool.submit(fn, item)) for item in islice(pending, workers * 2))
        while window:
            item, future = window.popleft()
            following = next(pending, None)
            if following is not None:
                window.append((following, pool.submit(fn, following)))
            yield item, future.result()
