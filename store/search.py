"""Full-text queries over the Kiwi-morpheme indexes (FTS5 on SQLite, tsvectors with GIN
indexes on PostgreSQL: store/engine.py holds both and ranks both by FTS5's BM25).

User text never reaches a query as syntax: it is reduced to morphemes first, and each
morpheme is passed as a quoted literal (an FTS5 string, a tsquery lexeme), so `*`,
quotes, AND/OR/NOT/NEAR, brackets, colons and `^` are only ever literal characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.engine import Database, Search
from store.engine import match_expression as match_expression


def match_all_expression(terms: list[str], db: Database | None = None) -> str:
    """A query that matches only rows holding every one of `terms` (quoted literals): FTS5's,
    or with `db` on PostgreSQL a tsquery (for articles_matching)."""
    if db is not None and db.is_postgres:
        return Search.of(db).all_terms(terms)
    unique = dict.fromkeys(t for t in terms if t.strip())
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in unique)


# The ids of the articles an FTS5 expression matches (title or body), as a subquery.
ARTICLES_MATCHING = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


def articles_matching(db: Database) -> str:
    """ARTICLES_MATCHING for the store's engine (one parameter: match_all_expression's)."""
    return Search.of(db).matching_sql if db.is_postgres else ARTICLES_MATCHING


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
    found = Search.of(db).articles(db, terms, limit, title_weight, published_by)
    return [ArticleHit(a, s) for a, s in found]


def search_sentences(db: Database, terms: list[str], limit: int = 50) -> list[SentenceHit]:
    """Sentences by BM25 over their morphemes, best first."""
    return [SentenceHit(*r) for r in Search.of(db).sentences(db, terms, limit)]


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
        if term.strip():
            freqs[term] = phrase_doc_count(db, term)
    return total, freqs


def term_doc_counts(db: Database, terms: list[str], fts: str) -> dict[str, int]:
    """How many rows of `fts` hold each term (terms absent from the index are left out)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    if not unique:
        return {}
    return Search.of(db).doc_counts(db, unique, fts)


def phrase_doc_count(db: Database, term: str, fts: str = "sentences_fts") -> int:
    """How many rows of `fts` hold `term` as a phrase: for terms the index tokenizer splits
    into several index terms ('2.0' -> 2, 0), which its vocabulary never lists whole."""
    if not term.strip():
        return 0
    return Search.of(db).phrase_count(db, term, fts)


def index_generation(db: Database) -> tuple[int, int]:
    """Changes whenever sentences are added or replaced, here or by another connection."""
    return Search.of(db).generation(db)


def sentence_stats(db: Database) -> tuple[int, float]:
    """Number of sentences and their mean length in index terms (for BM25)."""
    return Search.of(db).sentence_stats(db)
