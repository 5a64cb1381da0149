"""/search: the articles that match a query, relevance first, newer breaking ties."""

from __future__ import annotations

import math

from answer.question import Question, read_question
from handlers.format import article_line
from handlers.reply import Reply, esc
from handlers.services import Services
from store.articles import get_articles
from store.search import search_articles

PAGE = 5
MAX_RESULTS = 30  # six pages at most: past that, a better query helps more than paging


def find_articles(services: Services, text: str, limit: int = PAGE,
                  question: Question | None = None) -> list[int]:
    """Article ids for a query (or its `question`, when read already), best first;
    near-duplicates left out."""
    terms = (question or read_question(text)).terms
    hits = search_articles(services.db, terms, limit=limit * 3)
    articles = get_articles(services.db, [h.article_id for h in hits])
    kept = [h for h in hits if articles[h.article_id].dup_of is None]
    # Two stable sorts: newest first, then relevance, so equal scores go to the newer article.
    kept.sort(key=lambda h: articles[h.article_id].published_at or "", reverse=True)
    kept.sort(key=lambda h: -round(h.score, 3))
    return [h.article_id for h in kept[:limit]]


def search_page(services: Services, args: str, page: int) -> tuple[Reply, int]:
    """One page of results for `args`, and how many pages there are."""
    ids = find_articles(services, args, limit=MAX_RESULTS)
    if not ids:
        return Reply(f"‘{esc(args)}’에 맞는 기사를 찾지 못했어요. 다른 말로 검색해 보세요."), 0
    pages = math.ceil(len(ids) / PAGE)
    page = min(max(page, 0), pages - 1)
    shown = ids[page * PAGE:(page + 1) * PAGE]
    articles = get_articles(services.db, shown)
    lines = [f"🔎 <b>{esc(args)}</b> 검색 결과 ({len(ids)}건)"]
    lines += [article_line(page * PAGE + i, articles[a]) for i, a in enumerate(shown, 1)]
    return Reply("\n".join(lines), article_ids=shown), pages
