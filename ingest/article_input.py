"""What every source yields: one article's raw fields, before any analysis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ArticleInput:
    title: str
    body: str
    url: str
    publisher: str = ""
    published_at: str | None = None  # any ISO 8601 form; normalised to KST on prepare
    source_id: str | None = None  # the `id` of a corpus line, when there is one
    origin: str = ""  # where it was read from, for messages
    # Only a feed's title and summary, because the page failed: stored as such, and the
    # page (`url`) is tried again later.
    summary_only: bool = False
