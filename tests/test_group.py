"""The bot as a member of a group chat, through the real PTB Application and loopback API."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.app import build_application
from handlers.telegram_edge import STALE_BUTTON
from store import open_db
from tests.botapi import BOT_ID, BOT_USERNAME, TOKEN, BotAPIServer
from tests.conftest import running

GROUP = -100777


async def sent_after(api: BotAPIServer, count: int) -> list[dict]:
    return await asyncio.to_thread(api.wait_sent, count)


async def calls_of(api: BotAPIServer, method: str, count: int = 1) -> list:
    def found(state):
        calls = [c for c in state.calls if c.method == method]
        return calls if len(calls) >= count else None

    return await asyncio.to_thread(api.wait_for, found)


def member_change(old: str, new: str, chat_id: int = GROUP) -> dict:
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "뉴스메이트", "username": BOT_USERNAME}
    return {"my_chat_member": {
        "chat": {"id": chat_id, "type": "supergroup", "title": "AI 뉴스 방"},
        "from": {"id": 42, "is_bot": False, "first_name": "관리자"},
        "date": int(time.time()),
        "old_chat_member": {"status": old, "user": bot},
        "new_chat_member": {"status": new, "user": bot, **({"until_date": 0} if new == "kicked" else {})},
    }}


async def test_mentions_are_questions_and_chatter_is_ignored(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("오늘 점심 뭐 먹지?", chat_id=GROUP)
        botapi.user_message("@someone_else 카카오 소식 봤어?", chat_id=GROUP)
        botapi.user_message(f"@{BOT_USERNAME} 카나나 하위 모델은 몇 종이야?", chat_id=GROUP)
        [sent] = await sent_after(botapi, 1)
        await asyncio.sleep(0.5)
    assert len(botapi.state.sent) == 1  # only the mention got an answer
    assert "10종" in sent["text"]


async def test_search_pages_with_buttons_and_stale_button(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/search 카카오", chat_id=GROUP)
        [first] = await sent_after(botapi, 1)
        keyboard = first["_params"]["reply_markup"]["inline_keyboard"]
        next_button = [b for b in keyboard[-1] if b["text"].startswith("다음")][0]
        assert len(next_button["callback_data"].encode()) <= 64
        message = {k: v for k, v in first.items() if not k.startswith("_")}
        for data in (next_button["callback_data"], "pg:999999:1"):
            botapi.push_update({"callback_query": {
                "id": f"cb-{data}", "from": {"id": 42, "is_bot": False, "first_name": "테스터"},
                "chat_instance": "x", "data": data, "message": message}})
        [edit] = await calls_of(botapi, "editMessageText")
        answers = await calls_of(botapi, "answerCallbackQuery", 2)
    assert first["_params"]["link_preview_options"]["is_disabled"] is True  # lists: no preview
    assert first["text"].splitlines()[1].startswith("1.")
    assert edit.params["text"].splitlines()[1].startswith("6.")  # the second page
    assert any(a.params.get("text") == STALE_BUTTON for a in answers)


async def test_inline_query_offers_articles(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.push_update({"inline_query": {
            "id": "iq1", "from": {"id": 42, "is_bot": False, "first_name": "테스터"},
            "query": "하이퍼클로바X", "offset": ""}})
        [call] = await calls_of(botapi, "answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    assert "하이퍼클로바" in json.dumps(results, ensure_ascii=False)
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<a href=" in content["message_text"]


async def test_abuse_limit_warns_once_then_stays_silent(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        for _ in range(8):
            botapi.user_message("/latest", chat_id=GROUP, user_id=99)
        await sent_after(botapi, 6)
        await asyncio.sleep(1.0)
    texts = [m["text"] for m in botapi.state.sent]
    assert len(texts) == 6
    assert sum("요청이 너무 잦아요" in t for t in texts) == 1


async def test_added_to_group_greets_and_removal_stops_alerts(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.push_update(member_change("left", "member"))
        [greeting] = await sent_after(botapi, 1)
        botapi.push_update(member_change("member", "kicked"))

        def inactive(_state) -> bool:
            db = open_db(demo_db_path)
            row = db.execute("SELECT active FROM chats WHERE chat_id = ?", [GROUP]).fetchone()
            db.conn.close()
            return row is not None and row[0] == 0

        await asyncio.to_thread(botapi.wait_for, inactive)
    assert "뉴스메이트" in greeting["text"] and len(greeting["text"].splitlines()) <= 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_refuses_a_wrong_secret(botapi, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    port = free_port()
    update = {"update_id": 1, "message": {
        "message_id": 5, "date": int(time.time()), "text": "/latest",
        "chat": {"id": 42, "type": "private", "first_name": "테스터"},
        "from": {"id": 42, "is_bot": False, "first_name": "테스터"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}

    def post(secret: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/newsmate", data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    async with app:
        await app.post_init(app)
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="newsmate",
            webhook_url="https://bot.example.com/newsmate", secret_token="right-secret")
        await app.start()
        try:
            wrong = await asyncio.to_thread(post, "wrong-secret")
            await asyncio.sleep(0.3)
            assert not botapi.state.sent
            right = await asyncio.to_thread(post, "right-secret")
            [sent] = await sent_after(botapi, 1)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
    assert wrong == 403 and right == 200
    assert botapi.state.webhook_url == "https://bot.example.com/newsmate"
    assert "최신 기사" in sent["text"]


async def test_non_admin_cannot_subscribe_or_forget_in_a_group(botapi, demo_db_path: Path) -> None:
    botapi.state.admins[GROUP] = {7}  # user 7 administers the group, user 42 does not
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message("/subscribe 카카오", chat_id=GROUP, user_id=42)
        botapi.user_message("/forget", chat_id=GROUP, user_id=42)
        botapi.user_message("/subscribe 카카오", chat_id=GROUP, user_id=7)
        botapi.user_message("/subscriptions", chat_id=GROUP, user_id=42)  # anyone may list
        botapi.user_message("/forget", chat_id=GROUP, user_id=7)
        sent = await sent_after(botapi, 5)
    texts = [m["text"] for m in sent]
    assert "관리자만" in texts[0] and "관리자만" in texts[1]
    assert "카카오" in texts[2] and "관리자만" not in texts[2]
    assert "카카오" in texts[3]
    assert "지웠어요" in texts[4] and "구독 1건" in texts[4]
    checked = {c.params["user_id"] for c in botapi.state.calls if c.method == "getChatMember"}
    assert checked == {7, 42}
    db = open_db(demo_db_path)
    assert db.execute("SELECT count(*) FROM subscriptions WHERE chat_id = ?", [GROUP]).fetchone()[0] == 0
    db.conn.close()


async def test_a_failing_command_is_logged_without_token_and_apologised_once(
    botapi, demo_db_path: Path, caplog
) -> None:
    import logging
    import sqlite3

    from handlers.telegram_edge import SORRY

    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        # The store breaks under the running bot (say, a bad manual edit of the file).
        conn = sqlite3.connect(demo_db_path)
        conn.execute("DROP TABLE articles_fts")
        conn.commit()
        conn.close()
        with caplog.at_level(logging.ERROR):
            botapi.user_message("/search 카카오", chat_id=GROUP)
            [sent] = await sent_after(botapi, 1)
            await asyncio.sleep(0.5)
    assert sent["text"] == SORRY and len(botapi.state.sent) == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info is not None  # the traceback is logged
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
