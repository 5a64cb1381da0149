"""Benchmark of /summary's extractive summaries (see ../shared/data/README.md).

    python bench/summary.py --in ARTICLES.jsonl --out PRED.jsonl [--k 3]

Each input line's `title` and `body` go into a fresh temporary store through the real ingest
path; the summary comes from the same function /summary uses, over the stored sentences.
Writes {"id", "summary": [sentences]} per input line. When the lines carry gold
(`sentences`, `summary_idx`) it prints sentence-level P/R/F1 (each predicted sentence matched
to the gold sentence it most resembles, rapidfuzz ratio >= 80) and ROUGE-1/2/L F1 over Kiwi
morphemes, averaged over articles. The last printed line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from analysis import morph  # noqa: E402
from handlers.summary import summary_sentences  # noqa: E402
from ingest.article_input import ArticleInput  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store.db import open_db  # noqa: E402
from store.digest import article_id_by_source  # noqa: E402

MATCH_RATIO = 80
_SPACES = re.compile(r"\s+")
_FINAL_PUNCT = re.compile(r"[.!?。…\s]+$")
# Kiwi tags of punctuation and other symbols; letters (SL), hanja (SH) and numbers (SN) stay.
_PUNCT_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"}


def normalise(sentence: str) -> str:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", sentence)).strip()
    return _FINAL_PUNCT.sub("", text)


def match_index(predicted: str, gold: list[str]) -> int | None:
    """The gold sentence `predicted` most resembles, if it resembles it enough."""
    p = normalise(predicted)
    best, best_ratio = None, -1.0
    for i, g in enumerate(gold):
        ratio = fuzz.ratio(p, g)
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    return best if best_ratio >= MATCH_RATIO else None


def rouge_tokens(text: str) -> list[str]:
    tokens = morph.tokens(unicodedata.normalize("NFC", text))
    return [t.form for t in tokens if t.tag not in _PUNCT_TAGS]


def _f1(overlap: int, n_pred: int, n_ref: int) -> float:
    if overlap == 0 or n_pred == 0 or n_ref == 0:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(pred: list[str], ref: list[str], n: int) -> float:
    def grams(tokens: list[str]) -> dict[tuple[str, ...], int]:
        counts: dict[tuple[str, ...], int] = {}
        for i in range(len(tokens) - n + 1):
            g = tuple(tokens[i : i + n])
            counts[g] = counts.get(g, 0) + 1
        return counts

    pg, rg = grams(pred), grams(ref)
    overlap = sum(min(c, rg.get(g, 0)) for g, c in pg.items())
    return _f1(overlap, sum(pg.values()), sum(rg.values()))


def rouge_l(pred: list[str], ref: list[str]) -> float:
    if not pred or not ref:
        return 0.0
    prev = [0] * (len(ref) + 1)
    for a in pred:
        cur = [0]
        for j, b in enumerate(ref, 1):
            cur.append(prev[j - 1] + 1 if a == b else max(prev[j], cur[j - 1]))
        prev = cur
    return _f1(prev[-1], len(pred), len(ref))


def score_article(summary: list[str], gold_sentences: list[str], gold_idx: list[int]) -> dict:
    gold = [normalise(s) for s in gold_sentences]
    matched = {m for m in (match_index(s, gold) for s in summary) if m is not None}
    hits = len(matched & set(gold_idx))
    p = hits / len(summary) if summary else 0.0
    r = hits / len(set(gold_idx)) if gold_idx else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    pred_tokens = rouge_tokens(" ".join(summary))
    ref_tokens = rouge_tokens(" ".join(gold_sentences[i] for i in gold_idx))
    return {
        "sentence_p": p,
        "sentence_r": r,
        "sentence_f1": f,
        "rouge1": rouge_n(pred_tokens, ref_tokens, 1),
        "rouge2": rouge_n(pred_tokens, ref_tokens, 2),
        "rougeL": rouge_l(pred_tokens, ref_tokens),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="inp", required=True, help="articles JSONL")
    parser.add_argument("--out", required=True, help="predictions JSONL to write")
    parser.add_argument("--k", type=int, default=3, help="sentences per summary")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    text = Path(args.inp).read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    morph.kiwi()  # load the model before anything is timed per item

    with tempfile.TemporaryDirectory(prefix="bench_summary_") as tmp:
        db = open_db(Path(tmp) / "bench.db")
        items = [
            ArticleInput(
                title=line.get("title") or "",
                body=line.get("body") or "",
                url=line.get("url") or f"https://bench.invalid/{line['id']}",
                source_id=str(line["id"]),
                origin=str(line["id"]),
            )
            for line in lines
        ]
        ingest_started = time.perf_counter()
        report = ingest_items(db, items)
        ingest_s = time.perf_counter() - ingest_started
        print(f"ingested {len(lines)} articles: {report.summary()}")

        latencies: list[float] = []
        predictions: list[dict] = []
        for line in lines:
            article_id = article_id_by_source(db, str(line["id"]))
            t0 = time.perf_counter()
            summary = summary_sentences(db, article_id, k=args.k) if article_id else []
            latencies.append((time.perf_counter() - t0) * 1000)
            predictions.append({"id": line["id"], "summary": summary})
        db.conn.close()

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for p in predictions:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")

    figures: dict[str, object] = {}
    scored = [
        score_article(p["summary"], line["sentences"], line["summary_idx"])
        for p, line in zip(predictions, lines)
        if "sentences" in line and "summary_idx" in line
    ]
    if scored:
        for key in ("sentence_p", "sentence_r", "sentence_f1", "rouge1", "rouge2", "rougeL"):
            figures[key] = round(statistics.fmean(s[key] for s in scored), 4)
        print(
            f"sentence P/R/F1 {figures['sentence_p']:.3f}/{figures['sentence_r']:.3f}/"
            f"{figures['sentence_f1']:.3f}  ROUGE-1/2/L {figures['rouge1']:.3f}/"
            f"{figures['rouge2']:.3f}/{figures['rougeL']:.3f} over {len(scored)} articles"
        )
    figures.update(
        {
            "k": args.k,
            "articles": len(lines),
            "scored": len(scored),
            "ingest_s": round(ingest_s, 3),
            "wall_s": round(time.perf_counter() - started, 3),
            "latency_ms_median": round(statistics.median(latencies), 3) if latencies else 0.0,
            "latency_ms_p95": round(percentile(latencies, 0.95), 3),
        }
    )
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
