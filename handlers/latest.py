"""/latest: the newest articles."""

from __future__ import annotations

from handlers.format import article_line
from handlers.reply import Reply
from handlers.services import ChatContext, Services
from store.articles import latest_articles

PAGE = 5


def latest(services: Services, args: str, chat: ChatContext) -> Reply:
    """The five newest articles with publisher, date and link."""
    articles = latest_articles(services.db, limit=PAGE)
    if not articles:
        return Reply("아직 저장된 기사가 없어요. 기사를 먼저 넣어 주세요.")
    lines = ["🗞 <b>최신 기사</b>"] + [article_line(i, a) for i, a in enumerate(articles, 1)]
    return Reply("\n".join(lines), article_ids=[a.id for a in articles])
