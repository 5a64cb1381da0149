"""The real PTB Application long-polling a Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import build_application
from tests.botapi import BOT_USERNAME, TOKEN, BotAPIServer
from tests.conftest import running

pytestmark = pytest.mark.both_engines  # on a SQLite file and on PostgreSQL


async def wait_sent(api: BotAPIServer, count: int = 1) -> list[dict]:
    return await asyncio.to_thread(api.wait_sent, count)


async def test_ask_in_supergroup_with_bot_username(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        asked = botapi.user_message(f"/ask@{BOT_USERNAME} 독자 AI 파운데이션 모델 프로젝트 예산은?")
        [sent] = await wait_sent(botapi)
    params = sent["_params"]
    assert params["parse_mode"] == "HTML"
    assert params["chat_id"] == -100123
    assert params["reply_parameters"]["message_id"] == asked
    # The amount leads the answer in the wording of the stored fact (with its 총).
    assert sent["text"].startswith("총 2100억원이에요")
    assert '<a href="https://' in params["text"] and ".example." in params["text"]
    # A single-article answer: its preview on, and a 원문 보기 button with the article's link.
    assert params["link_preview_options"]["is_disabled"] is False
    [[button]] = params["reply_markup"]["inline_keyboard"]
    assert button["text"] == "원문 보기" and button["url"] in params["text"]
    # The bot published its Korean command menu at start-up.
    assert {c["command"] for c in botapi.state.commands} >= {"ask", "search", "latest", "help"}


async def test_command_for_another_bot_is_ignored(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/latest@some_other_bot")
        botapi.user_message("/latest")
        sent = await wait_sent(botapi)
        await asyncio.sleep(0.5)
    assert len(botapi.state.sent) == 1
    assert "최신 기사" in sent[0]["text"]


async def test_reply_to_an_answer_is_a_follow_up(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/ask 코GPT 2.0 매개변수는 몇 개야?")
        [first] = await wait_sent(botapi)
        bot_message = {k: v for k, v in first.items() if not k.startswith("_")}
        botapi.user_message("그럼 학습한 데이터 토큰은 몇 개야?", reply_to=bot_message)
        second = (await wait_sent(botapi, 2))[1]
    assert "300억" in first["text"]
    assert "1조5000억" in second["text"]
    assert second["_params"]["reply_parameters"]["message_id"] != first["message_id"]


async def test_html_in_question_is_escaped(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message('/search <b>카카오</b> & "AND" *', chat_type="private", chat_id=42)
        [sent] = await wait_sent(botapi)
    # The server rejects invalid Bot API HTML with 400, so a sent message proves it was valid.
    assert "<b>카카오</b>" in sent["text"]
