"""The one send path: the real Application and alert loop against a loopback Bot API server
that enforces Telegram's flood limits (time scaled, as in test_delivery.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.budget import ALERT, REPLY, Limits, SendBudget
from bot.delivery import DeliveryConfig
from store import open_db
from tests.alerts_data import delivered
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.test_delivery import FAST, SCALE, ingest, server_limits, subscribe, until

GROUP = -100777
COMMANDS = ["/latest", "/search 카카오", "/who 정신아", "/ask 카나나 하위 모델은 몇 종이야?",
            "/quote 카카오", "/search 네이버", "/subscriptions", "/summary 코GPT", "/latest",
            "/who 최수연"]


def replies_to(api: BotAPIServer, message_ids: list[int]) -> dict[int, list[dict]]:
    """The bot's messages that answer each of `message_ids` (by their reply_parameters)."""
    found: dict[int, list[dict]] = {m: [] for m in message_ids}
    for sent in api.state.sent:
        target = (sent["_params"].get("reply_parameters") or {}).get("message_id")
        if target in found:
            found[target].append(sent)
    return found


def limited_bot(api: BotAPIServer, db_path: Path, config: DeliveryConfig = FAST) -> Application:
    """The real Application against `api`, which enforces the same (scaled) limits."""
    api.enforce_limits(server_limits(config.limits))
    return build_application(TOKEN, api.base_url, str(db_path), config)


async def test_a_burst_of_20_commands_in_one_group_is_answered_in_full(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    """10 members send 2 commands each within a second: 20 answers, in order, no 429."""
    app = limited_bot(botapi, demo_db_path)
    async with running(app):
        asked = [botapi.user_message(COMMANDS[(2 * member + n) % len(COMMANDS)],
                                     chat_id=GROUP, user_id=500 + member)
                 for n in range(2) for member in range(10)]
        await asyncio.to_thread(botapi.wait_sent, 20, 60)
        await asyncio.sleep(0.5)  # a 21st message would show now
    answers = replies_to(botapi, asked)
    assert all(len(a) == 1 for a in answers.values()), {k: len(v) for k, v in answers.items()}
    assert len(botapi.state.sent) == 20 and botapi.state.flooded == []
    order = [(m["_params"]["reply_parameters"]["message_id"]) for m in botapi.state.sent]
    assert order == sorted(order)  # one chat's answers come in the order it asked
    assert not any("요청이 너무 잦아요" in m["text"] for m in botapi.state.sent)


async def test_the_21st_message_waits_for_the_group_window_and_the_notice_is_paced(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    """20 commands fill the group's minute; the abuse notice for the 21st is not lost to a
    429 but waits until the group may get a message again."""
    limits = Limits().scaled(2 * SCALE)  # a 3-second "minute"
    app = limited_bot(botapi, demo_db_path, replace(FAST, limits=limits))
    async with running(app):
        for n in range(21):
            botapi.user_message("/latest", chat_id=GROUP, user_id=600 + n % 7)
        sent = await asyncio.to_thread(botapi.wait_sent, 21, 60)
    assert botapi.state.flooded == []
    assert "요청이 너무 잦아요" in sent[20]["text"]
    assert sent[20]["_at"] - sent[0]["_at"] >= limits.group_window


async def test_a_429_on_a_reply_is_retried_for_that_chat_only(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    botapi.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                parameters={"retry_after": 1}, chat_id=GROUP)
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    async with running(app):
        [asked] = [botapi.user_message("/latest", chat_id=GROUP)]
        await asyncio.to_thread(botapi.wait_for, lambda s: s.calls)  # the group's try
        botapi.user_message("/latest", chat_id=42, chat_type="private")
        sent = await asyncio.to_thread(botapi.wait_sent, 2)
    tries = [c for c in botapi.state.calls
             if c.method == "sendMessage" and c.params["chat_id"] == GROUP]
    assert len(tries) == 2 and tries[1].at - tries[0].at >= 1.0  # after its retry_after
    private, group = sent
    assert private["_params"]["chat_id"] == 42 and group["_params"]["chat_id"] == GROUP
    assert private["_at"] < tries[1].at  # the other chat did not wait
    assert group["_params"]["reply_parameters"]["message_id"] == asked


async def test_a_reply_that_cannot_go_in_time_is_dropped_in_one_line(
    botapi: BotAPIServer, demo_db_path: Path, caplog
) -> None:
    """Telegram asks the chat to wait longer than a reply may wait: the reply is dropped
    with one log line, no traceback, no apology; the asker's next command is answered."""
    config = replace(FAST, limits=replace(FAST.limits, reply_deadline=1.0))
    botapi.fail("sendMessage", 429, "Too Many Requests: retry after 2",
                parameters={"retry_after": 2}, chat_id=GROUP)
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), config)
    with caplog.at_level(logging.INFO):
        async with running(app):
            botapi.user_message("/latest", chat_id=GROUP)
            await until(lambda: any("dropped" in r.getMessage() for r in caplog.records))
            await asyncio.sleep(2.2)  # the chat's pause is over
            later = botapi.user_message("/search 카카오", chat_id=GROUP)
            [sent] = await asyncio.to_thread(botapi.wait_sent, 1)
    assert sent["_params"]["reply_parameters"]["message_id"] == later
    dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 1 and dropped[0].exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_reply_does_not_wait_behind_alerts(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    """200 chats have alerts waiting and the bot sends them at the global limit (60 a
    second here, 50 with the margin); a command asked meanwhile is answered at once, and
    every alert still arrives once."""
    limits = replace(Limits(), per_chat_interval=0.1, group_window=6.0, global_window=0.5)
    chats = list(range(1, 201))
    db = open_db(demo_db_path)
    subscribe(db, {chat: ["누리봇"] for chat in chats})
    [url] = ingest(db, [1])
    db.conn.close()
    app = limited_bot(botapi, demo_db_path, replace(FAST, limits=limits, concurrency=8))
    async with running(app):
        await asyncio.to_thread(botapi.wait_sent, 30, 30)  # alerts are flowing
        asked_at = time.monotonic()
        asked = botapi.user_message("/latest", chat_id=GROUP)
        answer = await asyncio.to_thread(
            botapi.wait_for, lambda s: next((m for m in s.sent if m["_params"].get(
                "reply_parameters", {}).get("message_id") == asked), None), 30)
        alerts_before = sum(1 for m in botapi.state.sent[:botapi.state.sent.index(answer)]
                            if "새 기사" in m["text"])
        await asyncio.to_thread(botapi.wait_sent, len(chats) + 1, 60)
        await asyncio.sleep(0.3)
    # Jumped the queue: only the alerts already in flight when it was asked went first (an
    # order, not a time, so a loaded machine does not fail it).
    overtaken = sum(1 for m in botapi.state.sent[:botapi.state.sent.index(answer)]
                    if "새 기사" in m["text"] and m["_at"] > asked_at)
    assert overtaken <= 2 * 8, overtaken  # two rounds of the 8 concurrent sends at most
    assert alerts_before < len(chats) / 2  # most alerts were still waiting
    alerts = [m for m in botapi.state.sent if m["_params"]["chat_id"] in chats]
    assert delivered(alerts) == {(chat, url): 1 for chat in chats}
    assert botapi.state.flooded == []


async def test_page_buttons_pressed_fast_are_paced_not_refused(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    """Edits and callback answers draw on the same budget as messages."""
    limits = FAST.limits
    app = limited_bot(botapi, demo_db_path)
    async with running(app):
        botapi.user_message("/search 카카오", chat_id=GROUP)
        [first] = await asyncio.to_thread(botapi.wait_sent, 1)
        keyboard = first["_params"]["reply_markup"]["inline_keyboard"]
        data = [b for b in keyboard[-1] if b["text"].startswith("다음")][0]["callback_data"]
        message = {k: v for k, v in first.items() if not k.startswith("_")}
        for n in range(4):
            botapi.push_update({"callback_query": {
                "id": f"cb{n}", "from": {"id": 42, "is_bot": False, "first_name": "테스터"},
                "chat_instance": "x", "data": data, "message": message}})

        def done(state):
            calls = [c for c in state.calls if c.method in ("editMessageText", "answerCallbackQuery")]
            return calls if len(calls) == 8 else None

        calls = await asyncio.to_thread(botapi.wait_for, done, 30)
    assert botapi.state.flooded == []
    edits = [c.at for c in calls if c.method == "editMessageText"]
    assert len(edits) == 4
    assert all(b - a >= limits.per_chat_interval for a, b in zip(edits, edits[1:]))


# -- the budget's order, on its own ------------------------------------------------------


async def test_in_one_chat_a_reply_goes_before_an_alert_that_waited_longer() -> None:
    budget = SendBudget(Limits(per_chat_interval=0.2, min_margin=0.0, margin=0.0))
    order: list[str] = []

    async def send(name: str, priority: int) -> None:
        await budget.take(-5, priority)
        order.append(name)

    await budget.take(-5, REPLY)  # the chat just got a message: the next must wait
    alert = asyncio.create_task(send("alert", ALERT))
    await asyncio.sleep(0.05)
    reply = asyncio.create_task(send("reply", REPLY))
    await asyncio.gather(alert, reply)
    assert order == ["reply", "alert"]


async def test_a_waiting_chat_does_not_hold_up_another_chat() -> None:
    budget = SendBudget(Limits(per_chat_interval=1.0, min_margin=0.0, margin=0.0))
    await budget.take(1)
    started = time.monotonic()
    waiting = asyncio.create_task(budget.take(1))  # waits a second for chat 1
    await asyncio.sleep(0.01)
    await budget.take(2, ALERT)  # another chat, even at a lower priority, goes now
    assert time.monotonic() - started < 0.5 and not waiting.done()
    await waiting


async def test_the_global_limit_serves_replies_first() -> None:
    limits = Limits(global_max=2, global_window=0.3, global_margin=0.0)
    budget = SendBudget(limits)
    order: list[str] = []

    async def send(name: str, chat: int, priority: int) -> None:
        await budget.take(chat, priority)
        order.append(name)

    await budget.take(100)
    await budget.take(101)  # the window is full
    tasks = [asyncio.create_task(send(f"alert{n}", 200 + n, ALERT)) for n in range(3)]
    await asyncio.sleep(0.02)
    tasks.append(asyncio.create_task(send("reply", 300, REPLY)))
    await asyncio.gather(*tasks)
    assert order[0] == "reply" and sorted(order[1:]) == ["alert0", "alert1", "alert2"]


def test_limits_scale_the_reply_deadline_too() -> None:
    assert Limits().scaled(10).reply_deadline == 12.0
    assert DeliveryConfig().limits.reply_deadline == 120.0
