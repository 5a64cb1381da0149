"""Shared pieces of replies: sources, article lines, trimming."""

from __future__ import annotations

from handlers.reply import esc, link
from store.articles import Article

# Said of an article stored from a feed's title and summary because its page did not come.
SUMMARY_ONLY = "(피드의 요약만 있어요. 원문에서 전체를 확인해 주세요.)"


def source_line(article: Article) -> str:
    """'출처: 발행처 · 날짜 · 원문' with the link behind 원문, and '요약만 있어요' for an
    article the bot has only a feed's summary of."""
    parts = [esc(article.publisher or "출처 미상")]
    if article.date:
        parts.append(article.date)
    parts.append(link(article.url, "원문"))
    if article.summary_only:
        parts.append("요약만 있어요")
    return "📰 " + " · ".join(parts)


def article_line(number: int, article: Article) -> str:
    """One numbered line of an article list: title, then publisher, date and the article's
    store number (what `/summary 번호` takes)."""
    meta = " · ".join(p for p in (esc(article.publisher), article.date, f"#{article.id}",
                                  "요약만" if article.summary_only else "") if p)
    return f"{number}. {link(article.url, trim(article.title, 60))}\n   {meta}"


def news_line(number: int, article: Article) -> str:
    """One numbered line of what is new: date, headline (linked), publisher."""
    parts = [p for p in (article.date, link(article.url, trim(article.title, 45)),
                         esc(article.publisher)) if p]
    return f"{number}. " + " · ".join(parts)


def trim(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a space where one is near the end."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,·") + "…"
