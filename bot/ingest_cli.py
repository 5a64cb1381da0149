"""`newsmate ingest` and `newsmate article`: the store seen from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

from bot import settings
from ingest.corpus import read_corpus
from ingest.pipeline import ingest_items
from store import open_db
from store.articles import find_article


def run_ingest(db_path: str | None, sources: list[str]) -> int:
    """Ingest each source; one line per failure, a summary line, non-zero exit on failure."""
    db = open_db(db_path or settings.get("NEWSMATE_DB"))
    report = None
    for source in sources:
        path = Path(source)
        if not path.is_file():
            print(f"실패: {source}: 파일이 없어요", file=sys.stderr)
            return 1
        report = ingest_items(db, read_corpus(path), report)
    if report is None:
        print("읽을 소스를 지정해 주세요.", file=sys.stderr)
        return 2
    for error in report.errors:
        print(f"실패: {error}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


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
