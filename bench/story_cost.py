"""What story grouping costs at ingest, in an empty store and in one of 10,000 articles.

    python bench/story_cost.py --in ../shared/data/stories_dev.jsonl [--store-articles 10000]

Ingests the articles (the corpus import format) in publication order through the real path
(ingest.pipeline: analysis, near-duplicates, story placement) twice: into a fresh store,
and into a store first filled with --store-articles others written through the store's one
write path. The filler is as hard on the candidate search as news gets: each filler article
is one of the input articles' sentences recombined, with that article's story profile and
publication time, so every window holds about --store-articles / len(input) articles
sharing each input article's keys (a day with a thousand articles on the same events).

Grouping is timed where it runs: building the profile (analysis.stories.story_profile,
inside ingest.prepare) and placing the article (store.stories.place_article, inside the
article's write). It prints, per store, the per-article ingest time and the grouping's
share of it, as an added cost over ingest without grouping (grouping / (total - grouping)).
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ingest.prepare  # noqa: E402
import store.articles  # noqa: E402
from bench.stories import as_input, read_rows  # noqa: E402
from ingest.article_input import ArticleInput  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from ingest.prepare import prepare  # noqa: E402
from store.articles import PreparedArticle, SentenceRow, write_article  # noqa: E402
from store.db import open_db  # noqa: E402

spent = {"grouping": 0.0}


def timed(function: Callable) -> Callable:
    """`function`, adding the time it takes to the grouping's."""
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent["grouping"] += time.perf_counter() - started
    return run


def filler(prepared: list[PreparedArticle], count: int, seed: int = 11):
    """`count` articles recombined from the sentences of `prepared`, each with the story
    profile and time of the article it is made from."""
    sentences = [s for p in prepared for s in p.sentences]
    rng = random.Random(seed)
    for n in range(count):
        base = prepared[n % len(prepared)]
        picked = rng.sample(sentences, min(len(sentences), rng.randint(5, 10)))
        yield PreparedArticle(
            article_key=f"id:fill-{n}", source_id=f"fill-{n}", url=f"https://fill.example.com/{n}",
            canonical_url=f"https://fill.example.com/{n}", title=f"{base.title} ({n})",
            publisher=f"매체{n % 40}", published_at=base.published_at,
            body="\n".join(s.text for s in picked), content_hash=f"fill-{n}",
            title_morphs=base.title_morphs,
            sentences=[SentenceRow(i, i, s.text, s.morphs) for i, s in enumerate(picked)],
            story=base.story,
        )


def ingest_timed(db_path: str, items: list[ArticleInput]) -> dict[str, float]:
    """Ingest `items` into the store at `db_path`: per-article times and the grouping's share."""
    db = open_db(db_path)
    latencies: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        latencies.append(now - last[0])
        last[0] = now

    spent["grouping"] = 0.0
    started = time.perf_counter()
    ingest_items(db, items, on_item=tick)
    total = time.perf_counter() - started
    db.conn.close()
    grouping = spent["grouping"]
    return {
        "ms_per_article_median": round(statistics.median(latencies) * 1000, 1),
        "grouping_ms_per_article": round(grouping / len(items) * 1000, 2),
        "grouping_share": round(grouping / total, 4),
        "added_over_no_grouping": round(grouping / (total - grouping), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in", dest="inp", type=Path, required=True)
    parser.add_argument("--store-articles", type=int, default=10_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = read_rows(args.inp, None)
    rows.sort(key=lambda r: r.get("published_at") or "9999")
    items = [as_input(r) for r in rows]
    prepare(ArticleInput(title="준비", body="준비 문장이다.", url="urn:newsmate:warm-up"))
    ingest.prepare.story_profile = timed(ingest.prepare.story_profile)
    store.articles.place_article = timed(store.articles.place_article)
    figures: dict[str, object] = {"articles": len(items)}
    with tempfile.TemporaryDirectory() as tmp:
        figures["empty_store"] = ingest_timed(str(Path(tmp) / "empty.db"), items)
        print("empty store:", figures["empty_store"])
        full = str(Path(tmp) / "full.db")
        db = open_db(full)
        fill_started = time.perf_counter()
        prepared = [p for p in map(prepare, items) if p.sentences]
        for article in filler(prepared, args.store_articles):
            write_article(db, article)
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.conn.close()
        figures["fill_seconds"] = round(time.perf_counter() - fill_started, 1)
        figures["store_articles"] = stored
        figures[f"store_of_{stored}"] = ingest_timed(full, items)
        print(f"store of {stored}:", figures[f"store_of_{stored}"])
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
