"""Benchmark of /trend over a store of 10,000 articles.

    python bench/trend.py [--articles 10000] [--store PATH] [--repeat 5]

Made-up articles (invented companies and people, sentences written for this project) are
ingested through the real pipeline (Kiwi, entities, one transaction each), published over
the last 400 days with busy stretches, so the chart has peaks and names. `--store PATH`
keeps that store and reuses it on the next run (the ingest takes minutes; the figures do
not depend on it being fresh).

Times the whole /trend command as the bot runs it (store queries, the chart, the PNG) for
several words and periods, `--repeat` times each: the first call of the process (which
loads matplotlib) apart, then p50 and max of the rest, and the query and drawing parts of
the slowest word; loading matplotlib and the font, which the bot does at start-up, is
timed apart. The target is under a second. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import morph  # noqa: E402
from handlers.chart import warm_up  # noqa: E402
from handlers.services import ChatContext, Services  # noqa: E402
from handlers.trend import parse_period, picture, read_trend, trend  # noqa: E402
from ingest.article_input import ArticleInput  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store import open_db  # noqa: E402
from store.articles import KST, count_articles  # noqa: E402
from tests.alerts_data import COMPANIES, OPENINGS, POOL, subject, topic  # noqa: E402

PEOPLE = ["김하늘", "이도윤", "박서연", "최민재", "정유나", "한지우", "오세린", "윤태호"]
ROLES = ["대표", "부사장", "연구소장", "최고기술책임자"]
WORDS = [("누리봇", "30일"), ("누리봇", "90일"), ("누리봇", "1년"), ("별빛클라우드", "2025년"),
         ("김하늘", "90일"), ("하늘모빌리티", "7일")]


def make_items(count: int, seed: int = 3) -> list[ArticleInput]:
    """`count` articles over the last 400 days; the first companies are the busiest, and
    every 37th day is a news day with three times the usual articles."""
    rng = random.Random(seed)
    today = datetime.now(KST).replace(hour=9, minute=0, second=0, microsecond=0)
    weights = [1 / (i + 1) for i in range(len(COMPANIES))]
    days = [d for d in range(400) for _ in range(3 if d % 37 == 0 else 1)]
    items = []
    for n in range(count):
        company = rng.choices(COMPANIES, weights)[0]
        person, role = rng.choice(PEOPLE), rng.choice(ROLES)
        partner = rng.choice([c for c in COMPANIES if c != company])
        sentences = [rng.choice(OPENINGS).format(s=topic(company)),
                     f"{person} {company} {topic(role)} \"올해 안에 결과를 보여드리겠다\"고 말했다.",
                     f"이 자리에서 {subject(partner)} 협력 파트너로 소개됐다."]
        sentences += rng.sample(POOL, 4)
        sentences.append(f"담당 부서는 {n + 5}건의 점검 결과를 {n % 28 + 1}일 내놓는다.")
        published = today - timedelta(days=rng.choice(days), minutes=rng.randrange(600))
        items.append(ArticleInput(
            title=f"{company}, {n}번째 발표에서 새 계획 공개",
            body=" ".join(sentences[:3]) + "\n" + " ".join(sentences[3:]),
            url=f"https://trend-bench.example.com/news/{n}",
            publisher=["누리데일리", "별빛경제", "한밭뉴스", "새벽일보"][n % 4],
            published_at=published.isoformat(timespec="seconds"),
            source_id=f"trend-{n}",
        ))
    return items


def build(path: Path, count: int) -> float:
    """Fill the store at `path` up to `count` articles; returns the seconds it took."""
    db = open_db(path)
    started = time.monotonic()
    have = count_articles(db)
    if have < count:
        report = ingest_items(db, make_items(count)[have:], workers=2)
        print(f"ingested: {report.summary()}", file=sys.stderr)
    db.conn.close()
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--store", type=Path, help="keep the store here and reuse it")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    morph.kiwi()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "trend.db"
        build_seconds = build(path, args.articles)
        db = open_db(path)
        services = Services(db=db)
        articles = count_articles(db)
        chat = ChatContext()
        started = time.perf_counter()
        warm_up()  # what the bot does at start-up: matplotlib and the font, loaded
        warm_up_seconds = time.perf_counter() - started
        started = time.perf_counter()
        first = trend(services, " ".join(WORDS[0]), chat)
        first_call = time.perf_counter() - started
        assert first.photo, first.plain
        per_word: dict[str, list[float]] = {}
        totals: dict[str, int] = {}
        for word, period in WORDS:
            key = f"{word} {period}"
            for _ in range(args.repeat):
                started = time.perf_counter()
                reply = trend(services, key, chat)
                per_word.setdefault(key, []).append(time.perf_counter() - started)
            found = read_trend(services, word, parse_period(period, datetime.now(KST).date()))
            totals[key] = found.articles if found else 0
            print(f"{key}: {totals[key]} articles, {statistics.median(per_word[key]):.3f} s,"
                  f" {len(reply.photo or b'') // 1024} KB", file=sys.stderr)
        slowest = max(per_word, key=lambda k: max(per_word[k]))
        word, period = slowest.split()
        started = time.perf_counter()
        found = read_trend(services, word, parse_period(period, datetime.now(KST).date()))
        query = time.perf_counter() - started
        started = time.perf_counter()
        picture(found)  # type: ignore[arg-type]
        draw = time.perf_counter() - started
        db.conn.close()
    every = [t for times in per_word.values() for t in times]
    figures = {
        "articles": articles,
        "build_seconds": round(build_seconds, 1),
        "warm_up_seconds": round(warm_up_seconds, 3),  # at the bot's start: matplotlib, font
        "first_call_seconds": round(first_call, 3),  # the store's pages still cold
        "trend_p50_seconds": round(statistics.median(every), 3),
        "trend_max_seconds": round(max(every), 3),
        "slowest": slowest,
        "slowest_query_seconds": round(query, 3),
        "slowest_draw_seconds": round(draw, 3),
        "articles_counted": totals,
        "under_a_second": max(every) < 1.0,
    }
    print(f"{articles} articles: /trend p50 {figures['trend_p50_seconds']} s,"
          f" max {figures['trend_max_seconds']} s (first call {figures['first_call_seconds']} s)")
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["under_a_second"] else 1


if __name__ == "__main__":
    sys.exit(main())
