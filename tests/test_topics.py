"""Forum topics: what is asked in a topic is alerted into that topic; a topic closed or
deleted since sends to General with a one-line note. Real Application and alert loop
against the loopback Bot API server, which refuses topics as Telegram does."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.delivery import DeliveryLoop
from handlers.alerts import TOPIC_GONE_NOTE
from store import open_db
from store.articles import KST
from store.subscriptions import alert_settings, list_subscriptions, set_quiet
from tests.alerts_data import delivered
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.test_delivery import FAST, delivering, ingest, subscribe, until

FORUM = -100555
ADMIN = 42


def sends_to(api: BotAPIServer, chat_id: int) -> list:
    return [c for c in api.state.calls if c.method == "sendMessage" and c.params["chat_id"] == chat_id]


@pytest.mark.parametrize("gone", ["close", "delete"])
async def test_a_subscription_in_a_topic_alerts_there_until_the_topic_goes(
    botapi: BotAPIServer, demo_db_path: Path, gone: str
) -> None:
    botapi.state.admins[FORUM] = {ADMIN}
    news, other = botapi.open_topic(FORUM), botapi.open_topic(FORUM)
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    writer = open_db(demo_db_path)  # ingest as a separate `newsmate ingest` would
    async with running(app):
        botapi.user_message("/subscribe 누리봇", chat_id=FORUM, user_id=ADMIN, thread_id=news)
        botapi.user_message("/latest", chat_id=FORUM, user_id=7, thread_id=other)
        confirm, answer = await asyncio.to_thread(botapi.wait_sent, 2)
        [first] = await asyncio.to_thread(ingest, writer, [1])
        alert = (await asyncio.to_thread(botapi.wait_sent, 3))[2]

        getattr(botapi, f"{gone}_topic")(FORUM, news)
        [second] = await asyncio.to_thread(ingest, writer, [2])
        fallback = (await asyncio.to_thread(botapi.wait_sent, 4))[3]
        [third] = await asyncio.to_thread(ingest, writer, [3])
        later = (await asyncio.to_thread(botapi.wait_sent, 5))[4]
    writer.conn.close()
    # Answers stay in the topic they were asked in; the alert goes where /subscribe was.
    assert confirm["message_thread_id"] == news and answer["message_thread_id"] == other
    assert alert["message_thread_id"] == news and (FORUM, first) in delivered([alert])
    # The gone topic: Telegram refused once, then General with the note, then General.
    refused = [c for c in sends_to(botapi, FORUM) if c.params.get("message_thread_id") == news]
    assert len(refused) == 3  # the confirmation, the first alert, the refused try
    assert "message_thread_id" not in fallback and (FORUM, second) in delivered([fallback])
    assert fallback["text"].splitlines()[0] == TOPIC_GONE_NOTE
    assert "message_thread_id" not in later and (FORUM, third) in delivered([later])
    assert TOPIC_GONE_NOTE not in later["text"]
    assert len(sends_to(botapi, FORUM)) == 6  # nothing else was tried
    db = open_db(demo_db_path)
    assert [s.thread_id for s in list_subscriptions(db, FORUM)] == [None]
    db.conn.close()


async def test_quiet_and_digest_asked_in_a_topic_are_kept_with_it(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    botapi.state.admins[FORUM] = {ADMIN}
    quiet_topic, digest_topic = botapi.open_topic(FORUM), botapi.open_topic(FORUM)
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    async with running(app):
        botapi.user_message("/quiet 23-07", chat_id=FORUM, user_id=ADMIN, thread_id=quiet_topic)
        [quiet_reply] = await asyncio.to_thread(botapi.wait_sent, 1)
        db = open_db(demo_db_path)
        assert alert_settings(db, FORUM).thread_id == quiet_topic
        botapi.user_message("/digest 09:00", chat_id=FORUM, user_id=ADMIN, thread_id=digest_topic)
        digest_reply = (await asyncio.to_thread(botapi.wait_sent, 2))[1]
        assert alert_settings(db, FORUM).thread_id == digest_topic
        db.conn.close()
    assert quiet_reply["message_thread_id"] == quiet_topic
    assert digest_reply["message_thread_id"] == digest_topic


async def test_the_quiet_hours_digest_goes_to_the_topic_quiet_was_set_in(
    botapi: BotAPIServer, fresh_db, tmp_path: Path
) -> None:
    """Alerts held through quiet hours come as one digest, into the settings' topic even
    though the subscriptions were made in another."""
    subs_topic, quiet_topic = botapi.open_topic(FORUM), botapi.open_topic(FORUM)
    subscribe(fresh_db, {FORUM: ["누리봇"]})
    fresh_db.execute("UPDATE subscriptions SET thread_id = ?", [subs_topic])
    hour = datetime.now(KST).hour  # quiet now, for one hour
    set_quiet(fresh_db, FORUM, hour, (hour + 1) % 24, quiet_topic)
    urls = ingest(fresh_db, [1, 2])

    def an_hour_on() -> float:  # the loop's wall clock: the quiet hours are over
        return time.time() + 3600

    loop = DeliveryLoop(str(tmp_path / "fresh.db"), TOKEN, botapi.base_url, FAST, an_hour_on)
    await loop.start()
    try:
        await until(lambda: botapi.state.sent)
        await asyncio.sleep(0.3)
    finally:
        await loop.stop()
    [digest] = botapi.state.sent
    assert digest["message_thread_id"] == quiet_topic
    assert "조용한 시간" in digest["text"]
    assert set(delivered([digest])) == {(FORUM, u) for u in urls}


async def test_without_topics_nothing_names_a_thread(
    botapi: BotAPIServer, fresh_db, tmp_path: Path
) -> None:
    subscribe(fresh_db, {-100900: ["누리봇"]})
    ingest(fresh_db, [1])
    async with delivering(tmp_path / "fresh.db", botapi):
        await until(lambda: botapi.state.sent)
    [alert] = botapi.state.sent
    assert "message_thread_id" not in alert["_params"] and "message_thread_id" not in alert
