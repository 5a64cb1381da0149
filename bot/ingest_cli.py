"""`newsmate ingest`, `newsmate feeds`, `newsmate article` and `newsmate migrate-store`: the
store seen from the shell."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
from tqdm import tqdm

from bot import settings
from ingest.fetch import make_client
from ingest.opml import OpmlError, OpmlFeed, read_opml, write_opml
from ingest.pipeline import IngestReport, ingest_items
from ingest.sources import SourceError, SourceReader, check_feed, poll_feeds
from store import feeds as feed_store
from store import open_db
from store.articles import find_article
from store.copy import copy_store
from store.engine import Database

# Worker processes that analyse articles during a long `newsmate ingest` (one per core).
INGEST_WORKERS = max(1, min(os.cpu_count() or 1, 4))


def ingest_workers() -> int:
    """NEWSMATE_INGEST_WORKERS, or one analysis process per core (at most 4)."""
    try:
        return max(1, int(settings.get("NEWSMATE_INGEST_WORKERS") or INGEST_WORKERS))
    except ValueError:
        return INGEST_WORKERS


def feed_interval() -> float:
    """Seconds between polls of one feed (NEWSMATE_FEED_INTERVAL, at least a minute)."""
    try:
        return max(60.0, float(settings.get("NEWSMATE_FEED_INTERVAL")))
    except ValueError:
        return float(feed_store.DEFAULT_INTERVAL)


def _progress_wanted() -> bool:
    """A bar only for a person at a terminal; logs and pipes get the summary line alone."""
    return sys.stdout.isatty() and sys.stderr.isatty()


def _reporter(report: IngestReport, bar: tqdm | None) -> Callable[..., None]:
    """Called after each item: moves the bar and prints each new failure once, as one line."""
    printed = 0

    def on_item(tick: bool = True) -> None:
        nonlocal printed
        if bar is not None and tick:
            bar.update(1)
        while printed < len(report.errors):
            line = "실패: " + " ".join(report.errors[printed].split())
            if bar is not None:
                bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr)
            printed += 1

    return on_item


def run_ingest(
    db_path: str | None, sources: list[str], *, client: httpx.Client | None = None
) -> int:
    """Ingest each SOURCE, or poll every stored feed when there is none.

    Prints one line per failure (as it happens), a summary line at the end, and returns
    non-zero when anything failed.
    """
    db = open_db(db_path or settings.get("NEWSMATE_DB"))
    feeds = [] if sources else feed_store.list_feeds(db)
    if not sources and not feeds:
        print(
            "읽을 소스가 없어요. 소스를 주거나 `newsmate feeds add URL`로 피드를 추가해 주세요.",
            file=sys.stderr,
        )
        return 2
    report = IngestReport()
    with ExitStack() as stack:
        http = client or stack.enter_context(make_client())
        bar = None
        if _progress_wanted():
            bar = stack.enter_context(tqdm(unit="건", desc="ingest", dynamic_ncols=True))
        on_item = _reporter(report, bar)
        if sources:
            reader = SourceReader(http, db=db, report=report)
            ingest_items(db, reader.read_all(sources), report, on_item, workers=ingest_workers())
        else:
            poll_feeds(db, http, feeds, report, interval=feed_interval(), on_item=on_item,
                       workers=ingest_workers())
        on_item(tick=False)  # failures recorded after the last item
    print(report.summary())
    return 1 if report.failed else 0


def run_feeds(db_path: str | None, action: str, url: str | None = None,
              *, client: httpx.Client | None = None) -> int:
    """`feeds add URL` (checks that it is a feed), `feeds list`, `feeds remove URL`,
    `feeds import FILE.opml`, `feeds export [FILE.opml]` (`url` is the file for those)."""
    db = open_db(db_path or settings.get("NEWSMATE_DB"))
    if action == "import":
        assert url is not None
        return import_opml(db, url)
    if action == "export":
        return export_opml(db, url)
    if action == "list":
        feeds = feed_store.list_feeds(db)
        if not feeds:
            print("저장된 피드가 없어요.")
        for feed in feeds:
            state = f"확인 {feed.last_checked_at or '아직 안 함'}"
            if feed.errors:
                state += f" · 연속 실패 {feed.errors}회 ({feed.last_error})"
            print(f"{feed.url}\t{feed.title or '-'}\t{state}")
        return 0
    assert url is not None
    url = url.strip()
    if action == "remove":
        if feed_store.remove_feed(db, url):
            print(f"지웠어요: {url}")
            return 0
        print(f"그런 피드가 없어요: {url}", file=sys.stderr)
        return 1
    with ExitStack() as stack:
        http = client or stack.enter_context(make_client())
        try:
            parsed = check_feed(http, url)
        except SourceError as exc:
            print(f"실패: {exc}", file=sys.stderr)
            return 1
    feed, new = feed_store.add_feed(db, url, parsed.title)
    if new:
        print(f"추가했어요: {feed.title or feed.url} (기사 {len(parsed.entries)}건)")
    else:
        print(f"이미 있는 피드예요: {feed.title or feed.url}")
    return 0


def import_opml(db: Database, path: str) -> int:
    """Every feed of an OPML file, in one transaction: all of them or, when the file is
    broken, none (the failure names the file and line)."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        print(f"실패: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        feeds = read_opml(data)
    except OpmlError as exc:
        where = f"{path}:{exc.line}" if exc.line else path
        print(f"실패: {where}: {exc.reason} — 아무것도 가져오지 않았어요.", file=sys.stderr)
        return 1
    if not feeds:
        print(f"{path}에 피드가 없어요.")
        return 0
    added, known = feed_store.import_feeds(db, [(f.url, f.title) for f in feeds])
    print(f"가져왔어요: 새 피드 {added}개, 이미 있던 피드 {known}개")
    return 0


def export_opml(db: Database, path: str | None) -> int:
    """The stored feeds as OPML 2.0, to `path` or to stdout."""
    feeds = [OpmlFeed(f.url, f.title) for f in feed_store.list_feeds(db)]
    data = write_opml(feeds)
    if path is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        Path(path).expanduser().write_bytes(data)
    except OSError as exc:
        print(f"실패: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"피드 {len(feeds)}개를 {path}에 저장했어요.")
    return 0


def show_article(db_path: str | None, ref: str) -> int:
    db = open_db(db_path or settings.get("NEWSMATE_DB"))
    article = find_article(db, ref)
    if article is None:
        print(f"그런 기사가 없어요: {ref}", file=sys.stderr)
        return 1
    print(f"제목: {article.title}")
    print(f"발행: {article.publisher} · {article.published_at or '날짜 미상'}")
    print(f"주소: {article.canonical_url}")
    print()
    print(article.body)
    return 0


def run_migrate_store(source: str, target: str) -> int:
    """Copy the store at `source` into `target` (either engine); prints each table's row
    counts and returns non-zero when any differ."""
    if str(source) == str(target):
        print("원본과 대상이 같아요.", file=sys.stderr)
        return 2
    src, dst = open_db(source), open_db(target)
    copied: dict[str, int] = {}

    def on_batch(table: str, rows: int) -> None:
        copied[table] = copied.get(table, 0) + rows
        if _progress_wanted():
            print(f"\r{table}: {copied[table]}", end="", file=sys.stderr, flush=True)

    try:
        counts = copy_store(src, dst, on_batch)
    finally:
        src.close()
        dst.close()
    if _progress_wanted():
        print(file=sys.stderr)
    bad = [c for c in counts if not c.ok]
    for c in counts:
        print(f"{c.table}\t{c.source}\t{c.target}\t{'ok' if c.ok else '다름'}")
    if bad:
        print(f"행 수가 다른 테이블이 있어요: {', '.join(c.table for c in bad)}", file=sys.stderr)
        return 1
    print(f"복사했어요: 테이블 {len(counts)}개, 행 {sum(c.target for c in counts)}개")
    return 0
