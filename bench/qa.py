"""QA benchmark: /ask's own answer_question over a fresh store filled through real ingest.

    python bench/qa.py --corpus CORPUS.jsonl --questions QUESTIONS.jsonl --out PRED.jsonl
    python bench/qa.py --scale 10000 ...   # pad the store with distractors to 10,000 documents
    python bench/qa.py --db postgresql://user@host/empty_db ...   # the same on PostgreSQL

Writes {"id", "reply", "doc_ids"} per question and prints, besides reply lengths, the
abstention rate, latency and index build time, the figures the question set's gold allows
(bench/qa_scores.py): right by kind for chat questions (`accept`), answer in reply, hit@1,
wrong value up front and declines for news questions (`kind`, `also`), hit@1/5, MRR@10 and
answer in reply for KorQuAD-style rows (`doc_id`, `answers`). The last line printed is one
JSON object. A question row's `now` (ISO 8601, KST) is when it is asked: it is answered as
/ask would answer then, and articles published later do not exist for it. `--half a|b`
answers only one half of the questions (split by a hash of the
gold document id, or of the question id when there is none) so tuning on one half can be
checked on the other.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import unicodedata
import zlib
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.qa_scores import (  # noqa: E402
    chat_figures,
    news_figures,
    question_set,
    retrieval_figures,
)
from handlers.ask import SOURCE_MARK, answer_question, is_abstention  # noqa: E402
from handlers.services import Services  # noqa: E402
from ingest.corpus import read_corpus  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store.db import open_db  # noqa: E402

SHARED = REPO.parent / "shared" / "data"


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def answer_part(visible: str) -> str:
    """The reply without its source line(s)."""
    return "\n".join(line for line in visible.split("\n") if not line.startswith(SOURCE_MARK))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def half_of(question: dict) -> str:
    key = str(question.get("doc_id") or question["id"])
    return "a" if zlib.crc32(key.encode()) % 2 == 0 else "b"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "korquad_dev_corpus.jsonl")
    parser.add_argument("--questions", type=Path, default=SHARED / "korquad_dev_questions.jsonl")
    parser.add_argument("--out", type=Path, default=Path("qa_pred.jsonl"))
    parser.add_argument("--scale", type=int, default=0, help="pad the store to N documents")
    parser.add_argument("--half", choices=["a", "b"], help="score one half of the documents")
    parser.add_argument("--db", help="keep the store here instead of a temp dir: a file path,"
                        " or a postgresql:// URL of an empty database (NEWSMATE_DB's forms)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or str(Path(tmp) / "bench.db")
        db = open_db(db_path)
        t0 = time.perf_counter()
        # The same worker processes `newsmate ingest` uses on a long run (one per core).
        workers = max(1, min(os.cpu_count() or 1, 4))
        report = ingest_items(db, read_corpus(args.corpus), workers=workers)
        corpus_docs = report.new + report.updated + report.unchanged + report.duplicate
        distractor_count = 0
        if args.scale and args.scale > corpus_docs:
            from bench.distractors import distractors

            distractor_count = args.scale - corpus_docs
            ingest_items(db, distractors(distractor_count), report, workers=workers)
        build_seconds = time.perf_counter() - t0
        print(f"indexed {corpus_docs} corpus + {distractor_count} distractor documents"
              f" in {build_seconds:.1f}s ({report.failed} failed)", file=sys.stderr)

        source_of = dict(db.execute("SELECT id, source_id FROM articles").fetchall())
        lines = args.questions.read_text(encoding="utf-8-sig").splitlines()
        questions = [json.loads(line) for line in lines if line.strip()]
        if args.half:
            questions = [q for q in questions if half_of(q) == args.half]

        services = Services(db)
        answer_question(services, "준비 질문이에요?")  # warm caches outside the timing
        latencies: list[float] = []
        rows = []
        with args.out.open("w", encoding="utf-8") as out:
            for q in questions:
                t = time.perf_counter()
                asked_at = datetime.fromisoformat(q["now"]) if q.get("now") else None
                reply = answer_question(services, q["question"], asked_at=asked_at)
                latencies.append((time.perf_counter() - t) * 1000)
                doc_ids = [source_of[a] for a in reply.article_ids[:10] if a in source_of]
                row = {"id": q["id"], "reply": reply.visible, "doc_ids": doc_ids}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows.append((q, row, is_abstention(reply)))
        db.conn.close()

    figures: dict[str, float | int] = {
        "questions": len(rows), "documents": corpus_docs + distractor_count,
    }
    asked = [q for q, _, _ in rows]
    preds = {r["id"]: r for _, r, _ in rows}
    kind = question_set(asked)
    if kind == "chat":
        for name, row in chat_figures(asked, preds).items():
            figures[f"right_{name}"] = row["right_share"]
    elif kind == "news":
        news = news_figures(asked, preds)
        by_kind = news.pop("answer_in_reply_by_kind")
        figures.update(news)
        figures.update({f"answer_in_reply_{k}": v for k, v in by_kind.items()})
    elif kind == "retrieval":
        figures.update(retrieval_figures(asked, preds))
    n = max(1, len(rows))
    figures.update({
        "mean_reply_chars": round(sum(len(r["reply"]) for _, r, _ in rows) / n, 1),
        "mean_answer_chars": round(sum(len(answer_part(r["reply"])) for _, r, _ in rows) / n, 1),
        "abstention": round(sum(a for _, _, a in rows) / n, 4),
        "latency_ms_median": round(statistics.median(latencies), 3) if latencies else 0.0,
        "latency_ms_p95": round(percentile(latencies, 0.95), 3),
        "index_build_s": round(build_seconds, 2),
        "wall_s": round(time.perf_counter() - started, 1),
    })
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
