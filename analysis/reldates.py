"""Dates in an article's words, resolved against its publication date.

News writes dates relative to the day it appears: `이날`, `30일`, `지난해 12월`, `올해 상반기`,
`지난달 말`. Each is turned into a day, a month, a year or a range of days, so that an article
published in January 2025 saying `지난해 12월` gives 2024-12.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets of `text` in the sentence
    end: int
    text: str
    first: date  # first day covered
    last: date  # last day covered
    precision: str  # 'day', 'month', 'year' or 'range'
    qualifier: str = ""  # 까지, 부터, 이후, 이전, 중, 께 ...

    @property
    def iso(self) -> str:
        """'2024-12-30', '2024-12', '2024', or an ISO interval '2025-01-01/2025-06-30'."""
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return self.first.isoformat()[:7]
        if self.precision == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


_YEAR_WORDS = {
    "재작년": -2, "지난해": -1, "작년": -1, "전년": -1, "올해": 0, "올": 0, "금년": 0,
    "연내": 0, "내년": 1, "이듬해": 1, "내후년": 2,
}
_MONTH_WORDS = {
    "지난달": -1, "전달": -1, "전월": -1, "이달": 0, "이번 달": 0, "이번달": 0, "금월": 0,
    "다음 달": 1, "다음달": 1, "내달": 1, "익월": 1,
}
_DAY_WORDS = {
    "그저께": -2, "그제": -2, "어제": -1, "전날": -1, "이날": 0, "당일": 0, "오늘": 0,
    "금일": 0, "내일": 1, "이튿날": 1, "다음 날": 1, "다음날": 1, "모레": 2,
}
_WEEK_WORDS = {"지난주": -1, "지난 주": -1, "이번 주": 0, "이번주": 0, "금주": 0,
               "다음 주": 1, "다음주": 1, "내주": 1}
# Parts of a year and of a month, as (first month, last month) and (first day, last day).
_YEAR_PARTS = {
    "상반기": (1, 6), "하반기": (7, 12), "1분기": (1, 3), "2분기": (4, 6), "3분기": (7, 9),
    "4분기": (10, 12), "1·4분기": (1, 3), "2·4분기": (4, 6), "3·4분기": (7, 9), "4·4분기": (10, 12),
    "초": (1, 2), "연초": (1, 2), "말": (11, 12), "연말": (11, 12), "중": (1, 12),
}
_MONTH_PARTS = {"초": (1, 10), "초순": (1, 10), "상순": (1, 10), "중순": (11, 20),
                "말": (21, 31), "하순": (21, 31)}
_QUALIFIERS = ("까지", "부터", "이후", "이전", "전후", "께", "쯤", "경", "중", "내", "안에")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so that 지난달 is tried before 지난."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Python's re needs a group name once per pattern, so each alternative's groups carry its
# own prefix (ymd_month, md_month); `_resolve` reads them back without the prefix.
def _y(p: str) -> str:
    return rf"(?:(?P<{p}year>(?:19|20)\d\d)년|(?P<{p}yword>{_alt(_YEAR_WORDS)}))"


def _m(p: str) -> str:
    return rf"(?P<{p}month>1[0-2]|0?[1-9])월"


def _d(p: str) -> str:
    return rf"(?P<{p}day>3[01]|[12]\d|0?[1-9])일"


def _mpart(p: str) -> str:
    return rf"(?P<{p}mpart>{_alt(_MONTH_PARTS)})"


def _dir(p: str) -> str:
    return rf"(?:(?P<{p}dir>지난|오는|이번)\s?)"


# A date word ends where the word does, or where a particle or qualifier starts:
# `지난해 말까지` but not `2024년 말레이시아`, `오늘날`, `올랐다`.
_END = r"(?:(?![가-힣])|(?=[에의은는까부이을를도로께경쯤엔보와과처만대중내전]))"
_START = r"(?<![가-힣0-9.,])"
_PATTERN = re.compile(
    "|".join(
        _START + alternative + _END
        for alternative in [
            # 2024-12-30, 2024.12.30, 2024/12/30
            r"(?P<iso>(?P<iy>(?:19|20)\d\d)[-./]\s?(?P<im>1[0-2]|0?[1-9])[-./]\s?"
            r"(?P<id>3[01]|[12]\d|0?[1-9])(?!\d))",
            # 2024년 12월 30일, 지난해 12월 말, 올해 상반기, 2027년, 내년
            rf"(?P<ymd>{_y('ymd_')}(?:\s?{_m('ymd_')}(?:\s?{_d('ymd_')}|\s?{_mpart('ymd_')})?"
            rf"|\s?(?P<ymd_ypart>{_alt(_YEAR_PARTS)}))?)",
            # 지난달 말, 이달 30일, 다음 달
            rf"(?P<mw>(?P<mw_mword>{_alt(_MONTH_WORDS)})(?:\s?{_d('mw_')}|\s?{_mpart('mw_')})?)",
            # 지난주, 이번 주
            rf"(?P<ww>{_alt(_WEEK_WORDS)})",
            # 3일 전, 2년 전, 5개월 뒤
            r"(?P<ago>(?P<n>\d{1,3})\s?(?P<nunit>년|개월|주|일)\s?(?P<sign>전|후|뒤))",
            # (지난/오는) 12월 (30일 / 말), (지난/오는) 4일
            rf"(?P<md>{_dir('md_')}?{_m('md_')}(?:\s?{_d('md_')}|\s?{_mpart('md_')})?)",
            rf"(?P<d>{_dir('d_')}?{_d('d_')})",
            # 이날, 어제, 전날
            rf"(?P<dw>{_alt(_DAY_WORDS)})",
        ]
    )
)
# What makes a match a duration or part of a longer word rather than a date.
_NOT_AFTER = re.compile(r"^(?:간|동안|만에|째|치|씩|분)")
_QUALIFIER_AFTER = re.compile(rf"^\s?({_alt(_QUALIFIERS)})(?![가-힣])|^({_alt(_QUALIFIERS)})")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _last_day(year, month))


def _day(year: int, month: int, day: int) -> date | None:
    if day > _last_day(year, month):
        return None
    return date(year, month, day)


def _nearest_year(month: int, day: int, ref: date, direction: str | None) -> date | None:
    """The year that puts month/day nearest to `ref`, or strictly before/after it when told."""
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _day(y, month, day))]
    if direction == "지난":
        options = [d for d in options if d <= ref]
    elif direction == "오는":
        options = [d for d in options if d >= ref]
    return min(options, key=lambda d: abs((d - ref).days), default=None)


def _nearest_month(day: int, ref: date, direction: str | None) -> date | None:
    """The month that puts `day` nearest to `ref` (지난 4일: the latest 4th on or before it)."""
    options = []
    for delta in (-1, 0, 1):
        y, m = _add_months(ref.year, ref.month, delta)
        if d := _day(y, m, day):
            options.append(d)
    if direction == "지난":
        options = [d for d in options if d <= ref]
    elif direction == "오는":
        options = [d for d in options if d >= ref]
    return min(options, key=lambda d: abs((d - ref).days), default=None)


_KINDS = ("iso", "ymd", "mw", "ww", "md", "d", "ago", "dw")


def _groups(m: re.Match[str]) -> dict[str, str | None]:
    """The groups of the alternative that matched, named without its prefix."""
    g: dict[str, str | None] = dict.fromkeys(
        (*_KINDS, "year", "yword", "month", "day", "mpart", "ypart", "dir", "mword"), None
    )
    for name, value in m.groupdict().items():
        if value is None:
            continue
        kind, _, rest = name.partition("_")
        g[rest if rest and kind in _KINDS else name] = value
    return g


def _resolve(m: re.Match[str], ref: date) -> tuple[date, date, str] | None:
    g = _groups(m)
    if g["iso"]:
        d = _day(int(g["iy"]), int(g["im"]), int(g["id"]))
        return (d, d, "day") if d else None
    if g["ymd"]:
        year = int(g["year"]) if g["year"] else ref.year + _YEAR_WORDS[g["yword"]]
        if g["month"]:
            return _month_and_more(year, int(g["month"]), g["day"], g["mpart"])
        if g["ypart"]:
            first_m, last_m = _YEAR_PARTS[g["ypart"]]
            return date(year, first_m, 1), date(year, last_m, _last_day(year, last_m)), "range"
        return date(year, 1, 1), date(year, 12, 31), "year"
    if g["mw"]:
        year, month = _add_months(ref.year, ref.month, _MONTH_WORDS[g["mword"]])
        return _month_and_more(year, month, g["day"], g["mpart"])
    if g["ww"]:
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=_WEEK_WORDS[g["ww"]])
        return monday, monday + timedelta(days=6), "range"
    if g["md"]:
        month = int(g["month"])
        anchor = _nearest_year(month, 1, ref.replace(day=1), g["dir"])
        if anchor is None:
            return None
        if g["day"]:
            d = _nearest_year(month, int(g["day"]), ref, g["dir"])
            return (d, d, "day") if d else None
        return _month_and_more(anchor.year, month, None, g["mpart"])
    if g["d"]:
        d = _nearest_month(int(g["day"]), ref, g["dir"])
        return (d, d, "day") if d else None
    if g["ago"]:
        n = int(g["n"]) * (-1 if g["sign"] == "전" else 1)
        unit = g["nunit"]
        if unit == "일":
            d = ref + timedelta(days=n)
            return d, d, "day"
        if unit == "주":
            d = ref + timedelta(weeks=n)
            return d, d, "day"
        if unit == "개월":
            y, mo = _add_months(ref.year, ref.month, n)
            return (*_month_range(y, mo), "month")
        return date(ref.year + n, 1, 1), date(ref.year + n, 12, 31), "year"
    if g["dw"]:
        d = ref + timedelta(days=_DAY_WORDS[g["dw"]])
        return d, d, "day"
    return None


def _month_and_more(
    year: int, month: int, day: str | None, part: str | None
) -> tuple[date, date, str] | None:
    if day:
        d = _day(year, month, int(day))
        return (d, d, "day") if d else None
    if part:
        first, last = _MONTH_PARTS[part]
        last = min(last, _last_day(year, month))
        return date(year, month, first), date(year, month, last), "range"
    return (*_month_range(year, month), "month")


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """The dates in one sentence, resolved against the publication day.

    Without a publication day only absolute dates (2024년 12월 30일, 2024-12-30) are kept.
    """
    found: list[DateMention] = []
    for m in _PATTERN.finditer(text):
        start, end = m.span()
        # 올 alone is the start of 올랐다; it is a year only with a month or a part after it.
        g = _groups(m)
        if g["yword"] == "올" and not (g["month"] or g["ypart"]):
            continue
        if _NOT_AFTER.match(text[end:]) and not g["ymd"]:
            continue
        relative = not (g["iso"] or g["year"])
        if relative and published is None:
            continue
        resolved = _resolve(m, published or date(2000, 1, 1))
        if resolved is None:
            continue
        qualifier = ""
        q = _QUALIFIER_AFTER.match(text[end:])
        if q:
            qualifier = q.group(1) or q.group(2)
            end += q.end()
        first, last, precision = resolved
        found.append(DateMention(start, end, text[start:end], first, last, precision, qualifier))
    return found
