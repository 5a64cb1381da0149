"""Full-text queries over the Kiwi-morpheme indexes.

User text never reaches MATCH as syntax: it is reduced to morphemes first, and each
morpheme is passed as a quoted FTS5 string, so `*`, quotes, AND/OR/NOT/NEAR, brackets,
colons and `^` are only ever literal characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


def match_expression(terms: list[str]) -> str:
    """An FTS5 query that matches any of `terms`, each as a quoted literal string."""
    unique = dict.fromkeys(t for t in terms if t.strip())
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


def match_all_expression(terms: list[str]) -> str:
    """An FTS5 query that matches only rows holding every one of `terms` (quoted literals)."""
    unique = dict.fromkeys(t for t in terms if t.strip())
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in unique)


# The ids of the articles an FTS5 expression matches (title or body), as a subquery.
ARTICLES_MATCHING = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


@dataclass(frozen=True, slots=True)
class ArticleHit:
    article_id: int
    score: float  # higher is better (negated bm25)


@dataclass(frozen=True, slots=True)
class SentenceHit:
    sentence_id: int
    article_id: int
    position: int
    text: str
    morphs: str
    score: float


def search_articles(
    db: Database, terms: list[str], limit: int = 10, title_weight: float = 2.0,
    published_by: str | None = None,
) -> list[ArticleHit]:
    """Articles by BM25 over title and body morphemes, best first; with `published_by` (an
    ISO time in KST) only those published by then (or of unknown date)."""
    expr = match_expression(terms)
    if not expr:
        return []
    if published_by is None:
        rows = db.execute(
            "SELECT rowid, bm25(articles_fts, ?, 1.0) AS s FROM articles_fts"
            " WHERE articles_fts MATCH ? ORDER BY s LIMIT ?",
            [title_weight, expr, limit],
        )
    else:
        rows = db.execute(
            "SELECT f.rowid, bm25(articles_fts, ?, 1.0) AS s FROM articles_fts f"
            " JOIN articles a ON a.id = f.rowid"
            " WHERE articles_fts MATCH ? AND (a.published_at IS NULL OR a.published_at <= ?)"
            " ORDER BY s LIMIT ?",
            [title_weight, expr, published_by, limit],
        )
    return [ArticleHit(r[0], -r[1]) for r in rows]


def search_sentences(db: Database, terms: list[str], limit: int = 50) -> list[SentenceHit]:
    """Sentences by BM25 over their morphemes, best first."""
    expr = match_expression(terms)
    if not expr:
        return []
    rows = db.execute(
        "SELECT s.id, s.article_id, s.position, s.text, s.morphs, bm25(sentences_fts) AS b"
        " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
        " WHERE sentences_fts MATCH ? ORDER BY b LIMIT ?",
        [expr, limit],
    )
    return [SentenceHit(r[0], r[1], r[2], r[3], r[4], -r[5]) for r in rows]


def sentences_in(db: Database, article_ids: list[int]) -> list[SentenceHit]:
    """Every sentence of the given articles, in order (score 0)."""
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    rows = db.execute(
        f"SELECT id, article_id, position, text, morphs FROM sentences"
        f" WHERE article_id IN ({marks}) ORDER BY article_id, position",
        article_ids,
    )
    return [SentenceHit(r[0], r[1], r[2], r[3], r[4], 0.0) for r in rows]


def document_frequencies(db: Database, terms: list[str]) -> tuple[int, dict[str, int]]:
    """How many sentences hold each term, and how many sentences there are (for IDF)."""
    total = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    freqs: dict[str, int] = {}
    for term in dict.fromkeys(terms):
        expr = match_expression([term])
        if not expr:
            continue
        freqs[term] = db.execute(
            "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", [expr]
        ).fetchone()[0]
    return total, freqs


# fts5vocab tables live in the connection's temp schema: they are views of the index,
# not part of the store's schema, and SQLite answers `term IN (...)` by seeking the index.
_VOCAB = {"sentences_fts": "newsmate_sentences_vocab", "articles_fts": "newsmate_articles_vocab"}


def _vocab_table(db: Database, fts: str) -> str:
    name = _VOCAB[fts]
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {fts}, row)")
    return name


def term_doc_counts(db: Database, terms: list[str], fts: str) -> dict[str, int]:
    """How many rows of `fts` hold each term (terms absent from the index are left out)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    if not unique:
        return {}
    table = _vocab_table(db, fts)
    marks = ",".join("?" * len(unique))
    rows = db.execute(f"SELECT term, doc FROM temp.{table} WHERE term IN ({marks})", unique)
    return {r[0]: r[1] for r in rows}


def phrase_doc_count(db: Database, term: str, fts: str = "sentences_fts") -> int:
    """How many rows of `fts` hold `term` as a phrase: for terms the FTS tokenizer splits
    into several index terms ('2.0' -> 2, 0), which its vocabulary never lists whole."""
    expr = match_expression([term])
    if not expr:
        return 0
    return db.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", [expr]).fetchone()[0]


def index_generation(db: Database) -> tuple[int, int]:
    """Changes whenever sentences are added or replaced, here or by another connection."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    last = db.execute("SELECT max(id) FROM sentences").fetchone()[0] or 0
    return version, last


def sentence_stats(db: Database) -> tuple[int, float]:
    """Number of sentences and their mean length in index terms (for BM25)."""
    row = db.execute(
        "SELECT count(*), avg(length(morphs) - length(replace(morphs, ' ', '')) + 1)"
        " FROM sentences"
    ).fetchone()
    return int(row[0] or 0), float(row[1] or 1.0)
