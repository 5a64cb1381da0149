"""Amounts and quantities: Korean number words, commas, units, qualifiers, counted things."""

from __future__ import annotations

import pytest

from analysis import morph
from analysis.values import find_amounts, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2100억", 210_000_000_000),
        ("1조5000억", 1_500_000_000_000),
        ("1조 2,500억", 1_250_000_000_000),
        ("4,895만", 48_950_000),
        ("1.5조", 1_500_000_000_000),
        ("3천억", 300_000_000_000),
        ("9900", 9_900),
    ],
)
def test_korean_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


def amounts(text: str):
    return find_amounts(text, morph.tokens(text))


def test_money_with_jo_eok_and_commas_keeps_the_wording() -> None:
    [a] = amounts("회사는 이 모델 개발에 1조2,500억원을 투입했다.")
    assert (a.text, a.value, a.unit, a.kind) == ("1조2,500억원", 1_250_000_000_000, "KRW", "money")


def test_counter_with_qualifier_and_counted_noun() -> None:
    [a] = amounts("학습에는 1조5000억개 이상의 문장 토큰이 쓰였다.")
    assert a.value == 1.5e12 and a.unit == "개"
    assert a.qualifier == "이상" and a.counted == "토큰"
    assert a.text == "1조5000억개 이상"


def test_counted_noun_after_genitive() -> None:
    [a] = amounts("이 모델은 300억개의 매개변수를 갖췄다.")
    assert (a.value, a.counted) == (30_000_000_000, "매개변수")


def test_people_with_comma_and_man() -> None:
    [a] = amounts("가입자 4,895만명을 모두 붙잡겠다.")
    assert (a.value, a.unit) == (48_950_000, "명")


def test_dollars_percent_and_approximate() -> None:
    found = amounts("약 10억달러를 들여 점유율을 12.5%로 3.1%포인트 끌어올렸다.")
    assert [(a.value, a.unit, a.qualifier) for a in found] == [
        (1_000_000_000, "USD", "약"), (12.5, "%", ""), (3.1, "%p", ""),
    ]


def test_teams_and_sheets_counters() -> None:
    found = amounts("5개 팀을 뽑고 GPU 1만장을 나눠 준다.")
    assert [(a.value, a.unit, a.counted) for a in found] == [(5, "개", "팀"), (10_000, "장", "")]


def test_dates_and_durations_are_not_amounts() -> None:
    assert amounts("2024년 12월 30일, 3개월 만에 출시했다.") == []
