"""Extraction of the fixture pages and the Korean news boilerplate rules."""

from __future__ import annotations

import re

import pytest

from ingest.clean import EMAIL, clean_body, parse_text_article
from ingest.decode import decode_bytes
from ingest.extract import ExtractError, extract_page
from ingest.feeds import FeedError, parse_feed
from ingest.pagedates import find_published_in_text, normalise_date
from tests.ingest_server import FIXTURES, fixture_bytes

BOILERPLATE = ("제보", "무단", "재배포", "구독", "▶", "인기기사", "관련기사", "많이 본", "공유하기", "URL복사")


def page(name: str, url: str = "http://127.0.0.1/news/1"):
    return extract_page(decode_bytes(fixture_bytes(name), "text/html").text, url)


def assert_clean(body: str) -> None:
    lines = body.split("\n")
    assert not EMAIL.search(body), body
    assert len(lines) == len(set(lines)), "a line is printed twice"
    for word in BOILERPLATE:
        assert word not in body, word
    assert not re.match(r"^[\[(]", lines[0]), "byline prefix left on the first paragraph"
    assert all(not re.search(r"/\s*사진\s*=", line) for line in lines), "photo caption left"


def test_utf8_page() -> None:
    p = page("page_utf8.html")
    assert p.title == "누리클라우드, 한국어 경량 AI '누리온 3' 공개"
    assert p.publisher == "코드타임즈"
    assert p.published_at == "2025-03-04T09:30:00+09:00"
    assert p.canonical_url == "https://m.codetimes.example/news/1001?utm_source=feed&utm_medium=rss"
    assert p.body.startswith("클라우드 기업 누리클라우드가 스마트폰에서")
    assert p.body.endswith("승부를 가를 것\"이라고 내다봤다.")
    assert len(p.body.split("\n")) == 5
    assert_clean(p.body)


def test_euckr_page_with_meta_publisher_and_itemprop_date() -> None:
    p = page("page_euckr_declared.html")
    assert p.title == "과기부, 온디바이스 AI 안전 기준 만든다…누리온 3 첫 시험대"
    assert p.publisher == "한빛경제"
    assert p.published_at == "2025-03-05T10:00:00+09:00"  # 01:00 UTC
    assert p.canonical_url is None
    assert p.body.startswith("과학기술정보통신부가 스마트폰 안에서")  # '(세종=한빛경제) 정민호 기자 =' gone
    assert "샾(#) 기호" in p.body
    assert "정부세종청사에서 온디바이스 AI 점검 항목을 논의하고" not in p.body  # the caption
    assert_clean(p.body)


def test_page_without_meta_gets_date_printed_on_page_and_outlet_from_prefix() -> None:
    p = page("page_euckr_undeclared.html")
    assert p.title == "누리온 3 써보니…요약은 빠르고 사투리엔 아직 서툴러"
    assert p.published_at == "2025-03-06T14:20:00+09:00"
    assert p.publisher == "디지털온"  # named by the '[디지털온=윤지아 기자]' prefix
    assert p.canonical_url == "https://www.digitalon.example/article/3003#comments"
    assert "입력" not in p.body and "별빛전자" not in p.body
    assert_clean(p.body)


def test_caption_printed_twice_with_company_credit() -> None:
    p = page("page_wrong_declared.html")
    assert p.publisher == "테크한마당"
    assert p.published_at is None
    assert "본사 전경" not in p.body
    assert p.body.startswith("누리클라우드 주가가 온디바이스 AI 모델을 공개한 뒤")
    assert_clean(p.body)


def test_page_without_article_text_is_refused() -> None:
    with pytest.raises(ExtractError):
        extract_page("<html><body><nav><a href='/'>홈</a></nav></body></html>", "http://x.example/")


# ---- rules one by one --------------------------------------------------------------------

SENTENCE = "누리클라우드는 다음 달 개발자 행사에서 외부 공개 일정을 밝힐 예정이다."


@pytest.mark.parametrize(
    ("first", "expected_publisher"),
    [
        ("[코드타임즈|이하린 기자] ", "코드타임즈"),
        ("[디지털온=윤지아 기자] ", "디지털온"),
        ("[테크한마당 최수아 기자] ", "테크한마당"),
        ("(서울=한빛경제) 정민호 기자 = ", "한빛경제"),
        ("(세종=한빛경제) ", "한빛경제"),
        ("[서울=한빛경제]정민호 기자 = ", "한빛경제"),
        ("【서울=한빛경제】 ", ""),
        ("정민호 기자 = ", ""),
    ],
)
def test_byline_prefixes_are_removed_and_the_sentence_kept(first: str, expected_publisher: str) -> None:
    cleaned = clean_body(first + SENTENCE + "\n" + SENTENCE.replace("다음 달", "오늘"))
    assert cleaned.body.split("\n")[0] == SENTENCE
    assert cleaned.publisher_hint == expected_publisher


@pytest.mark.parametrize(
    "caption",
    [
        "행사장 모습. /사진=박서준 기자(코드타임즈)",
        "시연 기기를 살펴보는 방문객들. /박서준 기자",
        "누리클라우드 본사 전경. /누리클라우드",
        "누리온 3 시연 화면(사진=누리클라우드 제공)",
        "누리온 3 시연 화면 [사진=누리클라우드]",
    ],
)
def test_captions_go_whether_printed_once_or_twice(caption: str) -> None:
    for text in (f"{caption}\n{SENTENCE}", f"{caption}\n{caption}\n{SENTENCE}"):
        assert clean_body(text).body == SENTENCE


def test_repeated_non_caption_line_is_kept_once() -> None:
    assert clean_body(f"{SENTENCE}\n{SENTENCE}").body == SENTENCE


@pytest.mark.parametrize(
    "line",
    [
        "harin.lee@codetimes.example",
        "이하린 기자 harin.lee@codetimes.example",
        "/이하린 기자 harin.lee@codetimes.example",
        "이하린 기자",
        "글·사진=이하린 기자",
        "입력 2025.03.04 09:30 | 수정 2025.03.04 10:02",
        "• IT | 2025-03-04 09:30",
        "코드타임즈는 24시간 여러분의 제보를 기다립니다.",
        "▶카카오톡: '코드타임즈제보' 검색",
        "- 포털 메인에서 코드타임즈 구독하고 [새 소식 받기▶]",
        "ⓒ 코드타임즈, 무단 전재 및 재배포 금지",
        "<저작권자 ⓒ 한빛경제 무단전재 및 재배포금지>",
        "Copyright © Codetimes. All rights reserved.",
        "공유하기 페이스북 트위터 카카오톡 URL복사",
        "글자크기 인쇄 스크랩",
        "https://codetimes.example/news/1001",
    ],
)
def test_boilerplate_lines_go(line: str) -> None:
    assert clean_body(f"{SENTENCE}\n{line}\n{SENTENCE.replace('다음 달', '오늘')}").body.split("\n") == [
        SENTENCE, SENTENCE.replace("다음 달", "오늘")
    ]


@pytest.mark.parametrize("header", ["[인기기사]", "관련기사", "많이 본 뉴스", "이 기사와 함께 많이 본 뉴스"])
def test_article_lists_go_with_their_items(header: str) -> None:
    text = f"{SENTENCE}\n{header}\n별빛전자, 접이식 태블릿 출시 연기\n· 동해게임즈 신작 사전 예약 100만명"
    assert clean_body(text).body == SENTENCE


def test_e_mail_inside_a_paragraph_is_removed_not_the_paragraph() -> None:
    cleaned = clean_body(f"{SENTENCE} 문의는 help@nuricloud.example 로 하면 된다는 설명이다.")
    assert "@" not in cleaned.body and cleaned.body.startswith(SENTENCE)


def test_real_sentences_that_mention_tipoffs_or_subscriptions_stay() -> None:
    body = (
        "경찰은 시민 제보를 바탕으로 누리클라우드 서버실에 침입한 일당을 붙잡았다고 밝혔다.\n"
        "누리클라우드는 월 구독료를 내는 기업 고객이 1년 새 두 배로 늘었다고 설명했다.\n"
        "관련 업계는 이번 조치가 구독 경제 전반에 영향을 줄 것으로 보고 있다."
    )
    assert clean_body(body).body == body


def test_byline_glued_to_the_last_sentence() -> None:
    assert clean_body(f"{SENTENCE} 이하린 기자").body == SENTENCE


def test_text_file_with_outlet_and_title_lines() -> None:
    article = parse_text_article((FIXTURES / "article.txt").read_text(encoding="utf-8"), "article")
    assert article.publisher == "코드타임즈"
    assert article.title == "누리클라우드, 누리온 3 사전 체험단 1000명 모집"
    assert article.body.split("\n") == [
        "누리클라우드가 온디바이스 AI '누리온 3'를 먼저 써볼 사전 체험단 1000명을 모집한다고 10일 밝혔다.",
        "체험단은 한 달 동안 요약과 번역 기능을 쓰고 매주 사용 소감을 남기게 된다. "
        "회사는 여기서 모은 의견을 정식 출시 전에 반영할 계획이다.",
    ]


def test_text_file_without_headline_takes_the_file_name() -> None:
    text = f"행사장 모습. /사진=박서준 기자\n\n{SENTENCE}\n"
    article = parse_text_article(text, "nuri_0310")
    assert article.title == "nuri_0310" and article.body == SENTENCE


def test_text_file_date_line() -> None:
    text = f"누리온 3 체험단 모집 마감\n• IT | 2025-03-12 16:05\n{SENTENCE}"
    article = parse_text_article(text, "x")
    assert article.title == "누리온 3 체험단 모집 마감"
    assert article.published_at == "2025-03-12T16:05:00+09:00"


# ---- dates and feeds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kst"),
    [
        ("2025-03-05T01:00:00Z", "2025-03-05T10:00:00+09:00"),
        ("2025-03-05 10:00", "2025-03-05T10:00:00+09:00"),
        ("Wed, 05 Mar 2025 01:00:00 GMT", "2025-03-05T10:00:00+09:00"),
        ("2025.03.05 10:00", "2025-03-05T10:00:00+09:00"),
        ("2025년 3월 5일 오후 2시 20분", "2025-03-05T14:20:00+09:00"),
        ("20250305100000", "2025-03-05T10:00:00+09:00"),
        ("날짜 없음", None),
    ],
)
def test_dates_normalised_to_kst(value: str, kst: str | None) -> None:
    assert normalise_date(value) == kst


def test_published_label_in_page_text() -> None:
    assert find_published_in_text("기사입력 : 2025-03-06 오전 9:05 최종수정") == "2025-03-06T09:05:00+09:00"


def test_rss_and_atom_entries() -> None:
    rss = parse_feed(fixture_bytes("feed_rss.xml"))
    assert rss.title == "코드타임즈 IT" and len(rss.entries) == 5
    assert rss.entries[0].published_at == "2025-03-04T09:31:00+09:00"
    assert rss.entries[3].published_at == "2025-03-07T08:15:00+09:00"
    assert not any(e.is_full for e in rss.entries)
    atom = parse_feed(fixture_bytes("feed_atom.xml"))  # EUC-KR, declared in the XML declaration
    assert atom.title == "한빛경제 IT"
    assert [e.is_full for e in atom.entries] == [False, True]
    assert atom.entries[1].published_at == "2025-03-08T09:00:00+09:00"
    assert "800석" in atom.entries[1].text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (fixture_bytes("feed_invalid.xml"), "invalid XML"),
        (fixture_bytes("page_utf8.html"), "HTML where a feed was expected"),
        (b"", "empty body"),
        (b"just some words", "not an RSS or Atom feed"),
    ],
)
def test_broken_feeds(data: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(data)


def test_caption_credit_names_the_outlet_when_nothing_else_does() -> None:
    cleaned = clean_body(f"행사장 모습. /사진=박서준 기자(코드타임즈)\n{SENTENCE}")
    assert cleaned.body == SENTENCE and cleaned.publisher_hint == "코드타임즈"


def test_site_name_is_cut_from_the_title_only_when_it_names_the_publisher() -> None:
    body = "".join(f"<p>{SENTENCE}</p>" for _ in range(3))
    html = "<html><head><title>{}</title>{}</head><body><article>{}</article></body></html>"
    named = '<meta property="og:site_name" content="코드타임즈">'
    p = extract_page(html.format("누리온 3 출시 | 코드타임즈", named, body), "http://x.example/1")
    assert p.title == "누리온 3 출시"
    p = extract_page(html.format("AI 경쟁 - 누리클라우드의 반격", named, body), "http://x.example/2")
    assert p.title == "AI 경쟁 - 누리클라우드의 반격"


def test_credit_after_a_paragraph_is_cut_but_the_paragraph_stays() -> None:
    paragraph = f"{SENTENCE} 회사는 행사 참가 신청을 다음 주부터 받는다."
    assert clean_body(f"{paragraph} /한빛경제").body == paragraph
