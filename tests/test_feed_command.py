"""/feed for the owners in a private chat, a polite no for everyone else; in the shared
command code, through the real bot, and in the terminal chat."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import build_application
from bot.chat import reply_to_line
from bot.runtime import owner_ids
from handlers.commands import run_command
from handlers.feed import OWNER_ONLY, PRIVATE_ONLY
from handlers.services import ChatContext, Services
from store import feeds as feed_store
from store.engine import Database
from tests.botapi import TOKEN, BotAPIServer, check_html
from tests.conftest import running

OWNER = 4242
FEED = "https://news.example.com/rss.xml"


@pytest.fixture
def services(fresh_db: Database) -> Services:
    return Services(db=fresh_db, owner_ids=frozenset({OWNER}))


def say(services: Services, text: str, user: int = OWNER, chat_type: str = "private") -> str:
    name, _, args = text[1:].partition(" ")
    chat = ChatContext(chat_id=user if chat_type == "private" else -100, user_id=user,
                       chat_type=chat_type)
    reply = run_command(services, name, args, chat)
    check_html(reply.html)
    return reply.visible


def test_the_owner_adds_lists_and_removes_feeds(services: Services) -> None:
    assert say(services, "/feed list").startswith("저장된 피드가 없어요")
    assert say(services, f"/feed add <{FEED}>").startswith(f"추가했어요: {FEED}")
    assert say(services, f"/feed add {FEED}").startswith("이미 있는 피드예요")
    say(services, "/feed add http://127.0.0.1:9/atom.xml")
    listed = say(services, "/feed list")
    assert listed.startswith("피드 2개예요.")
    assert f"1. (제목 아직 모름)\n   {FEED}\n   아직 읽지 않았어요" in listed
    # A failed first read shows in the list, with the error and the next try.
    feed = feed_store.get_feed(services.db, "http://127.0.0.1:9/atom.xml")
    feed_store.record_error(services.db, feed.id, "ConnectError: refused <b>")
    assert "연속 1회 실패 (ConnectError: refused <b>)" in say(services, "/feed list")
    assert say(services, "/feed remove 2").startswith("지웠어요: http://127.0.0.1:9/atom.xml")
    assert say(services, f"/feed remove {FEED}").startswith(f"지웠어요: {FEED}")
    assert say(services, f"/feed remove {FEED}").startswith("그런 피드가 없어요")
    assert feed_store.list_feeds(services.db) == []


@pytest.mark.parametrize("text", ["/feed", "/feed help", "/feed add", "/feed list everything"])
def test_unclear_feed_commands_get_the_usage(services: Services, text: str) -> None:
    assert say(services, text).startswith("이렇게 써 주세요.")


@pytest.mark.parametrize("url", ["ftp://x.example/rss", "news.example.com/rss", "https://", "https://a b"])
def test_only_web_addresses_are_added(services: Services, url: str) -> None:
    assert say(services, f"/feed add {url}").startswith("http:// 또는 https:// 로 시작하는")
    assert feed_store.list_feeds(services.db) == []


def test_others_are_told_politely_and_nothing_changes(services: Services) -> None:
    feed_store.add_feed(services.db, FEED)
    assert say(services, "/feed list", user=7) == OWNER_ONLY
    assert say(services, f"/feed remove {FEED}", user=7) == OWNER_ONLY
    assert say(services, "/feed list", user=7, chat_type="supergroup") == OWNER_ONLY
    # The owner too, in a group: the list of feeds is not for everyone to read.
    assert say(services, "/feed list", chat_type="supergroup") == PRIVATE_ONLY
    assert [f.url for f in feed_store.list_feeds(services.db)] == [FEED]


def test_help_shows_feed_to_the_owner_only(services: Services) -> None:
    assert "/feed" in say(services, "/help")
    assert "/feed" not in say(services, "/help", user=7)


def test_owner_ids_are_read_from_the_setting() -> None:
    assert owner_ids("123, 456 789") == frozenset({123, 456, 789})
    assert owner_ids("123,abc") == frozenset({123})
    assert owner_ids("") == frozenset()


def test_the_terminal_chat_is_the_owner(fresh_db: Database) -> None:
    services = Services(db=fresh_db)  # no owner ids at all
    chat = ChatContext(chat_id=0, user_id=0, chat_type="private", at_terminal=True)
    assert reply_to_line(services, f"/feed add {FEED}", chat).startswith("추가했어요")
    assert reply_to_line(services, "/feed list", ChatContext()) == OWNER_ONLY  # not the terminal


async def test_feed_through_the_real_bot(
    botapi: BotAPIServer, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSMATE_OWNER_ID", f"{OWNER}, 99")
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path))
    async with running(app):
        botapi.user_message(f"/feed add {FEED}", chat_type="private", chat_id=OWNER, user_id=OWNER)
        await asyncio.to_thread(botapi.wait_sent, 1)
        botapi.user_message("/feed list", chat_type="private", chat_id=7, user_id=7)
        await asyncio.to_thread(botapi.wait_sent, 2)
        botapi.user_message("/feed list", chat_id=-100123, user_id=OWNER)
        sent = await asyncio.to_thread(botapi.wait_sent, 3)
    added, refused, in_group = (m["text"] for m in sent)
    assert added.startswith(f"추가했어요: {FEED}")
    assert refused == OWNER_ONLY and in_group == PRIVATE_ONLY
    assert "feed" not in {c["command"] for c in botapi.state.commands}  # not in everyone's menu
