"""Store queries for /trend: how many stories mention some words per day, the headline of
a day, and the names most often mentioned beside them.

A story (one event, however many outlets wrote it up) counts once a day; near-duplicates
(dup_of set) are left out of everything. Days are the articles' own publication dates (KST), so an archive read in
today is counted on the days it was published.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.engine import Database
from store.search import articles_matching, match_all_expression, search_articles


def _matched(db: Database) -> str:
    """Articles that hold every term, not near-duplicates, published in [start, end): the
    rows every /trend figure is counted over. Takes (expression, start, end)."""
    return ("SELECT a.id FROM articles a WHERE a.id IN (" + articles_matching(db) + ")"
            " AND a.dup_of IS NULL AND a.published_at >= ? AND a.published_at < ?")


@dataclass(frozen=True, slots=True)
class Headline:
    article_id: int
    day: str  # YYYY-MM-DD
    title: str
    url: str
    publisher: str


# One event told by ten outlets is one story: a story counts once a day it was written
# about (an article not placed in one yet counts as its own).
_STORY = "coalesce(story_id, -id)"


def daily_counts(db: Database, terms: list[str], start: str, end: str) -> dict[str, int]:
    """Stories with an article holding all `terms`, per publication day ('YYYY-MM-DD'),
    start <= day < end."""
    expr = match_all_expression(terms, db)
    if not expr:
        return {}
    rows = db.execute(
        f"SELECT substr(published_at, 1, 10), count(DISTINCT {_STORY}) FROM articles"
        f" WHERE id IN ({_matched(db)}) GROUP BY substr(published_at, 1, 10)",
        [expr, start, end],
    )
    return {r[0]: r[1] for r in rows}


def counted(db: Database, terms: list[str], start: str, end: str) -> tuple[int, int]:
    """(stories, articles) holding all `terms` published in [start, end): a story written
    about on two days is one story."""
    expr = match_all_expression(terms, db)
    if not expr:
        return 0, 0
    row = db.execute(
        f"SELECT count(DISTINCT {_STORY}), count(*) FROM articles WHERE id IN ({_matched(db)})",
        [expr, start, end],
    ).fetchone()
    return int(row[0]), int(row[1])


def newest_day(db: Database, terms: list[str]) -> str | None:
    """The latest publication day of an article holding all `terms`, if any."""
    expr = match_all_expression(terms, db)
    if not expr:
        return None
    row = db.execute(
        f"SELECT max(published_at) FROM articles WHERE id IN ({articles_matching(db)})"
        " AND dup_of IS NULL AND published_at IS NOT NULL",
        [expr],
    ).fetchone()
    return row[0][:10] if row and row[0] else None


def day_headlines(db: Database, terms: list[str], days: list[str]) -> dict[str, Headline]:
    """For each of `days`, its article that best matches `terms` (title words count double)."""
    expr = match_all_expression(terms, db)
    if not expr or not days:
        return {}
    marks = ",".join("?" * len(days))
    if db.is_postgres:
        # The same order by the same BM25 (engine.py), over the articles holding every term.
        rows = db.execute(
            "SELECT a.id, substr(a.published_at, 1, 10), a.title, a.url, a.publisher"
            f" FROM articles a WHERE a.id IN ({articles_matching(db)}) AND a.dup_of IS NULL"
            f" AND substr(a.published_at, 1, 10) IN ({marks})",
            [expr, *days],
        ).fetchall()
        scores = {h.article_id: h.score for h in search_articles(db, terms, limit=10**9)}
        rows.sort(key=lambda r: (-scores.get(r[0], 0.0), r[0]))
    else:
        rows = db.execute(
            "SELECT a.id, substr(a.published_at, 1, 10), a.title, a.url, a.publisher"
            " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
            f" WHERE articles_fts MATCH ? AND a.dup_of IS NULL"
            f" AND substr(a.published_at, 1, 10) IN ({marks})"
            " ORDER BY bm25(articles_fts, 2.0, 1.0), a.id",
            [expr, *days],
        )
    best: dict[str, Headline] = {}
    for row in rows:
        best.setdefault(row[1], Headline(*row))
    return best


def top_names(db: Database, terms: list[str], start: str, end: str, exclude: set[str],
              limit: int = 5) -> list[tuple[str, int]]:
    """The people and organisations named in the most of those articles: (name, articles),
    most first; entity keys in `exclude` (the asked word itself) left out."""
    expr = match_all_expression(terms, db)
    if not expr:
        return []
    rows = db.execute(
        "SELECT type, key, min(text), count(DISTINCT article_id) AS n FROM entity_mentions"
        f" WHERE type IN ('PS', 'OG') AND article_id IN ({_matched(db)})"
        " GROUP BY type, key ORDER BY n DESC, key LIMIT ?",
        [expr, start, end, limit + len(exclude)],
    )
    # A person's key is the full name ('정 대표' is written too); an organisation's key is
    # folded, so it is shown as written.
    named = [(r[1] if r[0] == "PS" else r[2], r[3]) for r in rows if r[1] not in exclude]
    return named[:limit]
