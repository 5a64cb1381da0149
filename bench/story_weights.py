"""Fit the story model's weights (store.stories.WEIGHTS, BIAS) on one half of labelled articles.

    python bench/story_weights.py --in ../shared/data/stories_dev.jsonl --half a

Ingests the half through the real path (bench/stories.py), takes every pair of placed
articles that the candidate search could bring together (within the window, sharing a
key, on one news day), computes `store.stories.similarities` from the stored profiles, and fits a logistic
regression (numpy, a little L2) to whether the two are in one gold story. Prints the
weights as they go in store/stories.py, then replays the grouping over the stored profiles
for a grid of JOIN and MERGE thresholds with those weights (check the chosen ones on the
other half with bench/stories.py; the replay scores a story by its likeliest article
only, where place_article also scores what two of its candidates share). The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.stories import main as run_stories  # noqa: E402
from bench.stories import read_rows, score  # noqa: E402
from store import stories  # noqa: E402
from store.db import open_db  # noqa: E402


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 20000) -> np.ndarray:
    """Logistic regression by gradient descent; the last weight is the bias."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= (x.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    return w


def replay(profiles: list[stories.Weighted], w: np.ndarray, join: float, merge: float) -> dict[int, int]:
    """The grouping of `place_article`, over stored profiles in placement order."""
    parent: dict[int, int] = {}

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    placed: list[stories.Weighted] = []
    for x in profiles:
        parent[x.article_id] = x.article_id
        if x.kind != stories.OPINION:
            keys = x.keys()
            best: dict[int, float] = {}
            for y in placed:
                if y.kind == stories.OPINION or abs(x.at - y.at) > stories.WINDOW:
                    continue
                if not stories.same_news_day(x, y):
                    continue
                if not keys.keys() & y.keys().keys():
                    continue
                z = w[-1] + float(np.dot(w[:-1], stories.similarities(x, y)))
                p = 1 / (1 + math.exp(-z))
                r = root(y.article_id)
                best[r] = max(best.get(r, 0.0), p)
            ranked = sorted(best.items(), key=lambda kv: -kv[1])
            if ranked and ranked[0][1] >= join:
                keep = min(r for r, p in ranked if p >= merge or r == ranked[0][0])
                for r, p in ranked:
                    if p >= merge or r == ranked[0][0]:
                        parent[r] = keep
                parent[x.article_id] = keep
        placed.append(x)
    return {a: root(a) for a in parent}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in", dest="inp", type=Path, required=True)
    parser.add_argument("--half", choices=["a", "b"], required=True)
    args = parser.parse_args(argv)
    rows = read_rows(args.inp, args.half)
    gold_of = {str(r["id"]): str(r["story"]) for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "fit.db"
        run_stories(["--in", str(args.inp), "--out", str(Path(tmp) / "pred.jsonl"),
                     "--half", args.half, "--db", str(db_path)])
        db = open_db(db_path)
        source = dict(db.execute("SELECT id, source_id FROM articles").fetchall())
        ids = [r[0] for r in db.execute("SELECT article_id FROM story_profiles ORDER BY article_id")]
        profiles = stories._load(db.conn, ids)
        db.conn.close()
    profiles.sort(key=lambda p: p.article_id)  # placement order
    features, labels = [], []
    for i, x in enumerate(profiles):
        for y in profiles[:i]:
            if abs(x.at - y.at) > stories.WINDOW or not x.keys().keys() & y.keys().keys():
                continue
            if not stories.same_news_day(x, y):
                continue  # never scored
            features.append(stories.similarities(x, y))
            labels.append(float(gold_of[source[x.article_id]] == gold_of[source[y.article_id]]))
    w = fit(np.array(features), np.array(labels))
    print(f"{len(labels)} pairs, {int(sum(labels))} in one story")
    print("WEIGHTS = (" + ", ".join(f"{v:.2f}" for v in w[:-1]) + ")")
    print(f"BIAS = {w[-1]:.2f}")
    results = {}
    for join in (0.5, 0.6, 0.7, 0.8, 0.9):
        for merge in (0.6, 0.7, 0.8, 0.9, 0.95):
            if merge < join:
                continue
            groups = replay(profiles, w, join, merge)
            pred = {source[a]: str(g) for a, g in groups.items()}
            line = []
            for name in ("all", "lv"):
                part = [i for i in gold_of if name == "all" or i.startswith(name + "-")]
                if not part:
                    continue
                s = score(gold_of, pred, part)
                line.append(f"{name} P {s['pairwise_precision'] or 0:.3f} R {s['pairwise_recall'] or 0:.3f}"
                            f" alerts/story {s['alerts_per_story']:.3f}")
                results[f"{name} join {join} merge {merge}"] = s
            print(f"join {join} merge {merge}: " + " | ".join(line))
    print(json.dumps({"weights": [round(v, 3) for v in w[:-1]], "bias": round(w[-1], 3),
                      "pairs": len(labels)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
