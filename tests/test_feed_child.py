"""The bot polls feeds in a child process with limits: a hostile feed costs one poll,
never the bot's memory or its replies."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from bot.app import build_application
from bot.feed_job import FeedPoller
from store import feeds as feed_store
from store import open_db
from store.articles import count_articles
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.hostile_site import HostileSite, Timings


@pytest.fixture(scope="module")
def site() -> Iterator[HostileSite]:
    # The slow page answers within the fetch deadline, so a poll reading it lasts a while.
    with HostileSite(Timings(slow_answer=6.0, bomb_bytes=512 << 20)) as running_site:
        yield running_site


def _store_feeds(db_path: Path, *urls: str) -> None:
    db = open_db(db_path)
    for url in urls:
        feed_store.add_feed(db, url)
    db.conn.close()


async def _child_started(poller: FeedPoller) -> int:
    for _ in range(400):
        if poller.child_pid is not None:
            return poller.child_pid
        await asyncio.sleep(0.05)
    raise AssertionError("no poll started")


async def test_ask_is_answered_while_a_hostile_feed_is_polled(
    botapi: BotAPIServer, demo_db_path: Path, site: HostileSite
) -> None:
    _store_feeds(demo_db_path, site.url("/feed/bombs.xml"))
    before = count_articles(open_db(demo_db_path))
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        poller: FeedPoller = app.bot_data["feed_poller"]
        bot_memory = psutil.Process(os.getpid()).memory_info().rss
        poll = asyncio.create_task(poller.run())
        child = await _child_started(poller)
        botapi.user_message("/ask 독자 AI 파운데이션 모델 프로젝트 예산은?", chat_type="private",
                            chat_id=42)
        [sent] = await asyncio.to_thread(botapi.wait_sent, 1)
        # Answered while the poll was still waiting for the slow page.
        assert poller.child_pid == child and psutil.pid_exists(child)
        assert "2100억원" in sent["text"]
        await poll
        grown = psutil.Process(os.getpid()).memory_info().rss - bot_memory
    result = poller.last_result
    assert result is not None and result["failed"] == 0, result
    # All eight links are stored: the three whose pages came whole, the rest (two bombs, an
    # endless page, a 403 and a 404) from the feed's summary.
    assert (result["new"], result["summary_only"]) == (8, 5), result
    assert count_articles(open_db(demo_db_path)) == before + 8
    assert grown < 100 * 1024 * 1024  # the bombs and the endless page went to the child


async def test_a_poll_over_its_memory_limit_is_stopped(tmp_path: Path, site: HostileSite) -> None:
    db_path = tmp_path / "s.db"
    _store_feeds(db_path, site.url("/feed/deep.xml"))
    # Below what Kiwi alone takes: the child passes it as soon as it analyses an article.
    poller = FeedPoller(str(db_path), memory_mb=250)
    await poller.run()
    await poller.stop()
    assert poller.last_result == {"stopped": "memory"}
    assert count_articles(open_db(db_path)) == 0


async def test_a_poll_past_its_time_is_stopped(tmp_path: Path, site: HostileSite) -> None:
    db_path = tmp_path / "s.db"
    _store_feeds(db_path, site.url("/feed/slow-links.xml"))
    poller = FeedPoller(str(db_path), wall_seconds=2.0)
    task = asyncio.create_task(poller.run())
    child = await _child_started(poller)
    await task
    await poller.stop()
    assert poller.last_result == {"stopped": "time"}
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE


async def test_nothing_due_starts_no_child(tmp_path: Path) -> None:
    poller = FeedPoller(str(tmp_path / "empty.db"))
    await poller.run()
    await poller.stop()
    assert poller.last_result is None
