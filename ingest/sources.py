"""Every kind of SOURCE -> ArticleInput items, with broken sources as one-line exceptions.

A SOURCE is a feed URL (RSS 2.0 / Atom), an article page URL, a local .html/.htm/.txt file,
a .jsonl corpus file, a local .xml/.rss/.atom feed file, or a folder of those. Reading never
stops at a broken source: it yields a SourceError (one line: where, then why) and goes on, so
ingest.pipeline.ingest_items can count and report it.

Stored feeds are polled with conditional GET; a feed that fails is pushed back exponentially
(store.feeds). `poll_due_feeds` is the entry point for the bot's scheduled polling.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.article_input import ArticleInput
from ingest.clean import clean_body, parse_text_article
from ingest.corpus import read_corpus
from ingest.decode import decode_bytes, looks_binary
from ingest.feeds import FeedEntry, FeedError, ParsedFeed, parse_feed
from ingest.fetch import FetchError, fetch
from ingest.page_retry import retry_due_pages
from ingest.pages import (
    FETCH_WORKERS,
    Page,
    SourceError,
    fetch_page,
    kind_of,
    kind_reason,
    map_ordered,
    page_from_bytes,
)
from ingest.pipeline import IngestReport, ingest_items
from ingest.urls import canonical_url
from store import feeds as feed_store
from store.engine import Database

log = logging.getLogger(__name__)

PAGE_SUFFIXES = frozenset({".html", ".htm"})
TEXT_SUFFIXES = frozenset({".txt"})
CORPUS_SUFFIXES = frozenset({".jsonl"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SOURCE_SUFFIXES = PAGE_SUFFIXES | TEXT_SUFFIXES | CORPUS_SUFFIXES | FEED_SUFFIXES
# All of one feed's article pages share this deadline, so a feed of slow links holds an
# ingest (or the bot's poll) this long at most; entries not read by then are kept from the
# feed's summary and their pages tried again later.
FEED_PAGES_SECONDS = 60.0


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


@dataclass
class SourceReader:
    """Reads sources; `db` (optional) lets feed polls skip entries that are already stored."""

    client: httpx.Client
    db: Database | None = None
    report: IngestReport | None = None  # where skipped known entries are counted as unchanged
    workers: int = FETCH_WORKERS
    pages_seconds: float = FEED_PAGES_SECONDS

    # ---- dispatch -------------------------------------------------------------------------

    def read_all(self, sources: Iterable[str]) -> Iterator[ArticleInput | Exception]:
        for source in sources:
            yield from self.read(source)

    def read(self, source: str) -> Iterator[ArticleInput | Exception]:
        """Items of one SOURCE; a bug or surprise inside it ends that source, not the run."""
        try:
            yield from self._read(source.strip())
        except Exception as exc:
            log.exception("reading %s", source)
            yield SourceError(source, f"{type(exc).__name__}: {exc}")

    def _read(self, source: str) -> Iterator[ArticleInput | Exception]:
        if is_url(source):
            yield from self._read_url(source)
            return
        path = Path(source).expanduser()
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
            )
            if not files:
                yield SourceError(source, "no .html, .txt, .jsonl or feed files in this folder")
            for file in files:
                yield from self._read_file(file)
        elif path.is_file():
            yield from self._read_file(path)
        else:
            yield SourceError(source, "no such file, folder or http(s) URL")

    # ---- URLs -----------------------------------------------------------------------------

    def _read_url(self, url: str) -> Iterator[ArticleInput | Exception]:
        try:
            result = fetch(self.client, url)
        except FetchError as exc:
            yield SourceError("", exc)
            return
        kind = kind_of(result.body, result.content_type)
        if kind == "feed":
            yield from self._read_feed_bytes(result.url, result.body, result.content_type)
        elif kind == "page":
            page = page_from_bytes(result.url, result.body, result.content_type)
            if isinstance(page, Exception):
                yield page
            else:
                yield _input(page, origin=url)
        else:
            yield SourceError(url, kind_reason(kind, result.content_type))

    def _read_feed_bytes(
        self, url: str, data: bytes, content_type: str
    ) -> Iterator[ArticleInput | Exception]:
        try:
            parsed = parse_feed(data, content_type)
        except FeedError as exc:
            yield SourceError(url, exc)
            return
        yield from self.feed_items(url, parsed)

    # ---- feeds ----------------------------------------------------------------------------

    def feed_items(self, feed_url: str, parsed: ParsedFeed) -> Iterator[ArticleInput | Exception]:
        """Articles of a parsed feed: entries with the whole text as they are, the others by
        fetching their link (a few at a time, all by one deadline). A page linked by several
        entries is fetched once; entries already stored are skipped; an entry whose page
        fails is kept from the feed's own title and summary, marked summary-only."""
        to_fetch: list[tuple[FeedEntry, str]] = []
        seen: set[str] = set()
        repeated = 0
        for entry in parsed.entries:
            link = urljoin(feed_url, entry.link) if entry.link else ""
            key = canonical_url(link) if link else ""
            if key in seen:
                repeated += 1
                continue
            if key:
                seen.add(key)
            if key and self.db is not None and feed_store.known_link(self.db, key):
                if self.report is not None:
                    self.report.count("unchanged")
                continue
            if entry.is_full:
                item = _entry_input(entry, link or feed_url, parsed.title)
                if item is not None:
                    self._remember(link, item.url)
                    yield item
                    continue
            if not link:
                yield SourceError(feed_url, f"entry '{entry.title[:40]}' has no link and no text")
                continue
            if not is_url(link):
                yield SourceError(feed_url, f"entry link {entry.link[:80]} is not an http(s) URL")
                continue
            to_fetch.append((entry, link))
        if repeated:
            log.info("%s: %d entries link to a page another entry already links to", feed_url,
                     repeated)
        until = time.monotonic() + self.pages_seconds
        for (entry, link), page in map_ordered(
            lambda pair: fetch_page(self.client, pair[1], until), to_fetch, self.workers
        ):
            item = _teaser_input(entry, link, parsed.title) if isinstance(page, Exception) else (
                _page_input(page, entry, link, parsed.title)
            )
            if item is None:
                yield page  # no page, and nothing in the feed to keep instead
                continue
            if item.summary_only:
                log.info("%s; kept the feed's summary, the page is tried again later", page)
            self._remember(link, item.url)
            yield item

    def _remember(self, link: str, article_url: str) -> None:
        if link and self.db is not None:
            feed_store.remember_link(self.db, canonical_url(link), canonical_url(article_url))

    def poll(
        self, feed: feed_store.Feed, *, interval: float = feed_store.DEFAULT_INTERVAL,
        now: datetime | None = None,
    ) -> Iterator[ArticleInput | Exception]:
        """Poll one stored feed with conditional GET; records success or back-off in the store.

        The validators (ETag, Last-Modified) are kept only when every entry was read, so a
        poll interrupted or with failed entries reads the whole feed again next time.
        """
        assert self.db is not None, "polling stored feeds needs the store"
        try:
            result = fetch(self.client, feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if result.not_modified:
                feed_store.record_ok(
                    self.db, feed.id, etag=result.etag or feed.etag,
                    last_modified=result.last_modified or feed.last_modified,
                    interval=interval, now=now,
                )
                return
            parsed = parse_feed(result.body, result.content_type)
        except (FetchError, FeedError) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else str(exc)
            errors = feed_store.record_error(self.db, feed.id, reason, interval=interval, now=now)
            suffix = f" (failed {errors} times in a row)" if errors > 1 else ""
            yield SourceError(feed.url, f"{reason}{suffix}")
            return
        failed = 0
        for item in self.feed_items(result.url, parsed):
            failed += isinstance(item, Exception)
            yield item
        feed_store.record_ok(
            self.db, feed.id,
            etag=None if failed else result.etag,
            last_modified=None if failed else result.last_modified,
            title=parsed.title, interval=interval, now=now,
        )

    # ---- local files ----------------------------------------------------------------------

    def _read_file(self, path: Path) -> Iterator[ArticleInput | Exception]:
        suffix = path.suffix.lower()
        if suffix in CORPUS_SUFFIXES:
            yield from read_corpus(path)
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield SourceError(str(path), exc.strerror or exc)
            return
        if not data.strip():
            yield SourceError(str(path), "empty file")
            return
        if looks_binary(data):
            yield SourceError(str(path), "binary file, not text")
            return
        kind = {
            **{s: "page" for s in PAGE_SUFFIXES},
            **{s: "text" for s in TEXT_SUFFIXES},
            **{s: "feed" for s in FEED_SUFFIXES},
        }.get(suffix) or kind_of(data, "")
        uri = path.resolve().as_uri()
        if kind == "feed":
            yield from self._read_feed_bytes(str(path), data, "")
        elif kind == "page":
            page = page_from_bytes(uri, data, "")
            yield page if isinstance(page, Exception) else _input(page, origin=str(path))
        else:
            article = parse_text_article(decode_bytes(data).text, path.stem)
            if not article.body:
                yield SourceError(str(path), "no article text found")
                return
            yield ArticleInput(
                title=article.title, body=article.body, url=uri, publisher=article.publisher,
                published_at=article.published_at, origin=str(path),
            )


def _input(page: Page, origin: str) -> ArticleInput:
    return ArticleInput(
        title=page.title, body=page.body, url=page.url, publisher=page.publisher,
        published_at=page.published_at, origin=origin,
    )


def _entry_input(entry: FeedEntry, link: str, feed_title: str) -> ArticleInput | None:
    cleaned = clean_body(entry.text, title=entry.title)
    if not cleaned.body:
        return None
    return ArticleInput(
        title=entry.title, body=cleaned.body, url=link,
        publisher=cleaned.publisher_hint or feed_title,
        published_at=entry.published_at or cleaned.date_hint, origin=link,
    )


def _page_input(page: Page, entry: FeedEntry, link: str, feed_title: str) -> ArticleInput:
    return ArticleInput(
        title=page.title or entry.title,
        body=page.body,
        url=page.url,
        publisher=page.publisher or feed_title,
        # The feed's time is what the outlet published; pages often show edit times.
        published_at=entry.published_at or page.published_at,
        origin=link,
    )


def _teaser_input(entry: FeedEntry, link: str, feed_title: str) -> ArticleInput | None:
    """What the feed itself says of an entry whose page failed: its title and summary
    (the title alone when there is no summary), date and link; None when it says nothing."""
    # The boilerplate rules are for pages; a summary they would throw away whole (a short
    # one-liner) is still what the feed says.
    body = (clean_body(entry.text, title=entry.title).body or entry.text) if entry.text else ""
    if not (body or entry.title):
        return None
    return ArticleInput(
        title=entry.title or body[:80], body=body or entry.title, url=link, publisher=feed_title,
        published_at=entry.published_at, origin=link, summary_only=True,
    )


def check_feed(client: httpx.Client, url: str) -> ParsedFeed:
    """Fetch and parse `url` as a feed (for `feeds add`); raises SourceError when it is not one."""
    try:
        result = fetch(client, url)
        return parse_feed(result.body, result.content_type)
    except FetchError as exc:
        raise SourceError("", exc) from None
    except FeedError as exc:
        raise SourceError(url, exc) from None


def poll_feeds(
    db: Database,
    client: httpx.Client,
    feeds: Iterable[feed_store.Feed],
    report: IngestReport | None = None,
    *,
    interval: float = feed_store.DEFAULT_INTERVAL,
    on_item: Callable[[], None] | None = None,
    now: datetime | None = None,
    workers: int = 1,
) -> IngestReport:
    """Poll the given stored feeds and ingest what is new (see ingest_items for `workers`),
    then try again the pages of summary-only articles whose next try has come."""
    report = report or IngestReport()
    reader = SourceReader(client, db=db, report=report)
    for feed in feeds:
        try:
            items = reader.poll(feed, interval=interval, now=now)
            ingest_items(db, items, report, on_item, workers=workers)
        except Exception as exc:  # one feed's surprise must not stop the others (or the bot)
            log.exception("polling %s", feed.url)
            report.fail(str(SourceError(feed.url, f"{type(exc).__name__}: {exc}")))
    try:
        retry_due_pages(db, client, report, now=now, on_item=on_item)
    except Exception:  # the retries are a bonus; a surprise there must not fail the poll
        log.exception("trying summary-only pages again")
    return report


def poll_due_feeds(
    db: Database,
    client: httpx.Client,
    report: IngestReport | None = None,
    *,
    interval: float = feed_store.DEFAULT_INTERVAL,
    now: datetime | None = None,
    on_item: Callable[[], None] | None = None,
) -> IngestReport:
    """Poll the stored feeds whose next check is due (the bot's scheduled job calls this,
    in a worker thread: it blocks on HTTP and SQLite)."""
    return poll_feeds(
        db, client, feed_store.due_feeds(db, now), report,
        interval=interval, on_item=on_item, now=now,
    )
