"""NER benchmark (contract: ../shared/data/README.md).

    python bench/ner.py --in SENTENCES.jsonl --out PRED.jsonl

Reads {"id", "text"[, "entities"]} lines, runs analysis.ner.tag_entities (the function the
ingest path calls) on every text, writes {"id", "entities": [{"start", "end", "type",
"text"}]} per input line, and, when gold entities are present, prints micro and per-type
P/R/F1, macro F1 over the six KLUE types (the headline), untyped boundary F1, throughput
and latency. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis import ner  # noqa: E402

TYPES = ner.KLUE_TYPES


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n_gold": n_gold, "n_pred": n_pred}


def score(gold: list[list[dict]], pred: list[list[dict]]) -> dict:
    """Exact (start, end, type) match; boundary F1 ignores the type."""
    tp = {t: 0 for t in TYPES}
    ng = {t: 0 for t in TYPES}
    np_ = {t: 0 for t in TYPES}
    btp = bg = bp = 0
    for g, p in zip(gold, pred):
        gs = {(e["start"], e["end"], e["type"]) for e in g}
        ps = {(e["start"], e["end"], e["type"]) for e in p if e["type"] in TYPES}
        for _, _, t in gs:
            if t in ng:
                ng[t] += 1
        for _, _, t in ps:
            np_[t] += 1
        for s, e, t in gs & ps:
            if t in tp:
                tp[t] += 1
        gb = {(s, e) for s, e, _ in gs}
        pb = {(s, e) for s, e, _ in ps}
        btp += len(gb & pb)
        bg += len(gb)
        bp += len(pb)
    per_type = {t: _prf(tp[t], np_[t], ng[t]) for t in TYPES}
    micro = _prf(sum(tp.values()), sum(np_.values()), sum(ng.values()))
    macro = sum(per_type[t]["f1"] for t in TYPES) / len(TYPES)
    return {
        "macro_f1": round(macro, 4),
        "micro_f1": micro["f1"],
        "micro_p": micro["p"],
        "micro_r": micro["r"],
        "boundary_f1": _prf(btp, bp, bg)["f1"],
        "per_type": per_type,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="inp", required=True, help="JSONL with id and text")
    ap.add_argument("--out", required=True, help="where to write predictions (JSONL)")
    args = ap.parse_args(argv)

    rows = [json.loads(line) for line in Path(args.inp).read_text(encoding="utf-8").splitlines() if line.strip()]
    t_load = time.perf_counter()
    ner.load()
    ner.tag_entities("모델을 미리 한 번 불러 둬요.")  # warm-up: first Kiwi call allocates
    load_s = time.perf_counter() - t_load

    preds: list[list[dict]] = []
    lat: list[float] = []
    t0 = time.perf_counter()
    c0 = time.process_time()  # CPU seconds: the one-core cost, whatever else shares the machine
    with open(args.out, "w", encoding="utf-8") as out:
        for row in rows:
            s = time.perf_counter()
            ents = [e.as_dict() for e in ner.tag_entities(row["text"])]
            lat.append(time.perf_counter() - s)
            preds.append(ents)
            out.write(json.dumps({"id": row["id"], "entities": ents}, ensure_ascii=False) + "\n")
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0

    figures: dict = {}
    if rows and all("entities" in r for r in rows):
        figures = score([r["entities"] for r in rows], preds)
        print(f"{'type':<6}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
        for t, m in figures["per_type"].items():
            print(f"{t:<6}{m['p']:>8.4f}{m['r']:>8.4f}{m['f1']:>8.4f}{m['n_gold']:>7}{m['n_pred']:>7}")
        print(f"micro P/R/F1 {figures['micro_p']:.4f} {figures['micro_r']:.4f} {figures['micro_f1']:.4f}")
        print(f"macro F1 (six types) {figures['macro_f1']:.4f}   boundary F1 {figures['boundary_f1']:.4f}")
    lat_ms = sorted(x * 1000 for x in lat)
    figures.update(
        {
            "n": len(rows),
            "sentences_per_s": round(len(rows) / wall, 1) if wall > 0 else None,
            "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "sentences_per_cpu_s": round(len(rows) / cpu, 1) if cpu > 0 else None,
            "load_s": round(load_s, 3),
            "latency_ms_median": round(statistics.median(lat_ms), 3) if lat_ms else None,
            "latency_ms_p95": round(lat_ms[min(len(lat_ms) - 1, int(0.95 * len(lat_ms)))], 3) if lat_ms else None,
        }
    )
    print(f"{len(rows)} sentences in {wall:.2f}s wall ({cpu:.2f}s CPU): {figures['sentences_per_s']} "
          f"sentences/s wall, {figures['sentences_per_cpu_s']} per CPU second, "
          f"latency median {figures['latency_ms_median']} ms, p95 {figures['latency_ms_p95']} ms")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
