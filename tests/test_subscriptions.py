"""Subscriptions: the commands, morpheme/entity matching, the outbox rows matches write,
and when a chat's alerts may go (quiet hours, daily digest, bursts)."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.delivery import DeliveryConfig, in_quiet, release
from handlers.alerts import BUNDLE_MAX, bundle, single_alert, summary_sentence
from handlers.commands import needs_admin, run_command
from handlers.reply import Reply, visible_length
from handlers.services import ChatContext, Services
from handlers.subscribe import AdminCache
from ingest.article_input import ArticleInput
from ingest.matching import find_matches
from ingest.pipeline import ingest_items
from store.engine import Database
from store.outbox import OutboxItem, PendingChat, status_counts
from store.subscriptions import MAX_PER_CHAT, AlertSettings, alert_settings, list_subscriptions
from tests.alerts_data import KST, make_article
from tests.botapi import TOKEN, BotAPIServer
from tests.conftest import running

GROUP = ChatContext(chat_id=-100777, user_id=5, chat_type="supergroup")
PRIVATE = ChatContext(chat_id=77, user_id=77, chat_type="private")


def cmd(services: Services, text: str, chat: ChatContext = PRIVATE) -> Reply:
    name, _, args = text[1:].partition(" ")
    return run_command(services, name, args, chat)


def article(title: str, body: str, n: int) -> ArticleInput:
    return ArticleInput(title=title, body=body, url=f"https://subs-test.example.com/{n}",
                        publisher="한밭뉴스", published_at=datetime.now(KST).isoformat(),
                        source_id=f"subs-{n}")


def outbox_rows(db: Database) -> set[tuple[int, int]]:
    return {(r[0], r[1]) for r in db.execute("SELECT chat_id, article_id FROM outbox")}


# -- commands ---------------------------------------------------------------------------


def test_subscribe_list_unsubscribe(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    reply = cmd(services, "/subscribe 카카오, 독자 AI")
    assert "‘카카오’를 구독했어요" in reply.html and "‘독자 AI’를 구독했어요" in reply.html
    assert "30초" in reply.html  # people are told when alerts come
    assert "이미 구독 중" in cmd(services, "/subscribe 카카오는").html  # same morphemes, same one
    listed = cmd(services, "/subscriptions")
    assert "1. 카카오" in listed.html and "2. 독자 AI" in listed.html
    buttons = [b for row in listed.buttons for b in row]
    assert [b.text for b in buttons] == ["✕ 카카오", "✕ 독자 AI"]
    assert all(b.callback and len(b.callback.encode()) <= 64 for b in buttons)
    assert "더는 알려드리지 않아요" in cmd(services, "/unsubscribe 카카오").html
    assert "구독하고 있지 않아요" in cmd(services, "/unsubscribe 네이버").html
    assert [s.term for s in list_subscriptions(fresh_db, PRIVATE.chat_id)] == ["독자 AI"]
    # The terminal chat has nowhere to send alerts to, and says so.
    assert "텔레그램" in cmd(services, "/subscribe 카카오", ChatContext()).html
    assert list_subscriptions(fresh_db, 0) == []


def test_subscription_limit_and_escaping(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    for start in range(0, MAX_PER_CHAT, 10):
        terms = ", ".join(f"회사{n}" for n in range(start, start + 10))
        cmd(services, f"/subscribe {terms}", GROUP)
    assert len(list_subscriptions(fresh_db, GROUP.chat_id)) == MAX_PER_CHAT
    refused = cmd(services, "/subscribe 하나더", GROUP)
    assert f"{MAX_PER_CHAT}개까지" in refused.html and "/subscriptions" in refused.html
    assert len(list_subscriptions(fresh_db, GROUP.chat_id)) == MAX_PER_CHAT
    # What a person types is shown back escaped, and regex syntax is just text.
    reply = cmd(services, "/subscribe <b>카카오</b>")
    assert "&lt;b&gt;카카오&lt;/b&gt;" in reply.html and "<b>카카오" not in reply.html
    assert "구독했어요" in cmd(services, "/subscribe (a+)+$").html


def test_quiet_and_digest_commands(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    chat = PRIVATE.chat_id
    assert "23시~07시" in cmd(services, "/quiet 23-07").html
    assert alert_settings(fresh_db, chat) == AlertSettings(23, 7, None)
    assert "0~23시" in cmd(services, "/quiet 25-07").html
    assert alert_settings(fresh_db, chat).quiet_start == 23  # a bad value changes nothing
    assert "껐어요" in cmd(services, "/quiet 끄기").html
    assert not alert_settings(fresh_db, chat).quiet
    assert "09:00" in cmd(services, "/digest 9시").html
    assert alert_settings(fresh_db, chat).digest_at == "09:00"
    assert "매일 09:00" in cmd(services, "/digest").html  # no argument: what is set now
    assert "00:00~23:59" in cmd(services, "/digest 25:00").html
    assert "껐어요" in cmd(services, "/digest 끄기").html
    assert alert_settings(fresh_db, chat).digest_at is None


def test_admin_rules_and_cache() -> None:
    assert needs_admin("subscribe", "supergroup") and needs_admin("quiet", "group")
    assert not needs_admin("subscriptions", "supergroup") and not needs_admin("subscribe", "private")
    now = [0.0]
    cache = AdminCache(ttl=60, clock=lambda: now[0])
    assert cache.put(1, 2, "administrator") and cache.get(1, 2) is True
    assert not cache.put(1, 3, "member") and cache.get(1, 3) is False
    now[0] = 61
    assert cache.get(1, 2) is None  # asked again after a minute


# -- matching ---------------------------------------------------------------------------


def test_morpheme_matching_not_substrings(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    cmd(services, "/subscribe 카카오", ChatContext(chat_id=1))
    cmd(services, "/subscribe 카카오페이", ChatContext(chat_id=2))
    cmd(services, "/subscribe 독자 AI", ChatContext(chat_id=3))
    report = ingest_items(fresh_db, [
        article("카카오가 새 모델을 내놨다", "카카오는 이날 모델을 공개했다고 밝혔다. 회사는 연내 서비스를 넓힌다.", 1),
        article("카카오페이, 결제 서비스 개편", "카카오페이가 결제 화면을 바꾼다. 이용자 편의를 높이려는 조치다.", 2),
        article("정부, 독자 AI 모델 사업 공모", "정부가 독자 AI 파운데이션 모델 사업의 참여 기업을 모집한다.", 3),
        article("독자적인 AI 칩 설계 늘어", "여러 회사가 독자적인 AI 반도체를 설계하고 있다고 전해졌다.", 4),
    ])
    ids = report.article_ids
    assert outbox_rows(fresh_db) == {(1, ids[0]), (2, ids[1]), (3, ids[2])}


def test_entity_mentions_match_a_person_by_alias(fresh_db: Database) -> None:
    """A mention keyed by a person's full name (the facts store) matches a subscription to
    that name even where the article only says `정 대표`."""
    conn = fresh_db.conn
    conn.execute("INSERT INTO subscriptions (chat_id, term, match_key, created_at)"
                 " VALUES (9, '정신아', '정신 아', 'now')")
    conn.execute("INSERT INTO articles (id, article_key, url, canonical_url, title, ingested_at,"
                 " body, content_hash) VALUES (50, 'k', 'u', 'u', '카카오 새 전략', 'now', 'b', 'h')")
    conn.execute("INSERT INTO entity_mentions (article_id, sentence_id, type, text, key,"
                 " start_char, end_char) VALUES (50, 1, 'PS', '정 대표', '정신아', 0, 4)")
    sentences = [("정 대표는 새 전략을 설명했다.", "정 대표 새 전략 설명")]
    [match] = find_matches(conn, 50, "카카오 새 전략", "카카오 새 전략", sentences)
    assert (match.chat_id, match.term, match.where) == (9, "정신아", "entity")


def test_near_duplicate_alerts_once(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    cmd(services, "/subscribe 한빛칩", ChatContext(chat_id=4))
    rng = random.Random(3)
    first = make_article(1, ("한빛칩",), rng).item
    copy = ArticleInput(title=first.title + " (종합)", body=first.body.replace("밝혔다", "전했다"),
                        url="https://other.example.net/copy", publisher="다른신문",
                        published_at=first.published_at, source_id="copy-1")
    report = ingest_items(fresh_db, [first, copy])
    assert report.duplicate == 1  # the store linked the copy to the first article
    assert outbox_rows(fresh_db) == {(4, report.article_ids[0])}


def test_updates_and_old_articles_alert_nobody(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    cmd(services, "/subscribe 누리봇", ChatContext(chat_id=5))
    item = make_article(7, ("누리봇",), random.Random(1)).item
    ingest_items(fresh_db, [item])
    item.body += "\n누리봇은 추가 일정도 공개했다."
    old = make_article(8, ("누리봇",), random.Random(2), published=datetime(2020, 1, 2, tzinfo=KST))
    report = ingest_items(fresh_db, [item, item, old.item])
    assert (report.updated, report.unchanged, report.new) == (1, 1, 1)
    assert status_counts(fresh_db) == {"pending": 1}  # one alert, for the first write only


def test_inactive_chats_get_no_new_alerts(fresh_db: Database) -> None:
    services = Services(db=fresh_db)
    cmd(services, "/subscribe 모아톡", ChatContext(chat_id=6))
    fresh_db.execute("INSERT INTO chats (chat_id, active, created_at) VALUES (6, 0, 'now')")
    ingest_items(fresh_db, [make_article(9, ("모아톡",), random.Random(4)).item])
    assert outbox_rows(fresh_db) == set()


# -- messages ---------------------------------------------------------------------------


def item(n: int, term: str = "카카오", title: str = "제목") -> OutboxItem:
    return OutboxItem(n, 1, n, term, 0, 0.0, title, f"https://x.example.com/{n}?a=1&b=2",
                      "누리<데일리>", "2025-06-20T14:30:00+09:00", "2025-06-20T14:31:00+09:00",
                      ["[서울=누리데일리] 홍길동 기자 =", "짧다.",
                       "카카오가 새 AI 모델을 공개하며 기업 고객 확대에 나섰다고 20일 밝혔다."])


def test_alert_message_has_everything_escaped() -> None:
    text = single_alert(item(1, "카<카>오", "A & B <새 모델>"))
    assert "‘카&lt;카&gt;오’" in text and "A &amp; B &lt;새 모델&gt;" in text
    assert "카카오가 새 AI 모델을 공개하며" in text  # the first substantial sentence
    assert "누리&lt;데일리&gt; · 2025-06-20 14:30 · " in text
    assert 'href="https://x.example.com/1?a=1&amp;b=2"' in text
    assert summary_sentence(["홍길동 기자 hong@example.com", "x" * 300])[-1] == "…"
    # A subtitle and byline glued to the first sentence are left out of it.
    glued = "새 모델 공개 (서울=누리데일리) 홍길동 기자 = 카카오가 새 AI 모델을 20일 공개했다."
    assert summary_sentence([glued]) == "카카오가 새 AI 모델을 20일 공개했다."


def test_full_bundle_fits_one_message() -> None:
    long = [item(n, "가" * 40, "긴 제목 " * 40) for n in range(BUNDLE_MAX)]
    assert visible_length(bundle(long)) < 4096


# -- when alerts go ---------------------------------------------------------------------


def at(text: str) -> float:
    return datetime.fromisoformat(text + "+09:00").timestamp()


def pending(oldest: str, newest: str, settings: AlertSettings = AlertSettings()) -> PendingChat:
    return PendingChat(1, 3, at(oldest), at(newest), settings)


def test_burst_waits_for_quiet_then_goes() -> None:
    cfg = DeliveryConfig(gather_seconds=5, max_hold_seconds=20)
    assert release(pending("2025-01-01T10:00:00", "2025-01-01T10:00:04"), at("2025-01-01T10:00:05"),
                   cfg) == (at("2025-01-01T10:00:09"), "burst")
    # A steady stream is not held longer than max_hold after its oldest alert.
    assert release(pending("2025-01-01T10:00:00", "2025-01-01T10:00:18"), at("2025-01-01T10:00:19"),
                   cfg)[0] == at("2025-01-01T10:00:20")


def test_a_steady_stream_is_gathered_into_bundles() -> None:
    """A chat that just had two alerts does not get a third message each time one more
    article arrives: the next ones wait (up to max_hold) and go as one bundle."""
    cfg = DeliveryConfig(gather_seconds=5, max_hold_seconds=20)
    lone = PendingChat(1, 1, at("2025-01-01T10:00:00"), at("2025-01-01T10:00:00"), AlertSettings())
    assert release(lone, at("2025-01-01T10:00:06"), cfg)[0] == at("2025-01-01T10:00:05")
    streaming = PendingChat(1, 1, lone.oldest, lone.newest, AlertSettings(), recent=2)
    assert release(streaming, at("2025-01-01T10:00:06"), cfg) == (at("2025-01-01T10:00:20"), "burst")


def test_quiet_hours_in_kst_then_one_digest() -> None:
    quiet = AlertSettings(quiet_start=23, quiet_end=7)
    assert in_quiet(at("2025-01-01T23:30:00"), quiet) and in_quiet(at("2025-01-02T06:59:00"), quiet)
    assert not in_quiet(at("2025-01-02T07:00:00"), quiet)
    cfg = DeliveryConfig()
    held = pending("2025-01-01T23:10:00", "2025-01-02T02:00:00", quiet)
    assert release(held, at("2025-01-02T03:00:00"), cfg) == (at("2025-01-02T07:00:00"), "quiet")
    assert release(held, at("2025-01-02T07:00:01"), cfg) == (at("2025-01-02T07:00:01"), "quiet")


def test_daily_digest_at_its_time() -> None:
    daily = AlertSettings(digest_at="09:00")
    waiting = pending("2025-01-01T10:00:00", "2025-01-01T22:00:00", daily)
    assert release(waiting, at("2025-01-01T23:00:00"), DeliveryConfig()) == (
        at("2025-01-02T09:00:00"), "daily")


# -- in a group, through Telegram ---------------------------------------------------------


async def test_only_admins_change_subscriptions_in_groups(
    botapi: BotAPIServer, demo_db_path: Path
) -> None:
    group = -100555
    botapi.state.admins[group] = {1}
    app = build_application(TOKEN, botapi.base_url, str(demo_db_path),
                            DeliveryConfig(poll_seconds=0.5))
    async with running(app):
        botapi.user_message("/subscribe 카카오", chat_id=group, user_id=2)
        botapi.user_message("/subscriptions", chat_id=group, user_id=2)
        botapi.user_message("/subscribe 카카오", chat_id=group, user_id=1)
        botapi.user_message("/quiet 23-07", chat_id=group, user_id=1)
        botapi.user_message("/subscriptions", chat_id=group, user_id=2)
        sent = await asyncio.to_thread(botapi.wait_sent, 5)
        listing = sent[4]
        button = listing["_params"]["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == "✕ 카카오"
        press = {"id": "cb1", "chat_instance": "1", "data": button["callback_data"],
                 "from": {"id": 2, "is_bot": False, "first_name": "멤버"},
                 "message": {k: v for k, v in listing.items() if not k.startswith("_")}}
        botapi.push_update({"callback_query": press})  # a member: refused
        press = {**press, "id": "cb2", "from": {"id": 1, "is_bot": False, "first_name": "관리자"}}
        botapi.push_update({"callback_query": press})  # the admin: removed
        await asyncio.to_thread(botapi.wait_sent, 6)
    texts = [m["text"] for m in sent]
    assert "관리자만" in texts[0]
    assert "아직 구독이 없어요" in texts[1]  # anyone may list
    assert "구독했어요" in texts[2] and "23시~07시" in texts[3]
    assert "1. 카카오" in texts[4] and "23시~07시" in texts[4]
    answers = [c.params for c in botapi.state.calls if c.method == "answerCallbackQuery"]
    assert "관리자만" in answers[0]["text"] and "지웠어요" in answers[1]["text"]
    assert "아직 구독이 없어요" in botapi.state.sent[5]["text"]  # the list, edited in place
    # Two commands by the admin cost one getChatMember (cached), members likewise.
    asked = [(c.params["user_id"]) for c in botapi.state.calls if c.method == "getChatMember"]
    assert sorted(asked) == [1, 2]


@pytest.mark.parametrize("text", ["/subscribe", "/unsubscribe"])
def test_empty_commands_get_usage(fresh_db: Database, text: str) -> None:
    assert "예:" in cmd(Services(db=fresh_db), text).html
