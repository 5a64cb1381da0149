"""Stored feeds: conditional GET, back-off after errors, and what is due when."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx

from ingest.sources import poll_due_feeds
from store import feeds as feed_store
from store import open_db
from store.articles import KST, count_articles
from tests.ingest_server import NewsSite

INTERVAL = 600
T0 = datetime(2025, 3, 10, 9, 0, tzinfo=KST)


def test_backoff_doubles_and_is_capped() -> None:
    assert [feed_store.backoff_seconds(n, 600) for n in (1, 2, 3)] == [1200, 2400, 4800]
    assert feed_store.backoff_seconds(40, 600) == feed_store.MAX_BACKOFF.total_seconds()


def test_feed_table_add_list_remove(tmp_path: Path) -> None:
    db = open_db(tmp_path / "s.db")
    feed, new = feed_store.add_feed(db, "http://127.0.0.1:9/rss.xml", "코드타임즈 IT")
    assert new and feed.title == "코드타임즈 IT" and feed.next_check_at is None
    assert feed_store.add_feed(db, "http://127.0.0.1:9/rss.xml")[1] is False
    assert [f.url for f in feed_store.list_feeds(db)] == ["http://127.0.0.1:9/rss.xml"]
    assert feed_store.remove_feed(db, "http://127.0.0.1:9/rss.xml")
    assert not feed_store.remove_feed(db, "http://127.0.0.1:9/rss.xml")
    assert feed_store.list_feeds(db) == []


def test_poll_uses_conditional_get_and_backs_off_broken_feeds(
    news_site: NewsSite, client: httpx.Client, tmp_path: Path
) -> None:
    db = open_db(tmp_path / "s.db")
    good, _ = feed_store.add_feed(db, news_site.url("/cond/rss.xml"))
    bad, _ = feed_store.add_feed(db, news_site.url("/broken/500"))

    first = poll_due_feeds(db, client, interval=INTERVAL, now=T0)
    assert (first.new, first.failed) == (4, 1)
    assert first.errors == [f"{bad.url}: HTTP 500 INTERNAL SERVER ERROR"]
    good = feed_store.get_feed(db, good.url)
    assert good.etag == '"v1"' and good.title == "코드타임즈 IT" and good.errors == 0
    assert good.next_check_at == (T0 + timedelta(seconds=INTERVAL)).isoformat()
    bad = feed_store.get_feed(db, bad.url)
    assert bad.errors == 1 and "HTTP 500" in bad.last_error
    assert bad.next_check_at == (T0 + timedelta(seconds=2 * INTERVAL)).isoformat()

    # One interval on: only the good feed is due, and it answers 304.
    requests_before = news_site.requests_to("/broken/500")
    second = poll_due_feeds(db, client, interval=INTERVAL, now=T0 + timedelta(seconds=INTERVAL))
    assert (second.new, second.failed) == (0, 0)
    assert news_site.requests_to("/broken/500") == requests_before
    last = [r for r, _ in news_site.server.log if r.path == "/cond/rss.xml"][-1]
    assert last.headers.get("If-None-Match") == '"v1"'
    assert last.headers.get("If-Modified-Since") == "Fri, 07 Mar 2025 00:00:00 GMT"

    # Two intervals on the broken feed is due again; a second failure doubles the wait.
    third = poll_due_feeds(db, client, interval=INTERVAL, now=T0 + timedelta(seconds=2 * INTERVAL))
    assert third.failed == 1 and "failed 2 times in a row" in third.errors[0]
    bad = feed_store.get_feed(db, bad.url)
    assert bad.errors == 2
    assert bad.next_check_at == (T0 + timedelta(seconds=2 * INTERVAL + 4 * INTERVAL)).isoformat()
    assert count_articles(db) == 4


def test_feed_with_a_failed_entry_keeps_no_validators(
    news_site: NewsSite, client: httpx.Client, tmp_path: Path
) -> None:
    db = open_db(tmp_path / "s.db")
    feed, _ = feed_store.add_feed(db, news_site.url("/cond/bad-entry.xml"))
    report = poll_due_feeds(db, client, interval=INTERVAL, now=T0)
    assert (report.new, report.failed) == (1, 1)  # the second entry links to an ftp:// URL
    feed = feed_store.get_feed(db, feed.url)
    # The feed itself worked, so no back-off; but the next poll must read it whole again
    # to retry the failed entry, so its ETag is not kept. Stored entries are not fetched again.
    assert feed.errors == 0 and feed.etag is None
    pages_before = news_site.requests_to("/news/1001")
    again = poll_due_feeds(db, client, interval=INTERVAL, now=T0 + timedelta(seconds=INTERVAL))
    assert (again.new, again.unchanged, again.failed) == (0, 1, 1)
    assert news_site.requests_to("/news/1001") == pages_before
    assert "If-None-Match" not in [r for r, _ in news_site.server.log][-1].headers


def test_html_where_a_feed_was_expected_backs_off(
    news_site: NewsSite, client: httpx.Client, tmp_path: Path
) -> None:
    db = open_db(tmp_path / "s.db")
    feed, _ = feed_store.add_feed(db, news_site.url("/news/1001"))  # a page, not a feed
    report = poll_due_feeds(db, client, interval=INTERVAL, now=T0)
    assert report.errors == [f"{feed.url}: HTML where a feed was expected"]
    assert feed_store.get_feed(db, feed.url).errors == 1
    assert count_articles(db) == 0
