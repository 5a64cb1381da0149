"""/trend: the counts behind the chart, the PNG itself (opened with a real image reader), the
periods people write, and the picture arriving in Telegram and in the terminal chat."""

from __future__ import annotations

import asyncio
import io
import random
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.app import build_application
from bot.chat import run_chat
from handlers.services import ChatContext, Services
from handlers.trend import Period, parse_period, read_trend, trend
from ingest.pipeline import ingest_items
from store.articles import KST
from tests.alerts_data import make_article
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running
from tests.story_data import FERRY, WIRE_AND_REWRITES
from tests.story_data import articles as story_articles
from tests.test_delivery import FAST

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TODAY = date(2026, 3, 20)


def picture(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.verify()  # the whole file decodes, not only its header
    return Image.open(io.BytesIO(data))


@pytest.fixture
def dated_services(fresh_db) -> Services:
    """누리봇 in 3 articles on 3월 10일, 1 on 3월 12일, 2 on 3월 18일; 한빛칩 on 3월 15일;
    an older 누리봇 article on 1월 5일."""
    plan = [(10, "누리봇"), (10, "누리봇"), (10, "누리봇"), (12, "누리봇"), (18, "누리봇"),
            (18, "누리봇"), (15, "한빛칩")]
    items = [make_article(n, (company,), random.Random(n),
                          datetime(2026, 3, day, 9, tzinfo=KST)).item
             for n, (day, company) in enumerate(plan)]
    items.append(make_article(50, ("누리봇",), random.Random(50),
                              datetime(2026, 1, 5, 9, tzinfo=KST)).item)
    report = ingest_items(fresh_db, items)
    assert report.new == len(items), report.summary()
    return Services(db=fresh_db)


@pytest.mark.both_engines
def test_counts_per_day_and_the_busiest_days(dated_services: Services) -> None:
    period = parse_period("30일", TODAY)
    found = read_trend(dated_services, "누리봇", period)
    assert found is not None and found.moved_from is None
    by_day = {d: n for d, n in zip(found.days, found.counts) if n}
    assert by_day == {date(2026, 3, 10): 3, date(2026, 3, 18): 2, date(2026, 3, 12): 1}
    assert len(found.days) == 30 and found.days[-1] == TODAY
    assert [(h.day, n) for h, n in found.peaks] == [
        ("2026-03-10", 3), ("2026-03-18", 2), ("2026-03-12", 1)]
    assert all("누리봇" in h.title for h, _ in found.peaks)


@pytest.mark.both_engines
def test_the_reply_is_a_png_with_a_caption_of_figures(dated_services: Services) -> None:
    reply = trend(dated_services, "누리봇", ChatContext(), today=TODAY)
    image = picture(reply.photo or b"")
    assert image.format == "PNG" and image.size == (900, 500)
    assert "‘누리봇’ 소식 6건" in reply.html and "가장 많은 날 3월 10일 3건" in reply.html
    assert len(reply.plain.splitlines()) == 1
    assert [b.text for row in reply.buttons for b in row] == ["3월 10일 기사", "3월 18일 기사",
                                                              "3월 12일 기사"]


def test_a_quiet_stretch_shows_the_time_up_to_the_latest_mention(dated_services: Services) -> None:
    reply = trend(dated_services, "누리봇 7일", ChatContext(), today=date(2026, 6, 1))
    assert reply.photo is not None
    assert reply.html.startswith("최근 7일에는 없어요")
    assert "소식 3건 (2026-03-12~2026-03-18" in reply.html


@pytest.mark.both_engines
def test_one_event_told_by_four_outlets_counts_once(fresh_db) -> None:
    """The wire story on the cup deposit and its three rewrites of one morning are one story."""
    assert ingest_items(fresh_db, story_articles(WIRE_AND_REWRITES + FERRY)).failed == 0
    services = Services(db=fresh_db)
    found = read_trend(services, "보증금", parse_period("7일", date(2025, 6, 12)))
    assert found is not None and (found.stories, found.articles) == (1, 4)
    assert dict(zip(found.days, found.counts))[date(2025, 6, 10)] == 1
    reply = trend(services, "보증금 7일", ChatContext(), today=date(2025, 6, 12))
    assert "소식 1건" in reply.html and "기사 4건" in reply.html


def test_a_year_counts_that_year(dated_services: Services) -> None:
    found = read_trend(dated_services, "누리봇", parse_period("2026년", TODAY))
    assert found is not None and found.stories == found.articles == 7
    assert found.days[0] == date(2026, 1, 1) and found.days[-1] == TODAY


@pytest.mark.parametrize("text, start, label", [
    ("7일", date(2026, 3, 14), "최근 7일"),
    ("90일", date(2025, 12, 21), "최근 90일"),
    ("최근 4주", date(2026, 2, 21), "최근 4주"),
    ("2025년", date(2025, 1, 1), "2025년"),
    ("2025년 3월", date(2025, 3, 1), "2025년 3월"),
])
def test_periods(text: str, start: date, label: str) -> None:
    period = parse_period(text, TODAY)
    assert isinstance(period, Period) and (period.start, period.label) == (start, label)


@pytest.mark.parametrize("args, words", [
    ("누리봇 500일", "1년"), ("누리봇 2031년", "올해"), ("", "예:"), ("누리봇 2025년 13월", "12월"),
])
def test_bad_periods_and_empty_input_get_a_short_korean_message(
    dated_services: Services, args: str, words: str
) -> None:
    reply = trend(dated_services, args, ChatContext(), today=TODAY)
    assert reply.photo is None and words in reply.plain


@pytest.mark.both_engines
def test_a_word_no_article_holds_is_said_so(dated_services: Services) -> None:
    reply = trend(dated_services, "화성 이주", ChatContext(), today=TODAY)
    assert reply.photo is None and "찾지 못했어요" in reply.plain


async def test_trend_in_the_bot_sends_a_photo(botapi: BotAPIServer, demo_db_path: Path) -> None:
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path), FAST)
    async with running(app):
        asked = botapi.user_message("/trend 카카오 2025년", chat_id=-100777)
        [sent] = await asyncio.to_thread(botapi.wait_sent, 1)
    [call] = [c for c in botapi.state.calls if c.method == "sendPhoto"]
    assert call.params["reply_parameters"]["message_id"] == asked
    image = picture(sent["_photo"])
    assert image.size == (900, 500)
    assert re.search(r"‘카카오’ 소식 \d+건 \(2025-01-01~2025-12-31", sent["caption"])
    buttons = sent["_params"]["reply_markup"]["inline_keyboard"]
    assert buttons and all(b[0]["url"].startswith("https://") for b in buttons)


def test_trend_in_the_terminal_writes_a_png_file(demo_services: Services, tmp_path: Path) -> None:
    """The terminal chat as `newsmate chat` runs it, on piped lines (in this process, so
    Kiwi is not loaded again): the PNG is written to a file and its path printed."""
    out = io.StringIO()
    run_chat(demo_services, io.StringIO("/trend 카카오 2025년\n"), out, tmp_path / "charts")
    [path] = re.findall(r"저장했어요: (\S+\.png)", out.getvalue())
    assert Path(path).parent == tmp_path / "charts"
    image = picture(Path(path).read_bytes())
    assert image.size == (900, 500)
    assert "https://" in out.getvalue()  # the labelled headlines' links, written out


def test_ten_years_back_is_not_a_period_of_days() -> None:
    assert parse_period("3650일", TODAY) == "기간은 1일부터 366일(1년)까지 볼 수 있어요."
    assert parse_period("카카오", TODAY) is None
    assert TODAY - timedelta(days=29) == parse_period("30일", TODAY).start  # type: ignore[union-attr]
