"""People with organisation and title, alias merging, and who said what."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import morph
from analysis.roles import find_roles, merge_people
from ingest.article_input import ArticleInput
from ingest.corpus import read_corpus
from ingest.prepare import prepare
from store.facts import ArticleFacts

FIXTURES = Path(__file__).parent / "fixtures" / "facts" / "articles.jsonl"


def roles(text: str):
    return [(m.name, m.org, m.title, m.anonymous) for m in find_roles(text, morph.tokens(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("정하윤 다솜테크 대표는 말했다.", ("정하윤", "다솜테크", "대표", "")),
        ("윤서진 최고AI책임자(CAIO)가 맡았다.", ("윤서진", "", "최고AI책임자", "")),
        ("안지호 미래투자증권 연구원은 분석했다.", ("안지호", "미래투자증권", "연구원", "")),
        ("다솜테크 정하윤 대표가 답했다.", ("정하윤", "다솜테크", "대표", "")),
        ("강민서 다솜 AI연구원장은 밝혔다.", ("강민서", "다솜 AI연구원", "원장", "")),
        # Kiwi reads 표상훈 as one common noun; the title right after it makes it a name.
        ("표상훈 윤리자문위원장은 밝혔다.", ("표상훈", "윤리자문위원회", "위원장", "")),
        ("다솜테크 관계자는 말했다.", ("", "다솜테크", "", "다솜테크 관계자")),
        ("한 IT 업계 관계자는 말했다.", ("", "", "", "한 IT 업계 관계자")),
        ("업계 관계자는 말했다.", ("", "", "", "업계 관계자")),
    ],
)
def test_role_patterns(text: str, expected: tuple) -> None:
    assert roles(text) == [expected]


def test_markets_and_common_words_are_not_people() -> None:
    assert roles("공공 시장과 지난달 말 모델 시장을 노린다.") == []
    assert roles("이번 다솜테크 대표 선임은 주목된다.") == []
    assert roles("신임 위원장은 말했다.") == []  # two syllables before a title: no name


def mentions(*sentences: str):
    return [(i, m) for i, s in enumerate(sentences) for m in find_roles(s, morph.tokens(s))]


def test_surname_and_title_resolve_to_the_full_name_introduced_earlier() -> None:
    people = merge_people(mentions(
        "정하윤 다솜테크 대표는 신제품을 소개했다.",
        "정민호 다솜테크 부사장도 참석했다.",
        "정 대표는 가격을 낮추겠다고 말했다.",
        "정 부사장은 수출을 맡는다.",
    ))
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"정하윤", "정민호"}
    assert "정 대표" in by_name["정하윤"].aliases
    assert "정 부사장" in by_name["정민호"].aliases
    assert [i for i, _ in by_name["정하윤"].mentions] == [0, 2]


def test_short_form_without_an_earlier_full_name_is_dropped() -> None:
    assert merge_people(mentions("정 대표는 말을 아꼈다.")) == []


def test_name_with_title_merges_with_name_org_title() -> None:
    people = merge_people(mentions("김도현 다솜테크 창업자는 웃었다.", "김도현 창업자도 자리를 지켰다."))
    [p] = people
    assert (p.name, p.org, p.title) == ("김도현", "다솜테크", "창업자")
    assert p.aliases == ["김도현 다솜테크 창업자", "김도현 창업자"]


@pytest.fixture(scope="module")
def nuri() -> ArticleFacts:
    items = [i for i in read_corpus(FIXTURES) if isinstance(i, ArticleInput)]
    prepared = prepare(next(i for i in items if i.source_id == "nuri-1"))
    assert prepared.facts is not None
    return prepared.facts


def test_article_people(nuri: ArticleFacts) -> None:
    people = {p.name: p for p in nuri.people}
    assert (people["박은서"].org, people["박은서"].title) == ("누리소프트", "대표")
    assert "박 대표" in people["박은서"].aliases
    assert (people["최도윤"].org, people["최도윤"].title) == ("누리소프트", "창업자")


def test_quote_split_over_two_sentences_is_joined_and_attributed(nuri: ArticleFacts) -> None:
    # Kiwi splits the standalone quote after '말했다.' at its inner period.
    [q] = [q for q in nuri.quotes if q.text.startswith("번역은 결국")]
    assert q.text == "번역은 결국 신뢰의 문제다. 한 번 틀리면 이용자는 돌아오지 않는다."
    assert q.last_sentence == q.sentence + 1
    assert (q.kind, q.name, q.org, q.title) == ("person", "박은서", "누리소프트", "대표")


def test_two_part_quote_with_surname_and_title(nuri: ArticleFacts) -> None:
    [q] = [q for q in nuri.quotes if "유료 버전" in q.text]
    assert q.text == "올해 상반기 안에 유료 버전을 내놓겠다. 가입자 4,895만명을 모두 붙잡겠다"
    assert (q.name, q.label) == ("박은서", "박 대표")


def test_anonymous_speakers_stay_anonymous(nuri: ArticleFacts) -> None:
    anonymous = {q.label: q for q in nuri.quotes if q.kind == "anonymous"}
    assert set(anonymous) == {"누리소프트 관계자", "한 IT 업계 관계자"}
    assert anonymous["누리소프트 관계자"].org == "누리소프트"
    assert anonymous["한 IT 업계 관계자"].org == ""
    assert all(not q.name for q in anonymous.values())


def test_founder_quote_and_values(nuri: ArticleFacts) -> None:
    assert any(q.name == "최도윤" and "뜻깊은 날" in q.text for q in nuri.quotes)
    money = [v for v in nuri.values if v.kind == "money"]
    assert [(v.text, v.value, v.unit) for v in money] == [("1조2,500억원", 1.25e12, "KRW")]
    dates = {v.text: v.iso for v in nuri.values if v.kind == "date"}
    assert dates["지난해 12월"] == "2024-12"
    assert dates["8일"] == "2025-01-08"
    tokens = [v for v in nuri.values if v.counted == "토큰"]
    assert tokens and tokens[0].value == 3e11 and tokens[0].qualifier == "이상"


def test_person_mentions_are_stored_under_the_full_name(nuri: ArticleFacts) -> None:
    keys = {m.text: m.key for m in nuri.mentions if m.type == "PS"}
    assert keys["박 대표"] == "박은서"


def test_speaker_after_the_quote_and_an_organisation_speaking() -> None:
    body = "\n".join([
        "정하윤 다솜테크 대표가 3일 새 안경형 기기를 공개했다.",
        "\"가격을 절반으로 낮춘 것이 핵심이다\"라고 정 대표는 말했다.",
        "다솜테크는 \"연말까지 판매처를 두 배로 늘리겠다\"고 밝혔다.",
        "한편 \"AI 동맹\"이라는 말도 나왔다.",
    ])
    facts = prepare(ArticleInput(title="다솜테크 새 기기", body=body, url="https://facts.example.com/d1",
                                 published_at="2025-03-04T09:00:00+09:00"))
    assert facts.facts is not None
    quotes = [(q.kind, q.name or q.label, q.text) for q in facts.facts.quotes]
    assert quotes == [
        ("person", "정하윤", "가격을 절반으로 낮춘 것이 핵심이다"),
        ("organisation", "다솜테크", "연말까지 판매처를 두 배로 늘리겠다"),
    ]  # a quoted term ("AI 동맹"이라는) is no quote
