"""Follow-ups on what the bot showed, through the real Application and the loopback Bot API:
a reply to an answer, to a numbered list, to an alert and to an alert bundle asks about
those articles; '2번', '두 번째', '#2' pick an item; '이거 요약해줘' and '자세히' tell it."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from answer.question import item_of, read_question
from bot.app import build_application
from ingest.pipeline import ingest_items
from store.engine import Database
from tests.alerts_data import make_article
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.test_delivery import delivering, subscribe, until


def bot_message(sent: dict) -> dict:
    return {k: v for k, v in sent.items() if not k.startswith("_")}


async def wait_sent(api: BotAPIServer, count: int) -> list[dict]:
    return await asyncio.to_thread(api.wait_sent, count)


def test_which_item_a_reply_means() -> None:
    assert [item_of(t) for t in ("2번 자세히", "두 번째 요약해줘", "#3", "첫째 거", "둘째")] == [2, 2, 3, 1, 2]
    assert item_of("몇 번 보냈어?") == 0 and item_of("이거 요약해줘") == 0
    assert read_question("이거 요약해줘").retell and not read_question("예산은?").retell


async def test_a_reply_to_an_answer_tells_its_article(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/ask 독자 AI 파운데이션 모델 프로젝트 예산은?")
        [answer] = await wait_sent(botapi, 1)
        botapi.user_message("이거 요약해줘", reply_to=bot_message(answer))
        told = (await wait_sent(botapi, 2))[1]
    assert told["text"].startswith("📝") and told["text"].count("•") >= 2
    source = answer["text"].split("📰")[1].split("·")[0].strip()
    assert source in told["text"]  # the same article's publisher


async def test_a_reply_to_a_numbered_list_picks_the_item(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/ask 요즘 카카오 소식 있어?")
        [listed] = await wait_sent(botapi, 1)
        botapi.user_message("2번 자세히", reply_to=bot_message(listed))
        told = (await wait_sent(botapi, 2))[1]
    lines = listed["text"].split("\n")
    assert lines[1].startswith("1. ") and lines[2].startswith("2. ")
    second_title = lines[2].split(" · ")[1][:20].rstrip("…")
    assert told["text"].startswith("📝") and second_title in told["text"]


async def test_a_private_chat_needs_no_command_and_no_reply(
        botapi: BotAPIServer, demo_db_path: Path) -> None:
    """In a private chat a plain message is a question, and '2번 자세히' sent without a
    reply is about the bot's last list there."""
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    private = {"chat_id": 5151, "chat_type": "private"}
    async with running(app):
        botapi.user_message("2번 자세히", **private)  # nothing shown yet
        botapi.user_message("요즘 카카오 소식 있어?", **private)
        first, listed = await wait_sent(botapi, 2)
        botapi.user_message("2번 자세히", **private)
        told = (await wait_sent(botapi, 3))[2]
    assert first["text"].startswith("어느 목록의 2번인지 모르겠어요.")
    lines = listed["text"].split("\n")
    assert lines[1].startswith("1. ") and lines[2].startswith("2. ")
    second_title = lines[2].split(" · ")[1][:20].rstrip("…")
    assert told["text"].startswith("📝") and second_title in told["text"]


async def test_replies_to_an_alert_and_to_a_bundle(
    botapi: BotAPIServer, fresh_db: Database, tmp_path: Path
) -> None:
    subscribe(fresh_db, {-1001: ["누리봇"], -1002: ["별하늘"]})
    # Three stories of one company become one bundle for the first chat; one of another
    # company is a single alert for the second.
    items = [make_article(n, ("누리봇",), random.Random(n)).item for n in (1, 2, 3)]
    items.append(make_article(4, ("별하늘",), random.Random(4)).item)
    assert ingest_items(fresh_db, items).new == 4
    app = build_application(TOKEN, botapi.base_url, str(tmp_path / "fresh.db"))
    async with running(app):
        async with delivering(tmp_path / "fresh.db", botapi):
            await until(lambda: len(botapi.state.sent) >= 2)
        bundle = next(m for m in botapi.state.sent if m["_params"]["chat_id"] == -1001)
        single = next(m for m in botapi.state.sent if m["_params"]["chat_id"] == -1002)
        botapi.user_message("두 번째 요약해줘", chat_id=-1001, reply_to=bot_message(bundle))
        botapi.user_message("이거 자세히", chat_id=-1002, reply_to=bot_message(single))
        told = (await wait_sent(botapi, 4))[2:]
    by_chat = {m["_params"]["chat_id"]: m["text"] for m in told}
    second = bundle["text"].split("\n2. ")[1].split("\n")[0]
    assert by_chat[-1001].startswith("📝") and second[:15] in by_chat[-1001]
    assert by_chat[-1002].startswith("📝") and "별하늘" in by_chat[-1002]
