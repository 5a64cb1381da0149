"""/trend 키워드 [기간]: how often the stored news mentioned a word, day by day, as a picture.

The reply is a PNG line chart (handlers/chart.py) with the busiest days' headlines on it and
the names most often mentioned beside it, and a one-line caption with the figures; the
buttons under it link the labelled headlines, so every figure can be traced to articles.
Periods: `7일`, `90일`, `4주`, `3개월`, `1년`, `2025년`, `2025년 3월` (30 days by default). When
nothing in the last days mentions the word, the same length of time up to its latest
mention is shown instead, and the caption says so.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from analysis.grammar import has_final_consonant
from analysis.terms import entity_key, normalize_term, subscription_key
from handlers.chart import trend_png
from handlers.format import trim
from handlers.reply import Button, Reply, esc
from handlers.services import ChatContext, Services
from store.articles import KST
from store.trend import Headline, counted, daily_counts, day_headlines, newest_day, top_names

DEFAULT_DAYS = 30
MAX_DAYS = 366
PEAKS = 3  # busiest days labelled with a headline
NAMES = 5  # names shown beside the chart
MAX_KEYWORD = 30

_PERIOD = re.compile(
    r"\s*(?:최근\s*)?(?:(?P<year>\d{4})\s*년(?:\s*(?P<month>\d{1,2})\s*월)?"
    r"|(?P<n>\d{1,5})\s*(?P<unit>일|주|개월|달|년))(?:\s*간|\s*동안)?\s*$"
)
USAGE = ("어떤 낱말의 소식 수를 볼까요? 예: <code>/trend 카카오</code> · "
         "<code>/trend 카카오 90일</code> · <code>/trend 카카오 2025년</code>")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive
    label: str  # '최근 30일', '2025년', '2025년 3월'
    relative: bool  # counted back from today (may be moved to the latest mention)


@dataclass(slots=True)
class Trend:
    """Everything the chart and the caption show, read from the store once."""

    keyword: str
    period: Period
    days: list[date]
    counts: list[int]
    peaks: list[tuple[Headline, int]] = field(default_factory=list)  # busiest first
    names: list[tuple[str, int]] = field(default_factory=list)
    moved_from: Period | None = None  # the period asked for, when it held no mention
    stories: int = 0  # over the period: a story written about on two days counts once
    articles: int = 0


def parse_period(text: str, today: date) -> Period | None | str:
    """The period at the end of the arguments: a Period, None when there is none, or a
    Korean message saying what is wrong with it."""
    m = _PERIOD.fullmatch(text)
    if m is None:
        return None
    if m["year"]:
        year = int(m["year"])
        if not 1990 <= year <= today.year:
            return f"{year}년은 볼 수 없어요. 1990년부터 올해까지 적어 주세요."
        if m["month"]:
            month = int(m["month"])
            if not 1 <= month <= 12:
                return "달은 1월부터 12월까지 적어 주세요."
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), min(date(year, month, last), today),
                          f"{year}년 {month}월", relative=False)
        return Period(date(year, 1, 1), min(date(year, 12, 31), today), f"{year}년",
                      relative=False)
    n, unit = int(m["n"]), m["unit"]
    days = n * {"일": 1, "주": 7, "개월": 30, "달": 30, "년": 365}[unit]
    if not 1 <= days <= MAX_DAYS:
        return f"기간은 1일부터 {MAX_DAYS}일(1년)까지 볼 수 있어요."
    return Period(today - timedelta(days=days - 1), today, f"최근 {n}{unit}", relative=True)


def split_args(args: str, today: date) -> tuple[str, Period | str]:
    """(keyword, period or an error message) from '카카오 90일'."""
    words = args.split()
    for cut in range(min(len(words) - 1, 3), 0, -1):  # the period is the last 1-3 words
        period = parse_period(" ".join(words[-cut:]), today)
        if period is not None:
            return " ".join(words[:-cut]), period
    return args, Period(today - timedelta(days=DEFAULT_DAYS - 1), today,
                        f"최근 {DEFAULT_DAYS}일", relative=True)


def _bounds(period: Period) -> tuple[str, str]:
    """[start, end) as the ISO strings publication times compare with."""
    return period.start.isoformat(), (period.end + timedelta(days=1)).isoformat()


def read_trend(services: Services, keyword: str, period: Period) -> Trend | None:
    """The trend of `keyword` over `period` (moved to its latest mention when a relative
    period holds none); None when no stored article mentions it at all."""
    db = services.db
    terms = subscription_key(keyword).split()
    if not terms:
        return None
    counts = daily_counts(db, terms, *_bounds(period))
    moved_from = None
    if not counts and period.relative:
        newest = newest_day(db, terms)
        if newest is None:
            return None
        end = date.fromisoformat(newest)
        length = (period.end - period.start).days
        moved_from = period
        period = Period(end - timedelta(days=length), end, f"{end.isoformat()}까지 "
                        f"{length + 1}일", relative=True)
        counts = daily_counts(db, terms, *_bounds(period))
    days = [period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1)]
    series = [counts.get(d.isoformat(), 0) for d in days]
    busiest = sorted((d for d in counts if counts[d]), key=lambda d: (-counts[d], d))[:PEAKS]
    headlines = day_headlines(db, terms, busiest)
    peaks = [(headlines[d], counts[d]) for d in busiest if d in headlines]
    exclude = {entity_key(keyword), entity_key(keyword.replace(" ", ""))}
    names = top_names(db, terms, *_bounds(period), exclude, NAMES)
    stories, articles = counted(db, terms, *_bounds(period))
    return Trend(keyword, period, days, series, peaks, names, moved_from, stories, articles)


def _day(value: str | date) -> str:
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.month}월 {d.day}일"


def caption(trend: Trend) -> str:
    """One line of figures: total and period, the busiest day, the most named name."""
    p = trend.period
    moved = ", 그 전 마지막 기사까지" if trend.moved_from is not None else ""
    told = f", 기사 {trend.articles}건" if trend.articles != trend.stories else ""
    head = (f"📈 ‘{esc(trim(trend.keyword, 20))}’ 소식 {trend.stories}건"
            f" ({p.start.isoformat()}~{p.end.isoformat()}{moved}{told})")
    parts = [head]
    if trend.moved_from is not None:
        parts.insert(0, f"{esc(trend.moved_from.label)}에는 없어요")
    if trend.peaks:
        top, count = trend.peaks[0]
        tied = sum(1 for n in trend.counts if n == count)
        parts.append(f"하루 최다 {count}건(그런 날 {tied}일)" if tied > 1
                     else f"가장 많은 날 {_day(top.day)} {count}건")
    if trend.names:
        name, count = trend.names[0]
        parts.append(f"많이 나온 이름 {esc(name)} {count}건")
    return " · ".join(parts)


def picture(trend: Trend) -> bytes:
    """The chart: the daily counts, the busiest days' headlines, the names beside it."""
    p = trend.period
    return trend_png(
        title=f"‘{trend.keyword}’ 소식 수 · {p.start.isoformat()} ~ {p.end.isoformat()}",
        days=trend.days,
        counts=trend.counts,
        peaks=[(date.fromisoformat(h.day), n, h.title) for h, n in trend.peaks],
        names=trend.names,
        footnote="뉴스메이트 · 저장된 기사를 발행일별로 셌어요 (한 사건을 여러 매체가 쓴 기사는 하루 한 번)",
    )


def trend(services: Services, args: str, chat: ChatContext, today: date | None = None) -> Reply:
    """/trend 키워드 [기간]: the chart as a PNG with a one-line caption."""
    today = today or (chat.asked_at or datetime.now(KST)).astimezone(KST).date()
    keyword, period = split_args(normalize_term(args), today)
    if not keyword:
        return Reply(USAGE)
    if isinstance(period, str):
        return Reply(period)
    if len(keyword) > MAX_KEYWORD:
        return Reply(f"낱말이 너무 길어요. {MAX_KEYWORD}자 안으로 적어 주세요.")
    found = read_trend(services, keyword, period)
    if found is None or not found.stories:
        where = "" if found is None else f" {esc(found.period.label)} 동안"
        particle = "이" if has_final_consonant(keyword) else "가"
        return Reply(f"‘{esc(keyword)}’{particle}{where} 나온 기사를 찾지 못했어요."
                     " 다른 낱말이나 더 긴 기간으로 해 보시겠어요?")
    buttons = [[Button(f"{_day(h.day)} 기사", url=h.url)] for h, _ in found.peaks]
    return Reply(caption(found), buttons=buttons,
                 article_ids=[h.article_id for h, _ in found.peaks],
                 photo=picture(found), photo_name=f"trend-{keyword}-{period.label}.png")
