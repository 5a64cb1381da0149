"""The rough edges people hit in a group: the greeting, /forget's count of alerts, the first
/summary catch-up, inline queries for unknown names, /help on one screen, topic /summary."""

from __future__ import annotations

import asyncio
import random
import re
from datetime import datetime
from pathlib import Path

from analysis.terms import subscription_key
from bot.app import build_application
from handlers.commands import COMMANDS, run_command
from handlers.reply import visible_length
from handlers.services import ChatContext, Services
from ingest.pipeline import ingest_items
from store import outbox
from store.articles import KST
from store.engine import Database
from store.subscriptions import add_subscription
from tests.alerts_data import make_article
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.test_delivery import FAST
from tests.test_group import member_change

PHONE_LINES = 12  # what one phone screen shows of short lines


async def test_the_greeting_says_what_mentions_need(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    async with running(app):
        botapi.push_update(member_change("left", "member"))
        [greeting] = await asyncio.to_thread(botapi.wait_sent, 1)
    text = greeting["text"]
    assert "관리자" in text and "privacy mode" in text and "멘션" in text
    assert len(text.splitlines()) <= 3


def test_forget_tells_sent_alerts_from_waiting_ones(fresh_db: Database) -> None:
    chat = -100321
    add_subscription(fresh_db, chat, "누리봇", subscription_key("누리봇"))
    items = [make_article(n, ("누리봇",), random.Random(n)).item for n in range(3)]
    assert ingest_items(fresh_db, items).new == 3
    sent = outbox.claim(fresh_db, chat, 2, "test", 1e12)
    outbox.mark_sent(fresh_db, [i.id for i in sent], 555, 1e12)  # two delivered, one waits
    reply = run_command(Services(db=fresh_db), "forget", "", ChatContext(chat_id=chat))
    assert "보내지 않은 알림 1건" in reply.plain and "보낸 알림 기록 2건" in reply.plain
    assert "구독 1건" in reply.plain


def test_the_first_catch_up_does_not_call_old_news_the_last_days(demo_services: Services) -> None:
    """The demo corpus arrived just now but was published months ago."""
    reply = run_command(demo_services, "summary", "", ChatContext(chat_id=5))
    heading = reply.plain.splitlines()[0]
    assert "최근 하루" not in heading
    assert re.fullmatch(r"🗞 최근 저장된 기사 \(발행일 \d{4}-\d\d-\d\d~\d{4}-\d\d-\d\d\)", heading)


def test_the_first_catch_up_of_fresh_news_says_the_last_day(fresh_db: Database) -> None:
    items = [make_article(n, ("누리봇",), random.Random(n), datetime.now(KST)).item for n in range(2)]
    ingest_items(fresh_db, items)
    reply = run_command(Services(db=fresh_db), "summary", "", ChatContext(chat_id=5))
    assert reply.plain.splitlines()[0] == "🗞 최근 하루 동안 들어온 기사"


async def test_an_inline_query_for_an_unknown_name_offers_nothing(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    async with running(app):
        for n, query in enumerate(["김철수 대표", "당근마켓 이용자", "정신아 대표"]):
            botapi.push_update({"inline_query": {
                "id": f"iq{n}", "from": {"id": 42, "is_bot": False, "first_name": "테스터"},
                "query": query, "offset": ""}})

        def answers(state):
            calls = [c for c in state.calls if c.method == "answerInlineQuery"]
            return calls if len(calls) == 3 else None

        calls = await asyncio.to_thread(botapi.wait_for, answers)
    results = {c.params["inline_query_id"]: c.params["results"] for c in calls}
    assert results["iq0"] == [] and results["iq1"] == []
    assert results["iq2"] and all("정신아" in r["title"] or "카카오" in r["title"]
                                  for r in results["iq2"][:1])


def test_help_fits_one_screen_and_help_command_tells_the_rest(demo_services: Services) -> None:
    reply = run_command(demo_services, "help", "", ChatContext())
    lines = reply.plain.splitlines()
    assert len(lines) <= PHONE_LINES and visible_length(reply.html) <= 450
    for command in COMMANDS:
        if command.name not in ("help", "start") and not command.owner_only:  # not the owner
            assert f"/{command.name}" in reply.plain, command.name
    mains = [c for c in COMMANDS if c.label]
    assert all(c.example in reply.plain for c in mains) and len(mains) <= 7
    assert "/help 명령" in reply.plain
    more = run_command(demo_services, "help", "/subscribe", ChatContext())
    assert "주제 안에서 구독하면" in more.plain and "/subscribe 카카오" in more.plain
    assert "모르는 명령" in run_command(demo_services, "help", "dance", ChatContext()).plain


def test_a_topic_summary_is_three_sentences_with_links(demo_services: Services) -> None:
    reply = run_command(demo_services, "summary", "카카오", ChatContext())
    lines = reply.html.splitlines()
    assert lines[0] == "📝 <b>카카오</b> 요약"
    assert len(lines) == 4 and all(line.startswith("• ") and "<a href=" in line for line in lines[1:])
    assert len(reply.article_ids) == 3 and len(set(lines[1:])) == 3
    assert visible_length(reply.html) < 600
