"""/latest: the newest stories, one line each (the story's lead article, with how many
other articles it has)."""

from __future__ import annotations

import math

from handlers.format import article_line
from handlers.reply import Reply
from handlers.services import Services
from store.articles import get_articles
from store.stories import count_stories, latest_stories

PAGE = 5
MAX_PAGES = 6


def latest_page(services: Services, args: str, page: int) -> tuple[Reply, int]:
    """One page of the newest stories, and how many pages there are."""
    total = min(count_stories(services.db), PAGE * MAX_PAGES)
    if not total:
        return Reply("아직 저장된 기사가 없어요. 기사를 먼저 넣어 주세요."), 0
    pages = math.ceil(total / PAGE)
    page = min(max(page, 0), pages - 1)
    stories = [s for s in latest_stories(services.db, limit=PAGE, offset=page * PAGE)
               if s.lead_article_id is not None]
    leads = get_articles(services.db, [s.lead_article_id for s in stories])
    lines = ["🗞 <b>최신 기사</b>"]
    lines += [article_line(page * PAGE + i, leads[s.lead_article_id], s.related)
              for i, s in enumerate(stories, 1)]
    return Reply("\n".join(lines), article_ids=[s.lead_article_id for s in stories]), pages
