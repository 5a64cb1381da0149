"""/latest: the newest articles."""

from __future__ import annotations

import math

from handlers.format import article_line
from handlers.reply import Reply
from handlers.services import Services
from store.articles import count_articles, latest_articles

PAGE = 5
MAX_PAGES = 6


def latest_page(services: Services, args: str, page: int) -> tuple[Reply, int]:
    """One page of the newest articles, and how many pages there are."""
    total = min(count_articles(services.db), PAGE * MAX_PAGES)
    if not total:
        return Reply("아직 저장된 기사가 없어요. 기사를 먼저 넣어 주세요."), 0
    pages = math.ceil(total / PAGE)
    page = min(max(page, 0), pages - 1)
    articles = latest_articles(services.db, limit=PAGE, offset=page * PAGE)
    lines = ["🗞 <b>최신 기사</b>"]
    lines += [article_line(page * PAGE + i, a) for i, a in enumerate(articles, 1)]
    return Reply("\n".join(lines), article_ids=[a.id for a in articles]), pages
