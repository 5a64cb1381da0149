"""/story and the lists grouped by story: /search, /latest, inline results and /summary
show one line per story with '관련 기사 N건'; a reply '관련 기사 N' to a list opens its story.
The commands run on a SQLite file and on PostgreSQL; the bot test on SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import build_application
from handlers.commands import run_command
from handlers.inline import inline_articles
from handlers.services import ChatContext, Services
from handlers.story import is_related_request
from ingest.pipeline import ingest_items
from store import open_db
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.story_data import ARTICLES, articles


def filled(location: str) -> str:
    """The store at `location` with every test article ingested."""
    db = open_db(location)
    report = ingest_items(db, articles([k for k, *_ in ARTICLES]))
    assert report.new == len(ARTICLES)
    db.conn.close()
    return location


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file of the test articles (the bot test runs on a copy of it)."""
    path = tmp_path_factory.mktemp("stories") / "store.db"
    filled(str(path))
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def services(request: pytest.FixtureRequest, store_path: Path) -> Iterator[Services]:
    """The commands' services over the test articles, on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        db = open_db(store_path)
    else:
        server = request.getfixturevalue("postgres_server")
        db = open_db(filled(server.create_database("story_commands")))
    yield Services(db)
    db.conn.close()


def number(services: Services, key: str) -> int:
    return services.db.execute("SELECT id FROM articles WHERE source_id = ?",
                               [f"story-{key}"]).fetchone()[0]


def items(text: str) -> list[str]:
    """The numbered lines of a list reply, each with the meta line under it."""
    lines = text.split("\n")
    return [f"{line}\n{lines[i + 1]}" for i, line in enumerate(lines[:-1])
            if line[:1].isdigit() and ". " in line[:4]]


def test_search_shows_one_line_per_story(services: Services) -> None:
    reply = run_command(services, "search", "일회용 컵 보증금 조례", ChatContext())
    found = items(reply.visible)
    cup = [line for line in found if "관련 기사 3건" in line]
    assert len(cup) == 1  # the wire story and its three rewrites: one line
    assert sum("보증금" in line for line in found) == 3  # and the column and the next day's
    assert len(reply.article_ids) == len(set(reply.article_ids)) == len(found)


def test_latest_shows_each_story_once_with_its_lead(services: Services) -> None:
    reply = run_command(services, "latest", "", ChatContext())
    found = items(reply.visible)
    assert len(found) == 5  # five stories among twelve articles
    assert "바람섬 앞바다 여객선 좌초, 승객 132명 전원 구조(종합)" in found[0]  # the lead, not the 속보
    assert "관련 기사 4건" in found[0]
    assert reply.article_ids[0] == number(services, "ferry-wrap")


def test_inline_results_are_stories(services: Services) -> None:
    results = inline_articles(services, "바람섬 여객선")
    assert len(results) == 1 and "관련 기사 4건" in results[0].description


def test_whats_new_on_a_subject_lists_its_stories(services: Services) -> None:
    """'바람섬 여객선 소식?' (a subject and 소식, nothing else) is what is new on it: the five
    articles of the grounding are one line, its newest article with '관련 기사 4건'."""
    reply = run_command(services, "ask", "바람섬 여객선 소식?", ChatContext())
    found = [line for line in reply.visible.split("\n") if line[:1].isdigit()]
    assert len(found) == 1 and "관련 기사 4건" in found[0], reply.visible
    assert reply.article_ids == [number(services, "ferry-update")]


def test_catch_up_summary_lists_stories(services: Services) -> None:
    reply = run_command(services, "summary", "", ChatContext(chat_id=5))
    found = items(reply.visible)
    assert len(found) == 5 and any("관련 기사 4건" in line for line in found)


def test_story_shows_the_timeline_with_the_figures_that_changed(services: Services) -> None:
    reply = run_command(services, "story", f"#{number(services, 'ferry-photo')}", ChatContext())
    text = reply.visible
    assert text.startswith("🧵 바람섬 앞바다 여객선 좌초, 승객 132명 전원 구조(종합)")
    assert "기사 5건 · 3개 매체" in text
    order = [text.index(f"#{number(services, key)}") for key in
             ("ferry-flash", "ferry-wrap", "ferry-photo", "ferry-rewrite", "ferry-update")]
    assert order == sorted(order)  # in time order
    assert "120여명 → 132명" in text  # the 속보's count, then the 종합's
    assert "새 수치: 3명" in text
    assert reply.article_ids[0] == number(services, "ferry-flash")


def test_story_of_a_lone_article_and_bad_numbers(services: Services) -> None:
    reply = run_command(services, "story", f"{number(services, 'cup-column')}번", ChatContext())
    assert "기사 1건" in reply.visible and "하나뿐" in reply.visible
    assert "찾지 못했어요" in run_command(services, "story", "#999999", ChatContext()).visible
    assert "예:" in run_command(services, "story", "", ChatContext()).visible
    assert "예:" in run_command(services, "story", "아무거나", ChatContext()).visible


def test_related_articles_reply_picks_a_list_item(services: Services) -> None:
    listed = [number(services, "heat-shelter"), number(services, "cup-nuri")]
    assert is_related_request("관련 기사 2") and is_related_request("2번 관련 기사")
    assert not is_related_request("관련 기사에 나온 금액은?")
    reply = run_command(services, "story", "관련 기사 2", ChatContext(reply_to_articles=listed))
    assert "기사 4건 · 4개 매체" in reply.visible
    ask = run_command(services, "story", "관련 기사", ChatContext(reply_to_articles=listed))
    assert "몇 번" in ask.visible  # two stories listed: which one?
    single = run_command(services, "story", "관련 기사",
                         ChatContext(reply_to_articles=[number(services, "cup-nuri")]))
    assert "기사 4건" in single.visible
    beyond = run_command(services, "story", "관련 기사 3", ChatContext(reply_to_articles=listed))
    assert "2번까지" in beyond.visible


async def test_a_reply_related_to_a_list_in_telegram(botapi: BotAPIServer, store_path: Path,
                                                     tmp_path: Path) -> None:
    copy = tmp_path / "bot.db"
    copy.write_bytes(store_path.read_bytes())
    app = build_application(TOKEN, botapi.base_url, str(copy))
    async with running(app):
        botapi.user_message("/latest", chat_type="private", chat_id=42)
        [listing] = await asyncio.to_thread(botapi.wait_sent, 1)
        message = {k: v for k, v in listing.items() if not k.startswith("_")}
        botapi.user_message("관련 기사 1", chat_type="private", chat_id=42, reply_to=message)
        story = (await asyncio.to_thread(botapi.wait_sent, 2))[1]
    assert "최신 기사" in listing["text"]
    assert story["text"].startswith("🧵 바람섬") and "기사 5건" in story["text"]
