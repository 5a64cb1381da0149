"""Alerts per story: one alert a story a chat, an update only for a new fact (at most two a
story a day), the outlet count in the message; over real Kiwi, on a SQLite file and on
PostgreSQL."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from analysis.terms import subscription_key
from handlers.alerts import bundle, single_alert
from ingest.article_input import ArticleInput
from ingest.pipeline import ingest_items
from store import outbox, stories
from store.engine import Database
from store.subscriptions import add_subscription
from tests.story_data import KST, WIRE_AND_REWRITES, articles

pytestmark = pytest.mark.both_engines

# The test articles' times put near now, so they are news to alert about (the ferry's last
# article an hour ago).
NOW_BASE = datetime.now(KST) - timedelta(minutes=2880 + 620)


def follow(db: Database, chat_id: int, term: str) -> None:
    add_subscription(db, chat_id, term, subscription_key(term))


def rows(db: Database, chat_id: int) -> list[tuple[str, str, str]]:
    """(kind, article source id, note) of a chat's outbox rows, in order."""
    return [tuple(r) for r in db.execute(
        "SELECT o.kind, a.source_id, o.note FROM outbox o JOIN articles a ON a.id = o.article_id"
        " WHERE o.chat_id = ? ORDER BY o.id", [chat_id])]


def deliver(db: Database, chat_id: int) -> list[outbox.OutboxItem]:
    """What the delivery loop does for a chat: claim its rows and mark them sent."""
    items = outbox.claim(db, chat_id, 20, "test", time.time())
    outbox.mark_sent(db, [i.id for i in items], 1, time.time())
    return items


def test_a_chat_is_alerted_once_per_story(fresh_db: Database) -> None:
    follow(fresh_db, 1, "한들시")
    follow(fresh_db, 2, "보증금")
    ingest_items(fresh_db, articles(WIRE_AND_REWRITES + ["heat-shelter"], NOW_BASE))
    # The wire story alerted once, with its first article that matches (the wire itself
    # writes only 한들시의회, a longer word); the shelter story is another story.
    assert rows(fresh_db, 1) == [("alert", "story-cup-garam", ""),
                                 ("alert", "story-heat-shelter", "")]
    assert rows(fresh_db, 2) == [("alert", "story-cup-wire", "")]
    [item] = deliver(fresh_db, 2)
    assert "4개 매체" in single_alert(item)  # the outlets that have the story when sent
    # A rewrite arriving after the alert went out, with nothing new, alerts nobody.
    more = articles(["cup-dasom"], NOW_BASE)[0]
    more.url, more.source_id = "https://stories.example.com/cup-dasom-2", "story-cup-dasom-2"
    more.publisher, more.title = "마루신문", "한들시 일회용 컵 보증금 300원, 내년 1월부터"
    ingest_items(fresh_db, [more])
    assert len(rows(fresh_db, 2)) == 1


def test_a_later_article_with_a_new_figure_sends_one_short_update(fresh_db: Database) -> None:
    follow(fresh_db, 7, "바람섬")
    ingest_items(fresh_db, articles(["ferry-flash", "ferry-wrap"], NOW_BASE))
    # The 종합 came while the 속보 line's alert was held for it: the alert carries the report.
    assert rows(fresh_db, 7) == [("alert", "story-ferry-wrap", "")]
    [alert] = deliver(fresh_db, 7)
    assert alert.outlets == 1 and "1개 매체" in single_alert(alert)

    ingest_items(fresh_db, articles(["ferry-photo", "ferry-rewrite"], NOW_BASE))
    assert len(rows(fresh_db, 7)) == 1  # a photo and a rewrite bring no new fact
    ingest_items(fresh_db, articles(["ferry-update"], NOW_BASE))
    kind, source, note = rows(fresh_db, 7)[-1]
    assert (kind, source) == ("update", "story-ferry-update")
    assert "3명" in note and "병원" in note
    [update] = deliver(fresh_db, 7)
    text = single_alert(update)
    assert "업데이트: " in text and "3명" in text and update.outlets == 3


def test_at_most_two_updates_a_story_a_day(fresh_db: Database) -> None:
    follow(fresh_db, 9, "바람섬")
    ingest_items(fresh_db, articles(["ferry-wrap"], NOW_BASE))
    deliver(fresh_db, 9)
    later = []
    for n, (count, what) in enumerate([(4, "병원 이송"), (2, "추가 이송"), (5, "정밀 검사")]):
        when = datetime.now(KST) - timedelta(minutes=30 - n)
        later.append(ArticleInput(
            title=f"바람섬 좌초 여객선 승객 {count}명 {what}",
            body=f"바람섬 앞바다에서 좌초한 여객선 바다누리호 승객 {count}명이 {what} 대상이 됐다.\n"
                 "해경은 132명의 승객을 모두 구조했다고 밝혔다.\n해경은 선장을 불러 사고 원인을 "
                 "조사하고 있다.",
            url=f"https://stories.example.com/ferry-more-{n}", publisher=f"매체{n}",
            published_at=when.isoformat(timespec="seconds"), source_id=f"ferry-more-{n}"))
    for item in later:
        ingest_items(fresh_db, [item])
        deliver(fresh_db, 9)
    kinds = [kind for kind, _, _ in rows(fresh_db, 9)]
    assert kinds == ["alert", "update", "update"]  # the third new figure waits a day


def test_a_bundle_lists_stories_with_their_outlets(fresh_db: Database) -> None:
    follow(fresh_db, 3, "한들시")
    follow(fresh_db, 3, "바람섬")
    ingest_items(fresh_db, articles(WIRE_AND_REWRITES + ["heat-shelter", "ferry-wrap"], NOW_BASE))
    items = outbox.claim(fresh_db, 3, 20, "test", time.time())
    assert len(items) == 3  # three stories, not six articles
    text = bundle(items)
    assert text.count("개 매체") == 3 and "4개 매체" in text


def test_stories_merged_while_their_alerts_wait_alert_a_chat_once(fresh_db: Database) -> None:
    # A later article can show that two stories were one event all along (it matches both,
    # and placement merges them); a chat with a waiting alert for each gets one of them.
    follow(fresh_db, 4, "한들시")
    follow(fresh_db, 4, "바람섬")
    ingest_items(fresh_db, articles(["cup-garam", "ferry-wrap"], NOW_BASE))
    cup, ferry = (fresh_db.execute("SELECT story_id FROM articles WHERE source_id = ?",
                                   [f"story-{key}"]).fetchone()[0] for key in ("cup-garam", "ferry-wrap"))
    assert cup != ferry and len(rows(fresh_db, 4)) == 2
    with fresh_db.transaction() as conn:
        kept = stories._merge(conn, [ferry, cup])
    assert kept == min(cup, ferry)
    assert stories.get_story(fresh_db, max(cup, ferry)) is None
    assert {r[0] for r in fresh_db.execute(
        "SELECT story_id FROM outbox WHERE chat_id = 4")} == {kept}
    [item] = deliver(fresh_db, 4)  # the other row is marked a duplicate, never sent
    assert item.story_id == kept
    assert [r[0] for r in fresh_db.execute(
        "SELECT status FROM outbox WHERE chat_id = 4 ORDER BY id")] == ["sent", "duplicate"]
    # Later articles of the merged story alert nobody again.
    ingest_items(fresh_db, articles(["cup-nuri"], NOW_BASE))
    assert len(rows(fresh_db, 4)) == 2


def test_a_flash_alert_waits_for_its_report_then_goes_alone(fresh_db: Database) -> None:
    follow(fresh_db, 8, "바람섬")
    ingest_items(fresh_db, articles(["ferry-flash"], NOW_BASE))
    assert rows(fresh_db, 8) == [("alert", "story-ferry-flash", "")]
    assert outbox.claim(fresh_db, 8, 20, "test", time.time()) == []  # held for its report
    # No report came: once the hold is over, the 속보 line is the news.
    [item] = outbox.claim(fresh_db, 8, 20, "test", time.time() + outbox.STUB_HOLD + 1)
    assert item.title.startswith("[속보]")


def test_two_held_stubs_of_stories_merged_since_take_one_report(fresh_db: Database) -> None:
    # A 속보 line and a photo caption, each its own story when their alerts were held; the
    # stories merge; then the full report arrives: one alert carries it, the other is a
    # duplicate, and the report's own write does not fail on (chat, article).
    ingest_items(fresh_db, articles(["ferry-flash", "ferry-photo", "ferry-wrap"], NOW_BASE))
    ids = dict(fresh_db.execute(
        "SELECT source_id, id FROM articles WHERE source_id LIKE 'story-ferry-%'").fetchall())
    now = time.time()
    with fresh_db.transaction() as conn:
        cur = conn.execute("INSERT INTO stories (kind, articles, outlets) VALUES ('report', 0, 0)")
        other = int(cur.lastrowid)
        story = conn.execute("SELECT story_id FROM articles WHERE id = ?",
                             (ids["story-ferry-flash"],)).fetchone()[0]
        outbox.enqueue(conn, ids["story-ferry-flash"], story, [(5, "바람섬")], now, stub=True)
        outbox.enqueue(conn, ids["story-ferry-photo"], other, [(5, "바람섬")], now, stub=True)
        stories._merge(conn, [story, other])
        outbox.enqueue(conn, ids["story-ferry-wrap"], story, [(5, "바람섬")], now + 60)
    [item] = deliver(fresh_db, 5)
    assert item.article_id == ids["story-ferry-wrap"]
    # The other stub's alert, once its hold is over, is found a duplicate, never sent.
    assert outbox.claim(fresh_db, 5, 20, "test", time.time() + outbox.STUB_HOLD + 1) == []
    assert [r[0] for r in fresh_db.execute(
        "SELECT status FROM outbox WHERE chat_id = 5 ORDER BY id")] == ["sent", "duplicate"]


def test_a_headline_counting_a_printed_list_is_no_update(fresh_db: Database) -> None:
    follow(fresh_db, 6, "한들시")
    when = datetime.now(KST) - timedelta(hours=3)
    notice = ArticleInput(
        title="[인사] 한들시",
        body="◇국장급 전보\n▲기획조정실장 김나래 ▲복지국장 이하늘 ▲환경국장 박새봄 "
             "▲교통국장 최가온 ▲문화국장 정다솜",
        url="https://stories.example.com/notice", publisher="한들통신",
        published_at=when.isoformat(timespec="seconds"), source_id="notice")
    report = ArticleInput(
        title="한들시, 기획조정실장 김나래 등 국장 5명 인사",
        body="한들시가 기획조정실장에 김나래 전 복지국장을 앉히는 등 국장급 5명을 새로 배치했다.\n"
             "복지국장에는 이하늘 전 교통국장이, 환경국장에는 박새봄 전 기후정책과장이 옮겼다.\n"
             "시는 민선 공약 사업을 속도감 있게 추진하려는 인사라고 설명했다.",
        url="https://stories.example.com/notice-report", publisher="가람일보",
        published_at=(when + timedelta(hours=2)).isoformat(timespec="seconds"),
        source_id="notice-report")
    ingest_items(fresh_db, [notice])
    deliver(fresh_db, 6)
    ingest_items(fresh_db, [report])
    story = {r[0] for r in fresh_db.execute("SELECT story_id FROM articles")}
    assert len(story) == 1  # the report joined the notice's story
    # '5명' only tallies the five names the notice listed: no update.
    assert rows(fresh_db, 6) == [("alert", "notice", "")]
