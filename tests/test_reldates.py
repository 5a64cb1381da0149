"""Dates resolved against the publication day, across month and year boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.reldates import find_dates

NEW_YEAR = date(2025, 1, 9)  # an article published on 9 January 2025


def iso(text: str, published: date | None = NEW_YEAR) -> list[str]:
    return [d.iso for d in find_dates(text, published)]


def test_last_year_december_across_the_year_boundary() -> None:
    assert iso("회사는 지난해 12월 개발에 착수했다.") == ["2024-12"]
    # A bare month nearest the publication day is last December too.
    assert iso("12월에 시작된 작업이다.") == ["2024-12"]


def test_end_of_last_month_across_the_year_boundary() -> None:
    [d] = find_dates("지난달 말 열린 회의에서", NEW_YEAR)
    assert (d.first, d.last, d.precision) == (date(2024, 12, 21), date(2024, 12, 31), "range")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("이날 공개했다.", "2025-01-09"),
        ("8일 공개했다.", "2025-01-08"),
        ("30일 출시한다.", "2024-12-30"),  # nearer than 30 January
        ("지난 4일 열렸다.", "2025-01-04"),
        ("오는 4일 열린다.", "2025-02-04"),
        ("내년 1월 나온다.", "2026-01"),
        ("올해 상반기 안에 내놓겠다.", "2025-01-01/2025-06-30"),
        ("2024년 12월 30일에 공개했다.", "2024-12-30"),
        ("2024-12-31 기준이다.", "2024-12-31"),
    ],
)
def test_relative_dates(text: str, expected: str) -> None:
    assert iso(text) == [expected]


def test_day_later_in_the_month_stays_in_the_month() -> None:
    assert iso("30일 출시한다.", date(2025, 6, 20)) == ["2025-06-30"]


def test_until_a_year_keeps_the_qualifier() -> None:
    [d] = find_dates("2027년까지 두 팀만 남긴다.", NEW_YEAR)
    assert (d.iso, d.qualifier, d.text) == ("2027", "까지", "2027년까지")


def test_without_a_publication_day_only_absolute_dates() -> None:
    assert iso("지난해 12월과 2024년 3월 5일", None) == ["2024-03-05"]


def test_words_that_only_look_like_dates() -> None:
    assert iso("오늘날 주가가 올랐다. 2024년 말레이시아에 30일간 머물렀다.") == ["2024"]
