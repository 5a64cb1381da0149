"""Write prepared articles into the store, one transaction each, and count what happened."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from ingest.article_input import ArticleInput
from ingest.matching import enqueue_alerts
from ingest.prepare import identity, prepare
from store.articles import PreparedArticle, stored_version, write_article
from store.engine import Database

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    summary_only: int = 0  # of the new ones: kept from a feed's summary, the page failed
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def summary(self) -> str:
        only = f" ({self.summary_only} summary only)" if self.summary_only else ""
        return (
            f"new {self.new}{only}, updated {self.updated}, duplicate {self.duplicate},"
            f" unchanged {self.unchanged}, failed {self.failed} in {self.seconds:.1f}s"
        )


INLINE_FIRST = 24  # items prepared in this process before a pool is worth its start-up


def ingest_items(
    db: Database,
    items: Iterable[ArticleInput | Exception],
    report: IngestReport | None = None,
    on_item: Callable[[], None] | None = None,
    workers: int = 1,
) -> IngestReport:
    """Prepare and write each item, in order; errors are recorded and the rest goes on.

    Items stored already with the same content are skipped before any analysis. With
    `workers` > 1, a long run prepares articles (Kiwi, entities, facts: nearly all the
    CPU) in that many worker processes, while this process alone talks to SQLite and
    writes each article in its own transaction.
    """
    report = report or IngestReport()
    started = time.perf_counter()
    pool: ProcessPoolExecutor | None = None
    in_flight: deque[tuple[ArticleInput, Future[PreparedArticle]]] = deque()

    def finish(item: ArticleInput, prepared: PreparedArticle | BaseException) -> None:
        _store(db, item, prepared, report)
        if on_item:
            on_item()

    try:
        for seen, item in enumerate(items):
            if isinstance(item, Exception):
                report.fail(str(item))
                if on_item:
                    on_item()
                continue
            if _unchanged(db, item, report):
                if on_item:
                    on_item()
                continue
            if workers > 1 and pool is None and seen >= INLINE_FIRST:
                pool = ProcessPoolExecutor(
                    workers, mp_context=get_context("spawn"), initializer=_warm_up,
                    initargs=(os.getpid(),),
                )
            if pool is None:
                finish(item, _prepare_or_error(item))
                continue
            in_flight.append((item, pool.submit(prepare, item)))
            while len(in_flight) > 4 * workers or (in_flight and in_flight[0][1].done()):
                done_item, future = in_flight.popleft()
                finish(done_item, _result(future))
        while in_flight:
            done_item, future = in_flight.popleft()
            finish(done_item, _result(future))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds += time.perf_counter() - started
    return report


def _unchanged(db: Database, item: ArticleInput, report: IngestReport) -> bool:
    key, digest = identity(item)
    stored = stored_version(db, key)
    if stored is None or stored[1] != digest:
        return False
    report.count("unchanged")
    report.article_ids.append(stored[0])
    return True


def _prepare_or_error(item: ArticleInput) -> PreparedArticle | BaseException:
    try:
        return prepare(item)
    except Exception as exc:
        return exc


def _result(future: Future[PreparedArticle]) -> PreparedArticle | BaseException:
    try:
        return future.result()
    except Exception as exc:
        return exc


def _warm_up(parent: int) -> None:
    """Worker start: follow the parent's fate, and load Kiwi and the entity model before the
    first article arrives. `parent` comes from the parent itself: one killed while this
    worker was still starting has already been replaced by init as our parent."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    prepare(ArticleInput(title="준비", body="준비 문장이다.", url="urn:newsmate:warm-up"))


def _exit_with_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot stop its pool; without this its workers would
    # wait for work forever, holding their memory.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _store(
    db: Database, item: ArticleInput, prepared: PreparedArticle | BaseException, report: IngestReport
) -> None:
    where = item.origin or item.url
    if isinstance(prepared, BaseException):
        log.error("could not analyse %s: %s", where, prepared)
        report.fail(f"{where}: {prepared}")
        return
    if not prepared.sentences:
        report.fail(f"{where}: empty body")
        return
    try:
        # Alerts for the chats the new article matches are written in its transaction.
        result = write_article(db, prepared, on_new=enqueue_alerts)
    except Exception as exc:  # one bad article must not stop the rest
        log.exception("could not store %s", where)
        report.fail(f"{where}: {exc}")
        return
    report.count(result.status)
    if item.summary_only and result.status in ("new", "duplicate"):
        report.summary_only += 1
    report.article_ids.append(result.article_id)
