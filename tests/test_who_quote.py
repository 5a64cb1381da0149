"""/who and /quote over a store filled from our own fixture articles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from handlers.commands import run_command
from handlers.services import ChatContext, Services
from ingest.article_input import ArticleInput
from ingest.corpus import read_corpus
from ingest.pipeline import ingest_items
from store.engine import Database

FIXTURES = Path(__file__).parent / "fixtures" / "facts" / "articles.jsonl"


def fixture_items() -> list[ArticleInput]:
    return [i for i in read_corpus(FIXTURES) if isinstance(i, ArticleInput)]


@pytest.fixture
def services(fresh_db: Database) -> Services:
    report = ingest_items(fresh_db, fixture_items())
    assert report.new == 3 and report.failed == 0
    return Services(db=fresh_db)


def ask(services: Services, command: str, args: str):
    return run_command(services, command, args, ChatContext())


def fits_a_phone(text: str) -> bool:
    return len(text) <= 1200 and text.count("\n") <= 25


def test_who_gives_role_org_count_and_linked_mentions(services: Services) -> None:
    reply = ask(services, "who", "최도윤")
    assert "최도윤 · 누리소프트 창업자" in reply.visible
    assert "기사 1건" in reply.visible
    assert '<a href="https://facts.example.com/nuri-1">' in reply.html
    assert "2025-01-09" in reply.visible
    assert fits_a_phone(reply.visible)


def test_who_tells_namesakes_apart(services: Services) -> None:
    reply = ask(services, "who", "박은서")
    text = reply.visible
    assert "2명" in text and "동명이인" in text
    assert "박은서 · 누리소프트 대표" in text and "박은서 · 한빛대학교 교수" in text
    # The article that says only '박은서 대표' counts for the 누리소프트 대표.
    first, second = text.split("한빛대학교 교수")
    assert "기사 2건" in first and "기사 1건" in second
    assert "https://facts.example.com/hanbit-1" in reply.html
    assert fits_a_phone(text)


@pytest.mark.parametrize("typed", ["최도윤은", "최도윤 창업자", "최도윤이요", "최도운", "최도윤씨"])
def test_who_tolerates_particles_and_typos(services: Services, typed: str) -> None:
    assert "최도윤 · 누리소프트 창업자" in ask(services, "who", typed).visible


def test_who_typo_says_what_it_looked_up(services: Services) -> None:
    # Typed as it sounds (liaison): 바근서 for 박은서.
    text = ask(services, "who", "바근서").visible
    assert "‘바근서’ 대신 ‘박은서’로 찾았어요" in text


def test_who_unknown_person_says_so(services: Services) -> None:
    reply = ask(services, "who", "홍길동")
    assert "인물 정보가 기사에 없어요" in reply.visible
    assert reply.article_ids == []


def test_who_escapes_what_the_user_typed(services: Services) -> None:
    reply = ask(services, "who", "<b>홍길동</b>")
    assert "&lt;b&gt;" in reply.html and "<b>홍" not in reply.html


def test_quote_by_person_has_speaker_date_and_link(services: Services) -> None:
    reply = ask(services, "quote", "최도윤")
    text = reply.visible
    assert "최도윤 누리소프트 창업자의 최근 발언" in text
    assert "뜻깊은 날" in text and "2025-01-09" in text
    assert '<a href="https://facts.example.com/nuri-1">원문</a>' in reply.html


def test_quote_of_namesakes_names_each_speaker(services: Services) -> None:
    reply = ask(services, "quote", "박은서")
    text = reply.visible
    assert "— 박은서 한빛대학교 교수" in text and "— 박은서 누리소프트 대표" in text
    assert text.index("학습했는지") < text.index("품질로 평가받고")  # newest first
    assert reply.html.count("원문</a>") == text.count("“")  # every quote has its source
    assert fits_a_phone(text)


def test_quote_by_organisation_includes_its_people_and_staff(services: Services) -> None:
    text = ask(services, "quote", "누리소프트").visible
    assert "누리소프트 쪽의 최근 발언" in text
    assert "— 누리소프트 관계자" in text and "— 최도윤 누리소프트 창업자" in text
    assert "한 IT 업계 관계자" not in text  # speaks for no organisation


def test_quote_nothing_known(services: Services) -> None:
    assert "발언을 기사에서 찾지 못했어요" in ask(services, "quote", "홍길동").visible


def count(db: Database, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_reingesting_an_article_replaces_its_facts(fresh_db: Database) -> None:
    first = fixture_items()[0]
    ingest_items(fresh_db, [first])
    before = {t: count(fresh_db, t) for t in ("people", "quotes", "fact_values", "entity_mentions")}
    ids = [r[0] for r in fresh_db.execute("SELECT id FROM quotes ORDER BY id")]
    assert before["quotes"] >= 4

    # The same article unchanged: nothing is rewritten.
    report = ingest_items(fresh_db, [first])
    assert report.unchanged == 1
    assert [r[0] for r in fresh_db.execute("SELECT id FROM quotes ORDER BY id")] == ids

    # Corrected by the publisher: the old quote goes, the new one comes, nothing doubles.
    changed = replace(first, body=first.body.replace("판도가 바뀔 수 있다", "흐름이 달라질 수 있다"))
    report = ingest_items(fresh_db, [changed])
    assert report.updated == 1
    texts = [r[0] for r in fresh_db.execute("SELECT text FROM quotes")]
    assert "번역 시장의 흐름이 달라질 수 있다" in texts
    assert not any("판도" in t for t in texts)
    after = {t: count(fresh_db, t) for t in before}
    assert after == before
    # Every fact points at a sentence of the article as it is now.
    stale = fresh_db.execute(
        "SELECT count(*) FROM quotes q LEFT JOIN sentences s ON s.id = q.sentence_id"
        " WHERE s.id IS NULL OR s.article_id != q.article_id"
    ).fetchone()[0]
    assert stale == 0


def test_a_surname_alone_finds_the_one_full_name_it_ends(fresh_db: Database) -> None:
    """An article that writes only '하틀리 대표' stores 하틀리; the one that gives the full
    name stores 로버트 하틀리. '/who 하틀리' and '/quote 하틀리' are about 로버트 하틀리."""
    def envoy(slug: str, title: str, body: str, day: str) -> ArticleInput:
        return ArticleInput(title=title, body=body, url=f"https://facts.example.com/{slug}",
                            publisher="가람일보", published_at=f"{day}T09:00:00+09:00")

    assert ingest_items(fresh_db, [
        envoy("full", "美 대북대표 방한", "로버트 하틀리 미국 국무부 대북정책특별대표가 28일 방한했다. "
              "로버트 하틀리 대표는 \"대화의 문은 열려 있다\"고 말했다.", "2025-03-28"),
        envoy("short", "하틀리 대표 출국", "하틀리 대표는 30일 일본으로 떠났다. 하틀리 대표는 "
              "\"일본과도 긴밀히 협의하겠다\"고 말했다.", "2025-03-30"),
    ]).failed == 0
    services = Services(db=fresh_db)
    names = {r[0] for r in fresh_db.execute("SELECT DISTINCT name FROM people")}
    assert {"로버트 하틀리", "하틀리"} <= names  # both forms are stored
    who = ask(services, "who", "하틀리").visible
    assert "👤 로버트 하틀리" in who and "기사 2건" in who, who  # the short form's article too
    said = ask(services, "quote", "하틀리").visible
    assert "대화의 문은 열려 있다" in said and "긴밀히 협의하겠다" in said, said
