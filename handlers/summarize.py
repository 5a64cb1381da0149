"""Extractive summaries: pick the k sentences that best stand for an article. (placeholder)"""

from __future__ import annotations

from collections.abc import Sequence


def summarize(
    title: str,
    sentences: Sequence[str],
    terms: Sequence[Sequence[str]] | None = None,
    k: int = 3,
) -> list[int]:
    return list(range(min(k, len(sentences))))
