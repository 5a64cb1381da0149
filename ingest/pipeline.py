"""Write prepared articles into the store, one transaction each, and count what happened."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlite_utils import Database

from ingest.article_input import ArticleInput
from ingest.prepare import prepare
from store.articles import write_article

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def summary(self) -> str:
        return (
            f"new {self.new}, updated {self.updated}, duplicate {self.duplicate},"
            f" unchanged {self.unchanged}, failed {self.failed} in {self.seconds:.1f}s"
        )


def ingest_items(
    db: Database,
    items: Iterable[ArticleInput | Exception],
    report: IngestReport | None = None,
    on_item: Callable[[], None] | None = None,
) -> IngestReport:
    """Prepare and write each item; errors are recorded and the rest goes on."""
    report = report or IngestReport()
    started = time.perf_counter()
    for item in items:
        if isinstance(item, Exception):
            report.fail(str(item))
        else:
            try:
                prepared = prepare(item)
                if not prepared.sentences:
                    report.fail(f"{item.origin or item.url}: empty body")
                else:
                    result = write_article(db, prepared)
                    report.count(result.status)
                    report.article_ids.append(result.article_id)
            except Exception as exc:  # one bad article must not stop the rest
                log.exception("could not ingest %s", item.origin or item.url)
                report.fail(f"{item.origin or item.url}: {exc}")
        if on_item:
            on_item()
    report.seconds += time.perf_counter() - started
    return report
