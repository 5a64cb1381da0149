"""The time a question names, as a span of KST time counted from when it was asked:
'오늘', '어제', '이번 주' (Monday on), '지난주', '이번 달', '지난달', '8월', '2024년',
'최근 7일'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from analysis.dates import parse_kst
from store.articles import KST


@dataclass(frozen=True, slots=True)
class Span:
    start: datetime  # inclusive, KST
    end: datetime  # exclusive, KST
    label: str  # how a reply names it: '오늘', '이번 주', '8월'

    def holds(self, published_at: str | None) -> bool:
        moment = parse_kst(published_at)
        return moment is not None and self.start <= moment < self.end

    @property
    def first(self) -> str:
        return self.start.isoformat(timespec="seconds")

    @property
    def last(self) -> str:
        return self.end.isoformat(timespec="seconds")


_DAYS = re.compile(r"최근\s?(\d+)\s?일")
_MONTH = re.compile(r"(?<![\d.])(\d{1,2})월")
_YEAR = re.compile(r"(\d{4})년")


def span_of(phrase: str, asked_at: str = "") -> Span | None:
    """The span `phrase` (Question.window) names, as counted from `asked_at` (ISO, KST;
    now when empty); None when it names none."""
    if not phrase:
        return None
    now = parse_kst(asked_at) or datetime.now(KST)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    compact = phrase.replace(" ", "")
    if "그제" in compact or "그저께" in compact or "엊그제" in compact:
        return Span(day - timedelta(days=2), day - timedelta(days=1), "그저께")
    if "어제" in compact:
        return Span(day - timedelta(days=1), day, "어제")
    if "오늘" in compact:
        return Span(day, day + timedelta(days=1), "오늘")
    if "지난주" in compact:
        monday = day - timedelta(days=day.weekday())
        return Span(monday - timedelta(days=7), monday, "지난주")
    if "이번주" in compact:
        monday = day - timedelta(days=day.weekday())
        return Span(monday, monday + timedelta(days=7), "이번 주")
    if "지난달" in compact:
        first = day.replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        return Span(previous, first, "지난달")
    if "이번달" in compact or "이달" in compact:
        first = day.replace(day=1)
        return Span(first, _next_month(first), "이번 달")
    days = _DAYS.search(compact)
    if days:
        n = max(1, min(int(days.group(1)), 366))
        return Span(day - timedelta(days=n - 1), day + timedelta(days=1), f"최근 {n}일")
    month = _MONTH.search(compact)
    if month and 1 <= int(month.group(1)) <= 12:
        # The named month of this year, or of last year when it has not come yet.
        m = int(month.group(1))
        year = now.year if m <= now.month else now.year - 1
        first = day.replace(year=year, month=m, day=1)
        return Span(first, _next_month(first), f"{m}월")
    year = _YEAR.search(compact)
    if year:
        first = day.replace(year=int(year.group(1)), month=1, day=1)
        return Span(first, first.replace(year=first.year + 1), f"{first.year}년")
    return None


def _next_month(first: datetime) -> datetime:
    return (first + timedelta(days=32)).replace(day=1)
