"""/search: the stories that match a query, one line each (its best-matching article, with
how many other articles the story has), relevance first, newer breaking ties."""

from __future__ import annotations

import math

from answer.question import Question, read_question
from answer.statement import holds_versions
from answer.when import span_of
from handlers.format import article_line
from handlers.reply import Reply, esc
from handlers.services import Services
from store.articles import Article, get_articles, published_between
from store.search import search_articles
from store.stories import one_per_story, related_counts

PAGE = 5
MAX_RESULTS = 30  # six pages at most: past that, a better query helps more than paging


def find_articles(services: Services, text: str, limit: int = PAGE,
                  question: Question | None = None) -> list[int]:
    """Article ids for a query (or its `question`, when read already), best first: one
    article a story (its best match). A time the query names ('카카오 이번 주', '오늘') keeps the
    articles of that span; a name with its version ('카나나 2') only articles naming that
    version."""
    question = question or read_question(text)
    span = span_of(question.window, question.asked_at)
    terms = question.terms
    if span is not None:
        terms = read_question(question.text.replace(question.window, " ")).terms
        if not terms:
            return [a.id for a in published_between(services.db, span.first, span.last, limit)]
    hits = search_articles(services.db, terms, limit=limit * (12 if span else 4))
    articles = get_articles(services.db, [h.article_id for h in hits])
    kept = [h for h in hits
            if (span is None or span.holds(articles[h.article_id].published_at))
            and names_versions(articles[h.article_id], question)]
    # Two stable sorts: newest first, then relevance, so equal scores go to the newer article.
    kept.sort(key=lambda h: articles[h.article_id].published_at or "", reverse=True)
    kept.sort(key=lambda h: -round(h.score, 3))
    return one_per_story(services.db, [h.article_id for h in kept])[:limit]


def names_versions(article: Article, question: Question) -> bool:
    """Whether the article names every name-and-version the query does, as one word or two
    ('카나나 2', '카나나2'), not only the name ('카나나 2' is not 카나나)."""
    return holds_versions(f"{article.title} {article.body}", question)


def search_page(services: Services, args: str, page: int) -> tuple[Reply, int]:
    """One page of results for `args`, and how many pages there are."""
    ids = find_articles(services, args, limit=MAX_RESULTS)
    if not ids:
        return Reply(f"‘{esc(args)}’에 맞는 기사를 찾지 못했어요. 다른 말로 검색해 보세요."), 0
    pages = math.ceil(len(ids) / PAGE)
    page = min(max(page, 0), pages - 1)
    shown = ids[page * PAGE:(page + 1) * PAGE]
    articles = get_articles(services.db, shown)
    related = related_counts(services.db, shown)
    lines = [f"🔎 <b>{esc(args)}</b> 검색 결과 ({len(ids)}건)"]
    lines += [article_line(page * PAGE + i, articles[a], related[a])
              for i, a in enumerate(shown, 1)]
    return Reply("\n".join(lines), article_ids=shown), pages
