"""Near-duplicates: the same story rewritten by another outlet is linked to its first copy.

Candidates come from the article index (the new article's opening morphemes as a query),
so each new article costs one FTS query and a few rapidfuzz comparisons, never a scan of
the corpus. Comparing morpheme strings rather than raw text makes a rewrite that only
changes particles, endings or spacing count as the same story.
"""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz

from store.search import match_expression

SIMILARITY = 90.0  # percent; wire copies and light rewrites score above, related stories below
CANDIDATES = 5
QUERY_TERMS = 40


def near_duplicate_of(conn: sqlite3.Connection, article_id: int, body_morphs: str) -> int | None:
    """The first stored copy of the story in `body_morphs`, or None when it is new."""
    terms = list(dict.fromkeys(body_morphs.split()))[:QUERY_TERMS]
    expr = match_expression(terms)
    if not expr or len(body_morphs) < 40:
        return None  # too short to call anything a copy of it
    rows = conn.execute(
        "SELECT rowid, body FROM articles_fts WHERE articles_fts MATCH ? AND rowid != ?"
        " ORDER BY bm25(articles_fts) LIMIT ?",
        (expr, article_id, CANDIDATES),
    ).fetchall()
    for candidate_id, candidate_body in rows:
        shorter, longer = sorted((len(body_morphs), len(candidate_body)))
        if longer == 0 or shorter / longer < 0.8:
            continue
        if fuzz.ratio(body_morphs, candidate_body, score_cutoff=SIMILARITY):
            root = conn.execute(
                "SELECT coalesce(dup_of, id) FROM articles WHERE id = ?", (candidate_id,)
            ).fetchone()
            return root[0] if root else candidate_id
    return None
