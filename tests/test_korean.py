"""Korean reply grammar: the copula after numbers and words, dates said in full."""

from __future__ import annotations

import pytest

from analysis.grammar import copula, date_in_full


@pytest.mark.parametrize(
    "word,expected",
    [("300억개", "300억개예요"), ("2100억원", "2100억원이에요"), ("36GB", "36GB예요"),
     ("2", "2예요"), ("3", "3이에요"), ("10%", "10%예요"), ("정신아", "정신아예요")],
)
def test_copula_follows_the_last_sound(word: str, expected: str) -> None:
    assert copula(word) == expected


@pytest.mark.parametrize(
    "text,iso,precision,qualifier,expected",
    [
        ("22일", "2026-01-22", "day", "", "2026년 1월 22일"),
        ("지난해 12월", "2025-12", "month", "", "2025년 12월"),
        ("올해", "2026", "year", "", "2026년"),
        ("이달 말부터", "2024-03-21/2024-03-31", "range", "부터", "2024년 3월 말부터"),
        ("올해 상반기", "2025-01-01/2025-06-30", "range", "", "2025년 상반기"),
        ("9월까지", "2025-09", "month", "까지", "2025년 9월까지"),
        # a range with no named part of the month or year stays as written
        ("이번 주", "2025-03-03/2025-03-09", "range", "", "이번 주"),
        ("어느 날", "not-a-date", "day", "", "어느 날"),
    ],
)
def test_date_in_full(text: str, iso: str, precision: str, qualifier: str, expected: str) -> None:
    assert date_in_full(text, iso, precision, qualifier) == expected
