"""The delivery loop against the loopback Bot API: failures Telegram really answers with,
flood limits, bundling, and an article ingested by a separate process."""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from analysis.terms import subscription_key
from bot.app import build_application
from bot.delivery import DeliveryConfig, DeliveryLoop, Limits
from ingest.pipeline import ingest_items
from store import open_db
from store.engine import Database
from store.outbox import status_counts
from store.subscriptions import add_subscription, list_subscriptions
from tests.alerts_data import (
    delivered,
    expected_pairs,
    make_article,
    plan_articles,
    plan_subscriptions,
)
from tests.botapi import TOKEN, BotAPIServer, FloodLimits
from tests.conftest import running

ROOT = Path(__file__).resolve().parent.parent
SCALE = 10  # flood-limit time runs 10x faster where the limit itself is not under test
FAST = DeliveryConfig(poll_seconds=0.1, gather_seconds=0.1, max_hold_seconds=1.0,
                      backoff_base=0.2, send_timeout=5.0, limits=Limits().scaled(SCALE))


def server_limits(limits: Limits) -> FloodLimits:
    return FloodLimits(limits.per_chat_interval, limits.group_max, limits.group_window,
                       limits.global_max, limits.global_window)


def subscribe(db: Database, subs: dict[int, list[str]]) -> None:
    for chat, names in subs.items():
        for name in names:
            add_subscription(db, chat, name, subscription_key(name))


def ingest(db: Database, numbers: list[int], companies: tuple[str, ...] = ("누리봇",)) -> list[str]:
    """Ingest made-up articles about `companies`; returns their URLs."""
    items = [make_article(n, companies, random.Random(n)).item for n in numbers]
    report = ingest_items(db, items)
    assert report.new == len(items), report.summary()
    return [i.url for i in items]


@asynccontextmanager
async def delivering(db_path: Path, api: BotAPIServer,
                     config: DeliveryConfig = FAST) -> AsyncIterator[DeliveryLoop]:
    loop = DeliveryLoop(str(db_path), TOKEN, api.base_url, config)
    await loop.start()
    try:
        yield loop
    finally:
        await loop.stop()


async def until(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise TimeoutError("the alerts did not arrive in time")


def sends_to(api: BotAPIServer, chat_id: int) -> list[Any]:
    return [c for c in api.state.calls if c.method == "sendMessage" and c.params["chat_id"] == chat_id]


# -- one failure at a time ----------------------------------------------------------------


async def test_429_waits_retry_after_and_other_chats_go_on(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {1: ["누리봇"], 2: ["누리봇"]})
    [url] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                parameters={"retry_after": 1}, chat_id=1)
    async with delivering(tmp_path / "fresh.db", botapi) as loop:
        await until(lambda: len(delivered(botapi.state.sent)) == 2)
        await asyncio.sleep(0.3)
    assert delivered(botapi.state.sent) == {(1, url): 1, (2, url): 1}
    first, retry = sends_to(botapi, 1)
    assert retry.at - first.at >= 1.0  # waited the retry_after Telegram gave
    to_two = [m for m in botapi.state.sent if m["_params"]["chat_id"] == 2][0]
    assert to_two["_at"] < retry.at  # the other chat did not wait for it
    assert loop.stats.flood_waits == 1


async def test_403_stops_alerts_for_that_chat_only(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {1: ["누리봇"], 2: ["누리봇"]})
    [first] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=1)
    async with delivering(tmp_path / "fresh.db", botapi):
        await until(lambda: (2, first) in delivered(botapi.state.sent))
        await until(lambda: status_counts(fresh_db).get("dropped") == 1)
        [second] = ingest(fresh_db, [2])  # after the chat was found blocked
        await until(lambda: (2, second) in delivered(botapi.state.sent))
        await asyncio.sleep(0.3)
    assert set(delivered(botapi.state.sent)) == {(2, first), (2, second)}
    assert fresh_db.execute("SELECT active FROM chats WHERE chat_id = 1").fetchone() == (0,)
    assert len(sends_to(botapi, 1)) == 1  # tried once, never again


async def test_group_upgraded_to_supergroup_moves_and_resends(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    old, new = -500, -100500
    subscribe(fresh_db, {old: ["한빛칩", "누리봇"]})
    [first] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
                parameters={"migrate_to_chat_id": new}, chat_id=old)
    async with delivering(tmp_path / "fresh.db", botapi) as loop:
        await until(lambda: (new, first) in delivered(botapi.state.sent))
        [second] = ingest(fresh_db, [2])
        await until(lambda: (new, second) in delivered(botapi.state.sent))
    assert delivered(botapi.state.sent) == {(new, first): 1, (new, second): 1}
    assert [s.term for s in list_subscriptions(fresh_db, new)] == ["한빛칩", "누리봇"]
    assert list_subscriptions(fresh_db, old) == []
    assert loop.stats.migrated_chats == 1


async def test_502_is_retried_with_back_off(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {1: ["누리봇"]})
    [url] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 502, "Bad Gateway", chat_id=1, times=2)
    async with delivering(tmp_path / "fresh.db", botapi) as loop:
        await until(lambda: delivered(botapi.state.sent))
        await asyncio.sleep(0.3)
    assert delivered(botapi.state.sent) == {(1, url): 1}
    calls = [c.at for c in sends_to(botapi, 1)]
    assert len(calls) == 3
    assert calls[1] - calls[0] >= 0.2 and calls[2] - calls[1] >= 0.4  # doubling back-off
    assert loop.stats.retries == 2 and loop.stats.ambiguous == 0


async def test_a_slow_answer_is_waited_for_not_resent(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {1: ["누리봇"], 2: ["누리봇"]})
    [url] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 200, "", chat_id=1, delay=1.5)  # answers, but slowly
    async with delivering(tmp_path / "fresh.db", botapi):
        await until(lambda: len(delivered(botapi.state.sent)) == 2)
        await asyncio.sleep(0.3)
    assert delivered(botapi.state.sent) == {(1, url): 1, (2, url): 1}
    assert len(sends_to(botapi, 1)) == 1


async def test_a_timed_out_send_is_retried_once_and_may_repeat(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    """The documented duplicate window: the server took the message but answered after our
    read timeout. One retry follows after the back-off (never a burst of blind retries,
    python-telegram-bot #1045), so the chat sees it twice at most."""
    subscribe(fresh_db, {1: ["누리봇"]})
    [url] = ingest(fresh_db, [1])
    botapi.fail("sendMessage", 200, "", chat_id=1, delay=1.0)
    config = DeliveryConfig(**{**FAST.__dict__, "send_timeout": 0.4})
    async with delivering(tmp_path / "fresh.db", botapi, config) as loop:
        await until(lambda: loop.stats.sent_messages == 1)
        await asyncio.sleep(1.0)
    assert delivered(botapi.state.sent) == {(1, url): 2}
    assert loop.stats.ambiguous == 1 and status_counts(fresh_db) == {"sent": 1}


async def test_a_burst_becomes_one_bundled_message(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {1: ["누리봇"], 2: ["한빛칩"]})
    urls = ingest(fresh_db, [1, 2, 3, 4, 5])
    [single] = ingest(fresh_db, [6], ("한빛칩",))
    async with delivering(tmp_path / "fresh.db", botapi):
        await until(lambda: len(delivered(botapi.state.sent)) == 6)
        await asyncio.sleep(0.3)
    to_one = [m for m in botapi.state.sent if m["_params"]["chat_id"] == 1]
    assert len(to_one) == 1 and "새 기사 5건" in to_one[0]["text"]
    assert set(delivered(to_one)) == {(1, u) for u in urls}
    [to_two] = [m for m in botapi.state.sent if m["_params"]["chat_id"] == 2]
    assert "‘한빛칩’ 새 기사" in to_two["text"] and "원문" in to_two["text"]


# -- many chats under the flood limits -----------------------------------------------------


def assert_within(sent: list[dict[str, Any]], lim: Limits) -> None:
    """No chat got two messages within the per-chat interval, no group more than group_max
    within its window, and nobody more than global_max within a second (scaled)."""
    times: dict[int, list[float]] = {}
    for m in sent:
        times.setdefault(int(m["_params"]["chat_id"]), []).append(m["_at"])
    for chat, stamps in times.items():
        stamps.sort()
        assert all(b - a >= lim.per_chat_interval for a, b in zip(stamps, stamps[1:])), chat
        if chat < 0:
            assert all(stamps[i + lim.group_max] - stamps[i] >= lim.group_window
                       for i in range(len(stamps) - lim.group_max)), chat
    every = sorted(m["_at"] for m in sent)
    assert all(every[i + lim.global_max] - every[i] >= lim.global_window
               for i in range(len(every) - lim.global_max))


async def test_200_chats_50_articles_each_alert_exactly_once(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    # Time runs 5x faster here, but request jitter does not: the global margin keeps the
    # length it has at real speed (0.2 s), or a stalled event loop lets a burst of sends
    # that left 0.24 s apart reach the server within its 0.2 s window.
    limits = replace(Limits(), global_margin=Limits().global_margin * 5).scaled(5)
    botapi.enforce_limits(server_limits(limits))
    chats = [n + 1 for n in range(100)] + [-(1000 + n) for n in range(100)]
    subs = plan_subscriptions(chats)
    subscribe(fresh_db, subs)
    articles = plan_articles(50)
    expected = expected_pairs(subs, articles)
    config = DeliveryConfig(**{**FAST.__dict__, "limits": limits, "gather_seconds": 0.3})
    writer = open_db(tmp_path / "fresh.db")  # a second connection, like another process
    async with delivering(tmp_path / "fresh.db", botapi, config) as loop:
        # Articles arrive while the loop is delivering, a few at a time.
        for start in range(0, 50, 10):
            report = await asyncio.to_thread(ingest_items, writer, [a.item for a in articles[start:start + 10]])
            assert report.new == 10
        await until(lambda: set(delivered(botapi.state.sent)) >= expected, timeout=40)
        await asyncio.sleep(0.5)  # anything sent twice would show now
    writer.conn.close()
    counts = delivered(botapi.state.sent)
    assert set(counts) == expected and set(counts.values()) == {1}
    assert botapi.state.flooded == [] and loop.stats.flood_waits == 0
    assert_within(botapi.state.sent, limits)
    assert len(botapi.state.sent) < len(expected) / 2  # bursts were bundled


async def test_one_group_stays_under_20_a_minute(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    limits = Limits().scaled(20)  # a 3-second "minute"
    botapi.enforce_limits(server_limits(limits))
    subscribe(fresh_db, {-77: ["누리봇"]})
    urls = ingest(fresh_db, list(range(25)))
    # Bundling off, so every alert is its own message and the group limit is what binds.
    config = DeliveryConfig(**{**FAST.__dict__, "limits": limits, "bundle_min": 10**6})
    async with delivering(tmp_path / "fresh.db", botapi, config):
        await until(lambda: len(botapi.state.sent) == 25, timeout=20)
    assert set(delivered(botapi.state.sent)) == {(-77, u) for u in urls}
    assert botapi.state.flooded == []
    assert_within(botapi.state.sent, limits)
    stamps = sorted(m["_at"] for m in botapi.state.sent)
    assert stamps[20] - stamps[0] >= limits.group_window  # the 21st waited for the window


# -- a separate ingest process --------------------------------------------------------------


async def test_article_ingested_by_another_process_is_alerted_within_30s(
    botapi: BotAPIServer, demo_db_path: Path, tmp_path: Path
) -> None:
    """`newsmate ingest` from cron while the bot runs, polled at the default interval."""
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path),
                            DeliveryConfig(gather_seconds=1.0))
    article = make_article(900, ("별빛클라우드",), random.Random(9)).item
    corpus = tmp_path / "new.jsonl"
    corpus.write_text(json.dumps({
        "id": article.source_id, "title": article.title, "url": article.url, "body": article.body,
        "publisher": article.publisher, "published_at": article.published_at,
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    async with running(app):
        botapi.user_message("/subscribe 별빛클라우드", chat_id=42, chat_type="private")
        await asyncio.to_thread(botapi.wait_sent, 1)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "--db", str(demo_db_path), "ingest", str(corpus),
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        committed = time.monotonic()
        await until(lambda: len(botapi.state.sent) >= 2, timeout=30)
        latency = time.monotonic() - committed
    alert = botapi.state.sent[1]
    assert latency < 30
    assert "‘별빛클라우드’ 새 기사" in alert["text"] and article.title in alert["text"]
    assert Counter(delivered(botapi.state.sent)) == {(42, article.url): 1}
