"""Finding the sentences that answer a question.

BM25 over Kiwi morphemes at two levels (articles and sentences), combined with how much
of the question's weight (IDF) a sentence covers and whether it holds the kind of value
the question asks for. Newer articles win when close candidates disagree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlite_utils import Database

from handlers.query import Question
from store.articles import Article, get_articles
from store.search import (
    SentenceHit,
    document_frequencies,
    search_articles,
    search_sentences,
    sentences_in,
)

# Values of the kinds a question can ask for, recognised on the surface of a sentence.
KIND_PATTERNS = {
    "amount": re.compile(r"\d[\d,.]*\s*(?:조|억|만|천)?\s*(?:\d[\d,.]*\s*(?:억|만|천)?\s*)?"
                         r"(?:원|달러|개|명|종|팀|곳|건|장|%|퍼센트|배|대|위|년|km|톤)"),
    "date": re.compile(r"\d{4}년|\d{1,2}월|\d{1,2}일|상반기|하반기|올해|지난해|내년|이날|분기"),
    "place": re.compile(r"[가-힣]+(?:시|도|구|군|동|국|호텔|센터|대학|대학교)(?=[\s의에서,])"),
    "person": re.compile(r"[가-힣]{2,4}\s(?:[가-힣A-Za-z]+\s)?(?:대표|장관|의원|회장|사장|"
                         r"연구원|교수|원장|책임자|이사|본부장|센터장|창업자|CEO|CTO|CAIO)"),
}

DOC_CANDIDATES = 30
SENTENCE_CANDIDATES = 200


@dataclass(slots=True)
class Evidence:
    sentence: SentenceHit
    article: Article
    score: float
    coverage: float  # share of the question's IDF weight found in the sentence (or title)


@dataclass(slots=True)
class Retrieval:
    question: Question
    evidence: list[Evidence]  # best sentence per article, best article first
    confident: bool


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def retrieve(
    db: Database, question: Question, prefer: list[int] | None = None, min_coverage: float = 0.5
) -> Retrieval:
    """Rank articles and their best sentences for `question`."""
    terms = question.terms
    if not terms:
        return Retrieval(question, [], False)
    total, dfs = document_frequencies(db, terms)
    weights = {t: _idf(total, dfs.get(t, 0)) for t in terms if dfs.get(t, 0) > 0}
    # Terms the corpus never saw still count against coverage: the question is about them.
    missing_weight = sum(_idf(total, 0) for t in terms if dfs.get(t, 0) == 0)
    full_weight = sum(weights.values()) + missing_weight
    if not weights:
        return Retrieval(question, [], False)

    doc_hits = search_articles(db, list(weights), limit=DOC_CANDIDATES)
    doc_score = {h.article_id: h.score for h in doc_hits}
    top_doc = max(doc_score.values(), default=1.0) or 1.0
    candidates = {s.sentence_id: s for s in search_sentences(db, list(weights), SENTENCE_CANDIDATES)}
    extra = [a for a in (prefer or []) if a not in doc_score]
    for s in sentences_in(db, [h.article_id for h in doc_hits[:5]] + extra):
        candidates.setdefault(s.sentence_id, s)
    articles = get_articles(db, list({s.article_id for s in candidates.values()}))
    top_sentence = max((s.score for s in candidates.values()), default=1.0) or 1.0
    kind_pattern = KIND_PATTERNS.get(question.kind)

    best: dict[int, Evidence] = {}
    for s in candidates.values():
        article = articles[s.article_id]
        words = set(s.morphs.split())
        title_words = set(article.title_morphs.split())
        covered = sum(w for t, w in weights.items() if t in words)
        covered += 0.5 * sum(w for t, w in weights.items() if t not in words and t in title_words)
        coverage = covered / full_weight
        score = (
            0.45 * coverage
            + 0.25 * (s.score / top_sentence)
            + 0.30 * (doc_score.get(s.article_id, 0.0) / top_doc)
        )
        if kind_pattern and kind_pattern.search(s.text):
            score += 0.08
        if prefer and s.article_id in prefer:
            score += 0.1
        if article.dup_of is not None:
            score -= 0.2
        current = best.get(s.article_id)
        if current is None or score > current.score:
            best[s.article_id] = Evidence(s, article, score, coverage)

    ranked = sorted(best.values(), key=lambda e: -e.score)
    ranked = _newest_among_ties(ranked)
    confident = bool(ranked) and ranked[0].coverage >= min_coverage
    return Retrieval(question, ranked, confident)


def _newest_among_ties(ranked: list[Evidence], margin: float = 0.03) -> list[Evidence]:
    """When the top candidates are about equally good, the newest article answers first."""
    if len(ranked) < 2:
        return ranked
    top = ranked[0].score
    tied = [e for e in ranked if top - e.score <= margin]
    rest = [e for e in ranked if top - e.score > margin]
    tied.sort(key=lambda e: e.article.published_at or "", reverse=True)
    return tied + rest
