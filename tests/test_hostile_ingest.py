"""Hostile servers and odd pages (tests/hostile_site.py, on 127.0.0.1): the work stays
bounded, and what a feed says is kept when its page cannot be had."""

from __future__ import annotations

import logging
import time
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from analysis.terms import subscription_key
from handlers.alerts import single_alert
from handlers.format import SUMMARY_ONLY, source_line
from handlers.search import search_page
from handlers.services import Services
from ingest.article_input import ArticleInput
from ingest.content_coding import BodyDecoder, TooLarge
from ingest.fetch import FetchError, fetch, make_client
from ingest.page_retry import retry_due_pages
from ingest.pipeline import IngestReport, ingest_items
from ingest.prepare import MAX_ANALYSED_CHARS, MAX_ANALYSED_SENTENCES
from ingest.sources import SourceReader
from store import page_retries
from store.articles import KST, find_article
from store.engine import Database
from store.outbox import claim
from store.subscriptions import add_subscription
from tests.hostile_site import HostileSite, Timings, double_gzip_bomb

# Quick versions of the hostile timings; the benchmark runs the real ones.
TIMINGS = Timings(drip_every=0.05, drip_for=30.0, slow_answer=3.0, bomb_bytes=256 << 20,
                  huge_bytes=50 << 20, huge_entry_bytes=900_000, same_page_items=2000)


@pytest.fixture(scope="module")
def site() -> Iterator[HostileSite]:
    with HostileSite(TIMINGS) as running:
        yield running


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_client() as client:
        yield client


def _split(items) -> tuple[list[ArticleInput], list[str]]:
    items = list(items)
    return [i for i in items if isinstance(i, ArticleInput)], [str(i) for i in items if isinstance(i, Exception)]


# ---- the fetch itself -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/bomb/gzip-gzip", "/bomb/gzip", "/page/huge"])
def test_bombs_and_endless_pages_stop_at_the_decoded_size_cap(
    site: HostileSite, http: httpx.Client, path: str
) -> None:
    with pytest.raises(FetchError, match=r"too large \(more than 5120 KB"):
        fetch(http, site.url(path))


def test_the_decoder_holds_no_more_than_the_cap_in_any_layer() -> None:
    bomb = double_gzip_bomb(TIMINGS.bomb_bytes)
    assert len(bomb) < 64 * 1024  # a few kilobytes on the wire
    tracemalloc.start()
    try:
        decoder = BodyDecoder("gzip, gzip", 5 << 20)
        with pytest.raises(TooLarge):
            for start in range(0, len(bomb), 4096):
                for _ in decoder.feed(bomb[start:start + 4096]):
                    pass  # a caller that keeps nothing: only the decoder's own memory counts
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 << 20  # pieces of 64 KB, never a layer's whole output


def test_layers_decode_to_the_same_bytes_as_one_pass() -> None:
    body = "<p>누리항공 시험 운항</p>".encode() * 5000
    import zlib

    once = zlib.compressobj(6, zlib.DEFLATED, 31)
    gz = once.compress(body) + once.flush()
    twice = zlib.compressobj(6, zlib.DEFLATED, 31)
    gzgz = twice.compress(gz) + twice.flush()
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = raw.compress(body) + raw.flush()
    for coding, data in (("gzip", gz), ("gzip, gzip", gzgz), ("deflate", deflated),
                         ("identity", body), ("x-gzip", gz + gz)):  # two gzip members
        decoder = BodyDecoder(coding, 10 << 20)
        out = b"".join([*decoder.feed(data[:100]), *decoder.feed(data[100:]), *decoder.finish()])
        assert out == (body * 2 if coding == "x-gzip" else body), coding


def test_a_dripping_page_is_cut_by_the_clock(site: HostileSite, http: httpx.Client) -> None:
    # Each byte comes well within the read timeout: only the deadline can end it.
    with pytest.raises(FetchError, match=r"timed out \(still sending after 1s\)"):
        fetch(http, site.url("/page/drip"), max_seconds=1.0)
    with pytest.raises(FetchError, match=r"timed out \(no answer within 1s\)"):
        fetch(http, site.url("/page/drip-headers"), max_seconds=1.0)


# ---- a feed's pages ----------------------------------------------------------------------


def test_a_feeds_pages_share_one_deadline(site: HostileSite, http: httpx.Client) -> None:
    # Twelve pages that each answer after 3 s, with 1 s for all of them: none arrives, and
    # every entry is kept from the feed's summary instead.
    reader = SourceReader(http, pages_seconds=1.0)
    articles, errors = _split(reader.read(site.url("/feed/slow-links.xml")))
    assert errors == []
    assert len(articles) == 12 and all(a.summary_only for a in articles)
    assert articles[0].title == "느린 기사 1" and articles[0].body == "느린 기사 1에 관한 짧은 소식이에요."


def test_a_page_linked_by_thousands_of_entries_is_fetched_once(
    site: HostileSite, http: httpx.Client, fresh_db: Database
) -> None:
    report = IngestReport()
    reader = SourceReader(http, db=fresh_db, report=report)
    ingest_items(fresh_db, reader.read(site.url("/feed/one-page.xml")), report)
    assert (report.new, report.failed) == (1, 0)
    assert site.hits["/page/ok/1"] == 1


def test_a_page_nested_past_the_parsers_depth_is_read(
    site: HostileSite, http: httpx.Client
) -> None:
    articles, errors = _split(SourceReader(http).read(site.url("/feed/deep.xml")))
    assert errors == [] and len(articles) == 1
    assert not articles[0].summary_only
    assert "관계자는 올해 안에 세부 일정을 공개하겠다고 말했다." in articles[0].body


def test_a_huge_entry_is_stored_whole_and_analysed_in_part(
    site: HostileSite, http: httpx.Client, fresh_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    report = IngestReport()
    with caplog.at_level(logging.INFO, logger="ingest.prepare"):
        ingest_items(fresh_db, SourceReader(http).read(site.url("/feed/huge-entry.xml")), report)
    assert (report.new, report.failed) == (1, 0)
    body, = fresh_db.execute("SELECT body FROM articles").fetchone()
    assert len(body.encode()) > 850_000  # everything the feed gave is stored
    count, chars = fresh_db.execute("SELECT count(*), sum(length(text)) FROM sentences").fetchone()
    assert count <= MAX_ANALYSED_SENTENCES and chars <= MAX_ANALYSED_CHARS
    assert "the rest is stored but not analysed" in caplog.text


# ---- a teaser whose page fails -----------------------------------------------------------


def test_a_teaser_behind_a_403_is_kept_and_filled_in_when_its_page_comes(
    site: HostileSite, http: httpx.Client, fresh_db: Database
) -> None:
    chat = -500
    add_subscription(fresh_db, chat, "봇", subscription_key("봇"))
    report = IngestReport()
    ingest_items(fresh_db, SourceReader(http, db=fresh_db, report=report).read(
        site.url("/feed/teaser-403.xml")), report)
    assert (report.new, report.summary_only, report.failed) == (1, 1, 0)
    link = site.url("/page/forbidden")
    teaser = find_article(fresh_db, link)
    assert teaser is not None and teaser.summary_only
    assert (teaser.title, teaser.body) == ("봇을 막는 기사", "봇을 막는 기사에 관한 짧은 소식이에요.")
    assert teaser.published_at is not None
    alerts = "SELECT count(*) FROM outbox WHERE chat_id = ?"
    assert fresh_db.execute(alerts, [chat]).fetchone()[0] == 1
    # Replies and alerts say that only the feed's summary is there.
    assert source_line(teaser).endswith("요약만 있어요")
    [item] = claim(fresh_db, chat, 5, "test", time.time() + 60)
    assert SUMMARY_ONLY in single_alert(item)
    assert "요약만" in search_page(Services(db=fresh_db), "봇을 막는 기사", 0)[0].visible

    # Not yet due: nothing is fetched. Due and still blocked: the wait doubles.
    before = site.hits["/page/forbidden"]
    retry_due_pages(fresh_db, http)
    assert site.hits["/page/forbidden"] == before
    soon = datetime.now(KST) + page_retries.FIRST_WAIT + timedelta(minutes=1)
    retry_due_pages(fresh_db, http, now=soon)
    assert site.hits["/page/forbidden"] == before + 1
    attempts, next_try = fresh_db.execute(
        "SELECT attempts, next_try_at FROM page_retries WHERE article_id = ?", [teaser.id]
    ).fetchone()
    assert attempts == 1
    assert next_try == (soon + page_retries.wait_after(2)).isoformat(timespec="seconds")

    # The block is lifted: the page replaces the summary, the article keeps its id, and
    # the chat that was alerted to the teaser is not alerted again.
    site.lifted = True
    try:
        later = soon + page_retries.wait_after(2) + timedelta(minutes=1)
        filled = retry_due_pages(fresh_db, http, now=later)
    finally:
        site.lifted = False
    assert (filled.updated, filled.new) == (1, 0)
    article = find_article(fresh_db, link)
    assert article is not None and article.id == teaser.id and not article.summary_only
    assert "관계자는 올해 안에 세부 일정을 공개하겠다고 말했다." in article.body
    assert fresh_db.execute(alerts, [chat]).fetchone()[0] == 1
    assert page_retries.pending_count(fresh_db) == 0


def test_a_page_that_never_comes_is_given_up(
    site: HostileSite, http: httpx.Client, fresh_db: Database
) -> None:
    report = IngestReport()
    ingest_items(fresh_db, SourceReader(http, db=fresh_db, report=report).read(
        site.url("/feed/teaser-403.xml")), report)
    when = datetime.now(KST)
    for _ in range(page_retries.MAX_ATTEMPTS):
        when += page_retries.MAX_WAIT + timedelta(minutes=1)
        retry_due_pages(fresh_db, http, now=when)
    assert page_retries.pending_count(fresh_db) == 0
    article = find_article(fresh_db, site.url("/page/forbidden"))
    assert article is not None and article.summary_only  # still what the feed said
