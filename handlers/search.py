"""/search: the articles that match a query, relevance first, newer breaking ties."""

from __future__ import annotations

from handlers.format import article_line
from handlers.query import read_question
from handlers.reply import Reply, esc
from handlers.services import ChatContext, Services
from store.articles import get_articles
from store.search import search_articles

PAGE = 5


def find_articles(services: Services, text: str, limit: int = PAGE) -> list[int]:
    """Article ids for a query, best first; near-duplicates left out."""
    terms = read_question(text).terms
    hits = search_articles(services.db, terms, limit=limit * 3)
    articles = get_articles(services.db, [h.article_id for h in hits])
    kept = [h for h in hits if articles[h.article_id].dup_of is None]
    # Two stable sorts: newest first, then relevance, so equal scores go to the newer article.
    kept.sort(key=lambda h: articles[h.article_id].published_at or "", reverse=True)
    kept.sort(key=lambda h: -round(h.score, 3))
    return [h.article_id for h in kept[:limit]]


def search(services: Services, args: str, chat: ChatContext) -> Reply:
    """Up to five matching articles with title, publisher, date and link."""
    ids = find_articles(services, args)
    if not ids:
        return Reply(f"‘{esc(args)}’에 맞는 기사를 찾지 못했어요. 다른 말로 검색해 보세요.")
    articles = get_articles(services.db, ids)
    lines = [f"🔎 <b>{esc(args)}</b> 검색 결과"]
    lines += [article_line(i, articles[a]) for i, a in enumerate(ids, 1)]
    return Reply("\n".join(lines), article_ids=ids)
