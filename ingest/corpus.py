"""The corpus import format: JSONL, one article a line with id, title, url, publisher,
published_at and body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingest.article_input import ArticleInput

# A line without a title is kept: the pipeline titles it from its first sentence.
REQUIRED = ("id", "body")


class CorpusLineError(ValueError):
    """A line that is not a usable article; the message says which line and why."""


def parse_line(line: str, origin: str) -> ArticleInput:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusLineError(f"{origin}: not JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise CorpusLineError(f"{origin}: not a JSON object")
    missing = [k for k in REQUIRED if not str(record.get(k) or "").strip()]
    if missing:
        raise CorpusLineError(f"{origin}: missing {', '.join(missing)}")
    source_id = str(record["id"])
    return ArticleInput(
        title=str(record.get("title") or ""),
        body=str(record["body"]),
        url=str(record.get("url") or f"urn:newsmate:{source_id}"),
        publisher=str(record.get("publisher") or ""),
        published_at=record.get("published_at"),
        source_id=source_id,
        origin=origin,
    )


def read_corpus(path: Path) -> Iterator[ArticleInput | CorpusLineError]:
    """Articles of a JSONL file in order; a broken line yields its error instead."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield parse_line(line, f"{path.name}:{number}")
                except CorpusLineError as exc:
                    yield exc
