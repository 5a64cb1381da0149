"""Stories benchmark: which story each article is put in, by the real ingest path.

    python bench/stories.py --in ARTICLES.jsonl --out PRED.jsonl [--half a|b] [--db PATH]
    python bench/stories.py --db postgresql://user@host/empty_db ...   # the same on PostgreSQL
    python bench/stories.py --in ARTICLES.jsonl --out PRED.jsonl --part lv --follow 외교부,사이판

Reads articles in the corpus import format ({"id", "title", "url", "publisher",
"published_at", "body"}), ingests them in publication order into a fresh store through
ingest.pipeline (the path `newsmate ingest` takes: analysis, near-duplicates, story
placement, each article in its own transaction) and writes {"id", "story"} for every input
line, in input order. An article the store refused gets a story of its own.

When the rows carry a gold "story" it prints, overall and per id prefix (the part of the id
before its first '-'): pairwise precision, recall and F1 over same-story pairs, B-cubed F1,
and alerts per story (predicted stories / gold stories: 1.0 is one alert per story), and
beside them the same figures for near-duplicate links alone (what grouped articles before).
`--half a|b` keeps only the stories of one half (crc32 of the gold story label), to tune on
one half and check on the other. `--follow 외교부,사이판` also has one chat follow those
topics, the delivery loop claiming its alerts as the news clock (each article's
publication time) passes them (a stub's alert after outbox.STUB_HOLD of news time), and
prints how many alert items (alerts and updates, not duplicates) each alerted story sent
that chat. The articles keep the times they were published at and are read as news, not
as an old archive: ingest's age limit on alerts (ingest.matching.MAX_AGE) is lifted for
the run. (Moving them forward to today instead
would leave their text's dates behind: a '31일' written the day before 31 October would be
read against another month, and a later '내일' would look like a day the story had not
named, an update it never was.) `--part lv` keeps only the rows whose id starts with 'lv-'
(the dev file's multi-outlet days). The last line printed is one JSON object, with the
wall time and the per-article ingest latency (median and p95; Kiwi is loaded before timing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ingest.matching  # noqa: E402
from analysis.dates import parse_kst  # noqa: E402
from analysis.terms import subscription_key  # noqa: E402
from ingest.article_input import ArticleInput  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from ingest.prepare import prepare  # noqa: E402
from store import outbox  # noqa: E402
from store.db import open_db  # noqa: E402
from store.engine import Database  # noqa: E402
from store.subscriptions import add_subscription  # noqa: E402


def half_of(label: str) -> str:
    return "a" if zlib.crc32(label.encode()) % 2 == 0 else "b"


def read_rows(path: Path, half: str | None, part: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if half:
        rows = [r for r in rows if "story" in r and half_of(str(r["story"])) == half]
    if part:
        rows = [r for r in rows if str(r["id"]).split("-")[0] == part]
    return rows


def as_input(row: dict) -> ArticleInput:
    """A row as the corpus reader makes it (an empty title is kept: the story is in the body)."""
    source_id = str(row["id"])
    return ArticleInput(
        title=str(row.get("title") or ""),
        body=str(row.get("body") or ""),
        url=str(row.get("url") or f"urn:newsmate:{source_id}"),
        publisher=str(row.get("publisher") or ""),
        published_at=row.get("published_at"),
        source_id=source_id,
        origin=source_id,
    )


def alert_items(db_path: str, gold: dict[str, str]) -> dict[str, float | int]:
    """Alert items (alerts and updates) the following chat got per story that alerted it:
    per predicted story, and per gold story when the rows carry one."""
    db = open_db(db_path)
    rows = db.execute(
        "SELECT o.story_id, a.source_id FROM outbox o JOIN articles a ON a.id = o.article_id"
        " WHERE o.chat_id = ? AND o.status IN (?, ?, ?)", [FOLLOWER, *outbox.LIVE]).fetchall()
    db.conn.close()
    figures: dict[str, float | int] = {"alert_items": len(rows)}
    for name, key in (("stories", lambda r: r[0]), ("gold_stories", lambda r: gold.get(r[1]))):
        counts = Counter(key(r) for r in rows if key(r) is not None)
        if counts:
            figures[f"alerted_{name}"] = len(counts)
            figures[f"items_per_{name[:-3]}y"] = round(sum(counts.values()) / len(counts), 3)
            figures[f"most_items_{name[:-3]}y"] = max(counts.values())
    return figures


FOLLOWER = 1  # the chat of --follow


def news_time(published_at: str | None) -> float | None:
    """A publication time as epoch seconds (None when unreadable)."""
    moment = parse_kst(published_at)
    return moment.timestamp() if moment else None


def deliver_due(db: Database, clock: float | None) -> None:
    """What the delivery loop would have sent by `clock` (the publication time of the
    article just ingested): every ready row, and a stub's held alert (outbox.STUB_HOLD)
    once the clock has passed its article's time by the hold. The articles are ingested
    in seconds, not over their days, so the hold is read in news time; the claiming is
    outbox.claim's own (a second alert of a merged story becomes 'duplicate')."""
    if clock is not None:
        for row_id, published_at, held in db.execute(
            "SELECT o.id, a.published_at, o.not_before - o.created_at FROM outbox o"
            " JOIN articles a ON a.id = o.article_id WHERE o.chat_id = ? AND o.status = 'pending'"
            " AND o.not_before > o.created_at", [FOLLOWER]).fetchall():
            when = news_time(published_at)
            if when is not None and when + held <= clock:
                db.execute("UPDATE outbox SET not_before = 0 WHERE id = ?", [row_id])
    items = outbox.claim(db, FOLLOWER, 1000, "bench", time.time())
    outbox.mark_sent(db, [i.id for i in items], None, time.time())


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(gold: dict[str, str], pred: dict[str, str], ids: list[str]) -> dict[str, float | int | None]:
    """Pairwise and B-cubed figures of a clustering, and predicted groups per gold story."""
    gold_size = Counter(gold[i] for i in ids)
    pred_size = Counter(pred[i] for i in ids)
    both = Counter((gold[i], pred[i]) for i in ids)
    true_pairs = sum(pairs(n) for n in both.values())
    gold_pairs = sum(pairs(n) for n in gold_size.values())
    pred_pairs = sum(pairs(n) for n in pred_size.values())
    precision = true_pairs / pred_pairs if pred_pairs else None
    recall = true_pairs / gold_pairs if gold_pairs else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    b_p = sum(both[(gold[i], pred[i])] / pred_size[pred[i]] for i in ids) / len(ids)
    b_r = sum(both[(gold[i], pred[i])] / gold_size[gold[i]] for i in ids) / len(ids)
    return {
        "articles": len(ids), "gold_stories": len(gold_size), "predicted_stories": len(pred_size),
        "pairwise_precision": precision, "pairwise_recall": recall, "pairwise_f1": f1,
        "bcubed_f1": 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0,
        "alerts_per_story": len(pred_size) / len(gold_size),
    }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in", dest="inp", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--half", choices=["a", "b"], help="only the stories of one half")
    parser.add_argument("--db", help="keep the store here instead of a temp dir: a file path,"
                        " or a postgresql:// URL of an empty database (NEWSMATE_DB's forms)")
    parser.add_argument("--follow", default="", help="topics one chat follows, comma separated")
    parser.add_argument("--part", help="only the rows whose id prefix (before its first '-') is this")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = read_rows(args.inp, args.half, args.part)
    topics = [t.strip() for t in args.follow.split(",") if t.strip()]
    if topics:  # the dev file's days are years old: alerted as they were when new
        ingest.matching.MAX_AGE = timedelta.max
    order = sorted(range(len(rows)), key=lambda k: (rows[k].get("published_at") or "9999", k))
    prepare(ArticleInput(title="준비", body="준비 문장이다.", url="urn:newsmate:warm-up"))
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or str(Path(tmp) / "stories.db")
        db = open_db(db_path)
        for topic in topics:
            add_subscription(db, FOLLOWER, topic, subscription_key(topic))
        last = [time.perf_counter()]
        clock = iter([news_time(rows[k].get("published_at")) for k in order])

        def tick() -> None:
            now = time.perf_counter()
            latencies.append(now - last[0])
            if topics:  # sent as the news clock passes them, so a later article may be an update
                deliver_due(db, next(clock, None))
            last[0] = time.perf_counter()

        # One process, so each article's latency is its own analysis and write.
        report = ingest_items(db, (as_input(rows[k]) for k in order), on_item=tick)
        if topics:
            deliver_due(db, float("inf"))  # the holds still running when the news ends
        stories = dict(db.execute(
            "SELECT source_id, story_id FROM articles WHERE source_id IS NOT NULL").fetchall())
        copies = dict(db.execute(
            "SELECT source_id, coalesce(dup_of, id) FROM articles WHERE source_id IS NOT NULL"
        ).fetchall())
        db.conn.close()
        if topics:
            figures_alerts = alert_items(
                db_path, {str(r["id"]): str(r["story"]) for r in rows if "story" in r})
    pred = {str(r["id"]): str(stories.get(str(r["id"]), f"alone:{r['id']}")) for r in rows}
    # What the store grouped before stories: near-copies linked to their first copy.
    near = {str(r["id"]): str(copies.get(str(r["id"]), f"alone:{r['id']}")) for r in rows}
    with args.out.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({"id": r["id"], "story": pred[str(r["id"])]}, ensure_ascii=False) + "\n")
    figures: dict[str, object] = {"articles": len(rows), "stored": report.new + report.duplicate,
                                  "failed": report.failed}
    if topics:
        print(f"following {', '.join(topics)}: " + ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in figures_alerts.items()))
        figures["follow"] = {"topics": topics, **figures_alerts}
    if rows and all("story" in r for r in rows):
        gold = {str(r["id"]): str(r["story"]) for r in rows}
        ids = list(gold)
        parts = {"all": ids}
        for prefix in sorted({i.split("-")[0] for i in ids}):
            parts[prefix] = [i for i in ids if i.split("-")[0] == prefix]
        for name, part in parts.items():
            s = score(gold, pred, part)
            n = score(gold, near, part)
            print(f"[{name}] articles {s['articles']} | gold stories {s['gold_stories']} |"
                  f" predicted {s['predicted_stories']} | alerts per story {s['alerts_per_story']:.3f}")
            print(f"  pairwise P {_fmt(s['pairwise_precision'])} R {_fmt(s['pairwise_recall'])}"
                  f" F1 {_fmt(s['pairwise_f1'])} | B-cubed F1 {_fmt(s['bcubed_f1'])}")
            print(f"  near-duplicates only: P {_fmt(n['pairwise_precision'])}"
                  f" R {_fmt(n['pairwise_recall'])} | alerts per story {n['alerts_per_story']:.3f}")
            figures[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
            figures[name]["near_duplicates_only"] = {
                k: (round(v, 4) if isinstance(v, float) else v) for k, v in n.items()
                if k in ("pairwise_precision", "pairwise_recall", "alerts_per_story")}
    figures["seconds"] = round(time.perf_counter() - started, 1)
    if latencies:
        ordered = sorted(latencies)
        figures["latency_ms_median"] = round(statistics.median(ordered) * 1000, 1)
        figures["latency_ms_p95"] = round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
