"""The alert messages: one story, a bundle of several, or a digest after quiet hours.

An alert names its story's newest count of outlets ('3개 매체'); an update (a later article
of a story the chat was alerted to, bringing a new fact) says '업데이트:' and the sentence
that states the fact.

Plain functions from outbox items to Bot API HTML, so tests and the terminal can read
them; bot/delivery.py sends them. Everything from articles and users is escaped, and a
bundle never needs trimming (BUNDLE_MAX short lines stay far under 4096 characters), so
no alert is ever cut off a message it was marked as sent in.
"""

from __future__ import annotations

import re

from analysis.dates import parse_kst
from handlers.format import SUMMARY_ONLY, shown_sentence, trim
from handlers.reply import esc, link
from store.outbox import UPDATE, OutboxItem

BUNDLE_MAX = 20  # stories in one bundled or digest message
SUMMARY_CHARS = 120

BURST, QUIET, DAILY = "burst", "quiet", "daily"
_HEADERS = {
    BURST: "🔔 구독하신 주제의 새 기사 {n}건이에요",
    QUIET: "🌙 조용한 시간 동안 들어온 기사 {n}건이에요",
    DAILY: "🗞 오늘의 구독 기사 {n}건이에요",
}

# Lines that open many Korean articles without saying anything: bylines, photo credits,
# datelines such as "[서울=뉴스1] 홍길동 기자 =".
_BYLINE = re.compile(r"(기자\s*=|특파원\s*=|^\[[^\]]{1,30}\]\s*$|^\(.{1,30}\)\s*$|@|사진\s*=|제공\s*=)")


def summary_sentence(lead: list[str], title: str = "") -> str:
    """The article's first substantial sentence, trimmed: not a byline, not the title again."""
    for sentence in lead:
        text = shown_sentence(sentence, SUMMARY_CHARS, title)
        if len(text) < 20 or _BYLINE.search(text) or text == title.strip():
            continue
        return text
    return ""


def when(item: OutboxItem) -> str:
    """Publication time in KST ('2024-04-16 14:30'), else when it arrived."""
    for value in (item.published_at, item.ingested_at):
        moment = parse_kst(value)
        if moment is not None:
            return moment.strftime("%Y-%m-%d %H:%M")
    return ""


def _quoted(term: str) -> str:
    return f"‘{esc(trim(term, 20))}’"


def outlets(item: OutboxItem) -> str:
    """'3개 매체': how many publishers have the item's story."""
    return f"{max(item.outlets, 1)}개 매체"


def update_line(item: OutboxItem) -> str:
    return "업데이트: " + esc(trim(item.note, SUMMARY_CHARS))


def single_alert(item: OutboxItem) -> str:
    """One story: the subscription it matched, how many outlets have it, title, one
    sentence (an update: the new fact), whether only a feed's summary is stored,
    publisher, time, link."""
    if item.kind == UPDATE:
        lines = [f"🔄 {_quoted(item.term)} {update_line(item)}",
                 f"<b>{esc(trim(item.title, 120))}</b>"]
    else:
        lines = [f"🔔 {_quoted(item.term)} 새 기사 · {outlets(item)}",
                 f"<b>{esc(trim(item.title, 120))}</b>"]
        summary = summary_sentence(item.lead, item.title)
        if summary:
            lines.append(esc(summary))
    if item.summary_only:
        lines.append(SUMMARY_ONLY)
    meta = [esc(trim(item.publisher or "출처 미상", 30))]
    if when(item):
        meta.append(when(item))
    meta.append(link(item.url, "원문"))
    lines.append("📰 " + " · ".join(meta))
    return "\n".join(lines)


def bundle(items: list[OutboxItem], kind: str = BURST) -> str:
    """Several stories in one message: a numbered, linked line each (an update with its
    new fact)."""
    lines = [_HEADERS[kind].format(n=len(items))]
    for number, item in enumerate(items, 1):
        meta = " · ".join(
            p for p in (_quoted(item.term), esc(trim(item.publisher, 20)), when(item)[5:],
                        outlets(item), "요약만" if item.summary_only else "") if p
        )
        line = f"{number}. {link(item.url, trim(item.title, 60))}\n   {meta}"
        if item.kind == UPDATE:
            line += "\n   " + esc(trim("업데이트: " + item.note, 80))
        lines.append(line)
    return "\n".join(lines)


# The first line of an alert that could not go to the forum topic it was asked in.
TOPIC_GONE_NOTE = (
    "ℹ️ 알림을 받던 주제가 닫혔거나 삭제돼서 일반 주제로 보내요."
    " 다른 주제에서 /subscribe 하면 그곳으로 보내드려요."
)
