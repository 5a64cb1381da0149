"""Dates as pages and feeds print them, read into KST ISO 8601 (see analysis.dates.to_kst_iso).

Korean pages write '2025.03.06 14:20', '2025-03-06 오후 2:20', '2025년 3월 6일 14시 20분';
meta tags use ISO 8601, feeds RFC 822. Times without a zone are Korean times.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from analysis.dates import to_kst_iso

_LOOSE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*\(?[월화수목금토일]\)?)?"
    r"(?:\s*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{2})"
    r"(?:\s*[:분]\s*(?P<S>\d{2}))?)?"
)
_COMPACT = re.compile(
    r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$"
)
# Lines that carry a page's own publication time: '입력 2025.03.06 14:20', '기사입력 : ...'.
PUBLISHED_LINE = re.compile(
    r"(?:입력|등록|게재|기사입력|발행|승인|작성)\s*(?:일시|일자|시간|일)?\s*[:：]?\s*(?=\d{4})"
)


def _from_match(match: re.Match[str]) -> str | None:
    try:
        hour = int(match.group("H") or 0)
        ampm = (match.groupdict().get("ampm") or "").lower()
        if ampm in ("오후", "pm") and hour < 12:
            hour += 12
        elif ampm in ("오전", "am") and hour == 12:
            hour = 0
        value = datetime(
            int(match.group("y")), int(match.group("m")), int(match.group("d")),
            hour, int(match.group("M") or 0), int(match.group("S") or 0),
        )
    except ValueError:
        return None
    return to_kst_iso(value)


def normalise_date(value: str | time.struct_time | datetime | None) -> str | None:
    """Any date form we meet, as KST ISO 8601; None when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        # feedparser's *_parsed fields are UTC.
        return to_kst_iso(datetime(*value[:6], tzinfo=UTC))
    if isinstance(value, datetime):
        return to_kst_iso(value)
    text = value.strip()
    if not text:
        return None
    iso = to_kst_iso(text)
    if iso:
        return iso
    try:
        return to_kst_iso(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    match = _COMPACT.match(text) or _LOOSE.search(text)
    return _from_match(match) if match else None


def find_published_in_text(text: str) -> str | None:
    """The time after '입력' (or a like label) in a page's text, else None."""
    for label in PUBLISHED_LINE.finditer(text):
        match = _LOOSE.match(text, label.end())
        if match:
            found = _from_match(match)
            if found:
                return found
    return None


def find_date_in_text(text: str) -> str | None:
    """The first date printed in `text`, labelled or not."""
    labelled = find_published_in_text(text)
    if labelled:
        return labelled
    match = _LOOSE.search(text)
    return _from_match(match) if match else None


LOOSE_DATE = _LOOSE
