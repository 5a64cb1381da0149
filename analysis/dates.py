"""Publication times, normalised to ISO 8601 in Korea Standard Time."""

from __future__ import annotations

from datetime import datetime

from store.articles import KST


def parse_kst(value: str | datetime | None) -> datetime | None:
    """`value` as an aware datetime in KST; naive times are taken to be KST already."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=KST)
    return value.astimezone(KST)


def to_kst_iso(value: str | datetime | None) -> str | None:
    """`value` as 'YYYY-MM-DDTHH:MM:SS+09:00', or None when it is not a time."""
    parsed = parse_kst(value)
    return parsed.isoformat(timespec="seconds") if parsed else None
