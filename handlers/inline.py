"""Inline mode: `@bot 검색어` in any chat offers matching stories to post (one article each)."""

from __future__ import annotations

from dataclasses import dataclass

from answer.question import Question, read_question
from handlers.format import related_note
from handlers.reply import esc, link
from handlers.search import find_articles
from handlers.services import Services
from store.articles import get_articles
from store.search import phrase_doc_count, term_doc_counts
from store.stories import latest_stories, related_counts

MAX_RESULTS = 10


@dataclass(frozen=True, slots=True)
class InlineArticle:
    id: str
    title: str
    description: str  # publisher · date · 관련 기사 N건
    message_html: str  # what is posted when the person picks it
    url: str


def unknown_words(services: Services, question: Question) -> list[str]:
    """The query's words that no stored article holds (title or body)."""
    terms = [t.lower() for t in question.terms]  # the index folds case
    known = term_doc_counts(services.db, terms, "articles_fts")
    return [t for t in terms
            if t not in known and phrase_doc_count(services.db, t, "articles_fts") == 0]


def inline_articles(services: Services, query: str) -> list[InlineArticle]:
    """Up to ten stories for an inline query (one article each); the newest ones when the
    query is empty.

    A word no article holds means there is nothing to offer: the other words alone ('김철수
    대표' without 김철수) would bring up articles about someone else entirely."""
    query = query.strip()[:200]
    if query:
        question = read_question(query)
        if unknown_words(services, question):
            return []
        ids = find_articles(services, query, limit=MAX_RESULTS, question=question)
    else:
        ids = [s.lead_article_id for s in latest_stories(services.db, MAX_RESULTS)
               if s.lead_article_id is not None]
    articles = get_articles(services.db, ids)
    related = related_counts(services.db, ids)
    results = []
    for article_id in ids:
        a = articles[article_id]
        meta = " · ".join(p for p in (a.publisher, a.date) if p)
        description = " · ".join(p for p in (meta, related_note(related[article_id])) if p)
        results.append(
            InlineArticle(
                id=str(a.id),
                title=a.title[:200],
                description=description,
                message_html=f"<b>{esc(a.title)}</b>\n{esc(meta)} · {link(a.url, '원문')}",
                url=a.url,
            )
        )
    return results
