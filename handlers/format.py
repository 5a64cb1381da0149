"""Shared pieces of replies: sources, article lines, trimming."""

from __future__ import annotations

import re

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


def article_line(number: int, article: Article, related: int = 0) -> str:
    """One numbered line of a list: title, then publisher, date, the article's store number
    (what `/summary 번호` and `/story 번호` take), whether only a feed's summary is stored,
    and how many other articles its story has."""
    parts = (esc(article.publisher), article.date, f"#{article.id}",
             "요약만" if article.summary_only else "", related_note(related))
    meta = " · ".join(p for p in parts if p)
    return f"{number}. {link(article.url, trim(article.title, 60) or '(제목 없음)')}\n   {meta}"


def related_note(related: int) -> str:
    """'관련 기사 3건' (a list line's story has 3 other articles), '' when it has none."""
    return f"관련 기사 {related}건" if related > 0 else ""


def news_line(number: int, article: Article, related: int = 0) -> str:
    """One numbered line of what is new: date, headline (linked), publisher, and how many
    other articles its story has."""
    parts = [p for p in (article.date, link(article.url, trim(article.title, 45)),
                         esc(article.publisher), related_note(related)) if p]
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


# What opens a shown sentence without being part of it: a TV page's labels ('동영상 뉴스',
# '[앵커]', '◀ 리포트 ▶'), and a dateline or byline, which a body flattened to one line
# glues after its subtitles ('…강력 항의 [아시아경제 국제부 기자] 일본 정부가 …',
# '…설명" (서울=뉴스1) 홍길동 기자,김철수 기자 = 외교부는 …').
_LABELS = re.compile(r"(?:동영상\s*뉴스\s*|\[(?:앵커|기자|리포트|인터뷰)[^\]]{0,10}\]\s*"
                     r"|◀\s*(?:앵커|리포트)\s*▶\s*)+")
_REPORTERS = r"(?:[가-힣]{2,4}\s*(?:기자|특파원)\s*[,·]?\s*)+"
_BYLINE = re.compile(
    r"[\[(【〔][^\])】〕]{0,40}(?:기자|특파원|=)[^\])】〕]{0,40}[\])】〕]\s*(?:" + _REPORTERS + r")?=?\s*"
    r"|" + _REPORTERS + r"=\s*"
)
BYLINE_REACH = 200  # characters from a sentence's start within which a byline is looked for
SHOWN_MIN = 20  # what is left after the byline must be this long to be shown instead
# A copy of the headline is a headline's length: a short title (a name, '김영삼') that opens
# a sentence ('김영삼 정부는 …') is its subject.
HEADLINE_MIN = 12


def shown_sentence(text: str, limit: int, title: str = "") -> str:
    """A stored sentence as a summary line shows it: without the labels, byline and copy
    of the headline (`title`) that open it, cut to `limit` characters."""
    text = text.strip()
    return trim(text[opening_end(text, title):], limit)


def opening_end(text: str, title: str = "") -> int:
    """Where the labels, byline and copy of the headline (`title`) that open `text` end
    (0 when none does)."""
    labels = _LABELS.match(text)
    at = labels.end() if labels else 0
    ends = [m.end() for m in _BYLINE.finditer(text, at, at + BYLINE_REACH)]
    if ends and len(text) - ends[-1] >= SHOWN_MIN:
        at = ends[-1]
    headline = _QUOTES.sub('"', title.strip())
    if len(headline) >= HEADLINE_MIN and _QUOTES.sub('"', text[at:]).startswith(headline) \
            and not _GLUED.match(text, at + len(headline)):
        # (A headline that is the sentence's subject, '캐시 크루즈는 …' under the title 캐시
        # 크루즈, goes on glued to it: that is the sentence, not a copy of the headline.)
        after = at + len(headline)
        after += len(text[after:]) - len(text[after:].lstrip())
        labels = _LABELS.match(text, after)
        after = labels.end() if labels else after
        if len(text) - after >= SHOWN_MIN:
            at = after
    return at


_QUOTES = re.compile(r"[“”„‟″]")  # headline copies differ in their quote marks
_GLUED = re.compile(r"[가-힣A-Za-z0-9(（\[]")  # what goes on a word, not after a headline


# '12', '#12', '12번', '기사 12', '기사 번호 12', '12번 기사': the store number lists show.
_ARTICLE_NUMBER = re.compile(
    r"^(?:기사\s*)?(?:번호\s*)?(?:#|no\.?\s*)?(\d{1,12})\s*번?(?:\s*기사)?$", re.I
)


def article_number(text: str) -> int | None:
    """The article number a command names ('#12', '12번 기사'), or None."""
    m = _ARTICLE_NUMBER.match(text.strip())
    return int(m.group(1)) if m else None
