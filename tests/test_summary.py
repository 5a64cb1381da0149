"""/summary and the extractive summariser, over a few short articles written for these tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from answer.summarize import (
    is_bare_quote,
    is_byline,
    is_sentence,
    sentence_features,
    sentence_scores,
    summarize,
)
from handlers.reply import Reply
from handlers.services import ChatContext, Services
from handlers.summary import summary, summary_sentences
from ingest.article_input import ArticleInput
from ingest.corpus import read_corpus
from ingest.pipeline import ingest_items
from store.articles import KST
from store.chats import touch_chat
from store.db import open_db
from store.digest import article_id_by_source, last_summary_at, mark_summarized

FIXTURES = Path(__file__).parent / "fixtures" / "summary" / "articles.jsonl"
BUS_URL = "https://news.example.com/haesol/bus-0312"


@pytest.fixture()
def services(tmp_path: Path) -> Services:
    db = open_db(tmp_path / "store.db")
    report = ingest_items(db, read_corpus(FIXTURES))
    assert report.new == 5, report.errors
    return Services(db)


def _id(services: Services, source_id: str) -> int:
    article_id = article_id_by_source(services.db, source_id)
    assert article_id is not None
    return article_id


def _set_arrival(services: Services, when: datetime, source_ids: list[str] | None = None) -> None:
    """Pretend articles arrived at `when` (ingest stamps the real time)."""
    stamp = when.astimezone(KST).isoformat(timespec="seconds")
    if source_ids is None:
        services.db.execute("UPDATE articles SET ingested_at = ?", [stamp])
    else:
        marks = ",".join("?" * len(source_ids))
        services.db.execute(
            f"UPDATE articles SET ingested_at = ? WHERE source_id IN ({marks})",
            [stamp, *source_ids],
        )


# --- the summariser -----------------------------------------------------------------------

LEAD = "해솔시가 내년 3월부터 시내 노선에 수소버스 40대를 새로 투입한다고 12일 밝혔다."
ECHO = "해솔시는 내년 3월부터 시내 노선에 수소버스 40대를 새로 투입한다고 거듭 밝혔다."
ARTICLE = [
    "시내버스 절반 친환경으로",
    LEAD,
    "시는 낡은 경유버스 40대를 퇴역시키고 2027년까지 시내버스의 절반을 수소와 전기 차량으로 바꿀 계획이다.",
    ECHO,
    "수소버스 한 대 값은 약 6억원으로, 시는 국비와 시비를 합쳐 240억원을 들인다.",
    "충전소는 북부 차고지와 남부 차고지 두 곳에 먼저 짓는다.",
    "“조용하고 냄새가 없어서 좋아요.”",
    "김가람 기자 garam@example.com",
]
TITLE = "해솔시, 내년 3월부터 수소버스 40대 도입"


def test_summary_sentences_skip_headings_quotes_and_bylines() -> None:
    picked = summarize(TITLE, ARTICLE, k=3)
    assert len(picked) == 3
    assert picked == sorted(picked)  # article order
    assert 1 in picked  # the lead carries the news
    assert not {0, 6, 7} & set(picked)


def test_near_duplicate_is_left_out() -> None:
    scores = sentence_scores(sentence_features(TITLE, ARTICLE)[0])
    by_score = sorted(range(len(ARTICLE)), key=lambda i: -scores[i])
    # Without redundancy removal the echo of the lead would be among the three best.
    assert 3 in by_score[:3] and 1 in by_score[:3]
    picked = summarize(TITLE, ARTICLE, k=3)
    assert not {1, 3} <= set(picked)
    assert len(picked) == 3


@pytest.mark.parametrize("k", [1, 2, 4])
def test_k_sentences_in_article_order(k: int) -> None:
    picked = summarize(TITLE, ARTICLE, k=k)
    assert len(picked) == k
    assert picked == sorted(set(picked))


def test_k_beyond_the_article_and_empty_input() -> None:
    short = ["도서관이 이달부터 평일 운영 시간을 밤 10시까지 늘린다.", "야간에는 2층 열람실만 연다."]
    assert summarize("도서관 야간 개관", short, k=5) == [0, 1]
    assert summarize("도서관 야간 개관", short, k=0) == []
    assert summarize("제목", [], k=3) == []
    with pytest.raises(ValueError):
        summarize("제목", short, terms=[["도서관"]], k=1)


def test_sentence_shape_checks() -> None:
    assert is_sentence(LEAD)
    assert is_sentence("그는 “다시 하겠다”고 말했다.")
    assert not is_sentence("시내버스 절반 친환경으로")
    assert not is_sentence("해솔시 차고지의 시험 차량 /해솔시 제공")
    assert is_bare_quote("“조용하고 냄새가 없어서 좋아요.”")
    assert not is_bare_quote("국장은 “온실가스를 줄일 수 있다”고 설명했다.")
    assert is_byline("(해솔=해솔일보) 김가람 기자 = 시는 12일 밝혔다.")
    assert is_byline("김가람 기자 garam@example.com")
    assert not is_byline(LEAD)


# --- /summary over a store ----------------------------------------------------------------


def _bullets(reply: Reply) -> list[str]:
    return [line for line in reply.visible.splitlines() if line.startswith("• ")]


def test_summary_by_link_gives_title_three_sentences_and_source(services: Services) -> None:
    reply = summary(services, BUS_URL, ChatContext(chat_id=1))
    text = reply.visible
    assert "해솔시, 내년 3월부터 수소버스 40대 도입" in text
    bullets = _bullets(reply)
    assert len(bullets) == 3
    assert any("수소버스 40대를 새로 투입" in b for b in bullets)
    assert not any("기자" in b or "제공" in b or "친환경으로" == b[2:] for b in bullets)
    assert "해솔일보" in text and "2025-03-12" in text
    assert f'href="{BUS_URL}"' in reply.html
    assert reply.article_ids == [_id(services, "sum-bus")]


def test_summary_by_link_variant_and_by_number(services: Services) -> None:
    variant = "https://www.news.example.com/haesol/bus-0312?utm_source=chat"
    by_variant = summary(services, variant, ChatContext(chat_id=1))
    bus_id = _id(services, "sum-bus")
    assert by_variant.article_ids == [bus_id]
    for form in (str(bus_id), f"기사 {bus_id}", f"{bus_id}번"):
        reply = summary(services, form, ChatContext(chat_id=1))
        assert reply.article_ids == [bus_id], form
        assert _bullets(reply) == _bullets(by_variant)


def test_summary_text_is_escaped(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    ingest_items(
        db,
        [
            ArticleInput(
                title="<b>태그</b> 들어간 제목 & 기호",
                body="시청은 <script> 같은 문자열이 든 보도자료를 12일 고쳐서 다시 냈다.\n"
                "담당자는 기호 & 때문에 화면이 깨졌다고 설명했다.",
                url="https://news.example.com/escape",
                publisher="해솔일보",
            )
        ],
    )
    reply = summary(Services(db), "https://news.example.com/escape", ChatContext())
    assert "<script>" not in reply.html and "&lt;script&gt;" in reply.html
    assert "&lt;b&gt;태그&lt;/b&gt;" in reply.html
    assert "<script>" in reply.visible


def test_a_summary_line_starts_where_the_article_does(tmp_path: Path) -> None:
    """A body flattened to one line glues its subtitle and byline to the first sentence,
    and a TV page opens with its labels and the headline again: the summary shows the
    sentence without them."""
    db = open_db(tmp_path / "store.db")
    ingest_items(db, [
        ArticleInput(
            title="한들시, 일회용 컵 보증금제 내년 도입",
            body="반납기 150대 설치 (한들=가람일보) 홍길동 기자,김누리 기자 = 한들시가 일회용 컵 "
                 "보증금제를 내년 1월부터 시행한다고 12일 밝혔다. 컵 하나에 300원을 더 받고 "
                 "돌려주면 돌려준다. 시는 반납기 150대를 카페 밀집 지역에 둘 계획이다.",
            url="https://news.example.com/cup", publisher="가람일보",
            published_at="2025-03-12T09:00:00+09:00"),
        ArticleInput(
            title="한들시 폭염 쉼터 80곳 운영",
            body="동영상 뉴스 한들시 폭염 쉼터 80곳 운영 [앵커] 한들시가 올여름 폭염에 대비해 무더위 쉼터 80곳을 운영합니다. "
                 "쉼터는 주민센터와 경로당에 마련됩니다. 운영 시간은 오후 9시까지입니다.",
            url="https://news.example.com/shelter", publisher="누리방송",
            published_at="2025-03-12T10:00:00+09:00"),
    ])
    cup = summary(Services(db), "https://news.example.com/cup", ChatContext()).visible
    assert "• 한들시가 일회용 컵 보증금제를 내년 1월부터 시행한다고 12일 밝혔다." in cup, cup
    assert "기자" not in cup
    shelter = summary(Services(db), "https://news.example.com/shelter", ChatContext()).visible
    assert "• 한들시가 올여름 폭염에 대비해 무더위 쉼터 80곳을 운영합니다." in shelter, shelter


def test_unknown_link_and_number_are_answered_politely(services: Services) -> None:
    reply = summary(services, "https://news.example.com/no-such-article", ChatContext())
    assert "저장돼 있지 않아요" in reply.visible and reply.article_ids == []
    reply = summary(services, "기사 9999", ChatContext())
    assert "9999번 기사를 찾지 못했어요" in reply.visible and reply.article_ids == []


def test_summary_on_a_topic_is_three_sentences_with_links(services: Services) -> None:
    reply = summary(services, "배터리 재활용", ChatContext())
    plant, market = _id(services, "sum-battery-plant"), _id(services, "sum-battery-market")
    assert set(reply.article_ids) == {plant, market}
    assert len(reply.article_ids) <= 3
    assert "https://news.example.com/eco/battery-plant" in reply.html
    assert "https://news.example.com/eco/battery-market" in reply.html
    assert "니켈과 리튬" in reply.visible  # a summary line, not just the title
    assert "도서관" not in reply.visible


def test_summary_on_an_unknown_topic(services: Services) -> None:
    reply = summary(services, "화성 탐사 로버", ChatContext())
    assert "찾지 못했어요" in reply.visible and reply.article_ids == []


def test_catch_up_since_the_last_summary(services: Services) -> None:
    now = datetime.now(KST)
    _set_arrival(services, now - timedelta(days=3))
    _set_arrival(services, now - timedelta(hours=2), ["sum-bus", "sum-library"])
    chat = ChatContext(chat_id=42, chat_type="group")

    first = summary(services, "", chat)
    assert set(first.article_ids) == {_id(services, "sum-bus"), _id(services, "sum-library")}
    # Arrived in the last day, but published in March: not called the last day's news.
    assert first.visible.startswith("🗞 최근 저장된 기사 (발행일 2025-03-09~2025-03-12)")
    # One summary line per article: its best sentence.
    best = summary_sentences(services.db, _id(services, "sum-bus"), k=1)
    assert len(best) == 1 and f"   · {best[0]}" in first.visible.splitlines()
    assert last_summary_at(services.db, 42) is not None

    again = summary(services, "", chat)
    assert again.article_ids == []
    assert "새로 들어온 기사가 없어요" in again.visible

    # Move the last catch-up a minute back, so the next article surely arrives after it.
    a_minute_ago = (now - timedelta(minutes=1)).isoformat(timespec="seconds")
    mark_summarized(services.db, 42, "group", a_minute_ago)
    ingest_items(
        services.db,
        [
            ArticleInput(
                title="해솔시 공영자전거 500대 늘린다",
                body="해솔시가 다음 달부터 공영자전거를 500대 더 배치한다고 밝혔다.\n"
                "대여소는 지하철역 주변에 먼저 들어선다.",
                url="https://news.example.com/city/bikes",
                publisher="해솔일보",
                source_id="sum-bikes",
            )
        ],
    )
    third = summary(services, "", chat)
    assert third.article_ids == [_id(services, "sum-bikes")]
    assert "공영자전거" in third.visible


def test_first_catch_up_with_nothing_recent_shows_the_newest(services: Services) -> None:
    _set_arrival(services, datetime.now(KST) - timedelta(days=3))
    reply = summary(services, "", ChatContext(chat_id=7))
    assert len(reply.article_ids) == 5
    assert "가장 최근 기사" in reply.visible


def test_catch_up_on_an_empty_store(tmp_path: Path) -> None:
    reply = summary(Services(open_db(tmp_path / "empty.db")), "", ChatContext(chat_id=3))
    assert "아직 저장된 기사가 없어요" in reply.visible


def test_bench_path_matches_the_command(services: Services) -> None:
    """The benchmark calls summary_sentences; /summary must show exactly those sentences."""
    bus_id = _id(services, "sum-bus")
    sentences = summary_sentences(services.db, bus_id)
    reply = summary(services, BUS_URL, ChatContext())
    assert [b[2:] for b in _bullets(reply)] == sentences


def test_catch_up_keeps_a_known_chat_title(services: Services) -> None:
    touch_chat(services.db, 9, "group", "뉴스 읽는 방")
    summary(services, "", ChatContext(chat_id=9, chat_type="group"))
    row = services.db.execute(
        "SELECT title, last_summary_at FROM chats WHERE chat_id = 9"
    ).fetchone()
    assert row[0] == "뉴스 읽는 방" and row[1]
