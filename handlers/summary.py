"""/summary: three-sentence summaries of one article, of a topic, or of what arrived lately.

- `/summary 링크` or `/summary 기사 12` (store id): that article's summary, title and source;
- `/summary 주제`: three sentences on a topic, each from one of the top stories, linked;
- `/summary` alone: the stories that got articles since this chat's last /summary (first
  time: the last day, or the newest few when nothing is that new), one line each with how
  many other articles each story has, then the time is recorded.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from answer.question import read_question
from answer.summarize import DEFAULT_K, summarize
from answer.when import span_of
from handlers.format import article_line, article_number, shown_sentence, source_line, trim
from handlers.news import news_list
from handlers.reply import Reply, esc, link
from handlers.search import find_articles
from handlers.services import ChatContext, Services
from ingest.urls import canonical_url
from store.articles import KST, Article, find_article, get_article, get_articles
from store.digest import (
    articles_ingested_since,
    count_ingested_since,
    last_summary_at,
    mark_summarized,
    newest_ingested,
    sentence_rows,
)
from store.engine import Database
from store.stories import related_counts

log = logging.getLogger(__name__)

TOPIC_SENTENCES = 3  # a topic summary: one sentence from each of the 3 best articles
TOPIC_CANDIDATES = 6  # articles looked at for them (some have no body to summarise)
CATCH_UP_ARTICLES = 5  # articles in a catch-up
CATCH_UP_FIRST_WINDOW = timedelta(hours=24)  # a chat's first catch-up looks this far back
SENTENCE_CHARS = 180  # a summary sentence longer than this is cut (phones show ~40 a line)
LINE_CHARS = 120  # a sentence in topic and catch-up lists

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def summary_sentences(db: Database, article_id: int, k: int = DEFAULT_K) -> list[str]:
    """The k summary sentences of a stored article, in article order ([] if unknown)."""
    article = get_article(db, article_id)
    rows = sentence_rows(db, article_id)
    if article is None or not rows:
        return []
    picked = summarize(
        article.title,
        [r.text for r in rows],
        [r.morphs.split() for r in rows],
        k=k,
        title_terms=article.title_morphs.split(),
    )
    return [rows[i].text for i in picked]


def summary(services: Services, args: str, chat: ChatContext) -> Reply:
    """Route the three forms; every path answers politely."""
    args = args.strip()
    if not args:
        return catch_up(services, chat)
    if _URL.match(args):
        found = find_article(services.db, args) or find_article(services.db, canonical_url(args))
        if found is None:
            return Reply(
                "그 링크의 기사는 아직 저장돼 있지 않아요. 제목의 낱말로 /search 해 보시겠어요?"
            )
        return article_summary(services, found)
    number = article_number(args)
    if number is not None:
        found = get_article(services.db, number)
        if found is None:
            return Reply(
                f"{number}번 기사를 찾지 못했어요. 번호를 확인해 주시거나 링크로 알려 주세요."
            )
        return article_summary(services, found)
    question = read_question(args, chat.asked_at)
    span = span_of(question.window, question.asked_at)
    if span is not None:
        # '/summary 오늘', '/summary 이번 주 카카오': that time's articles, as /ask reads it.
        topic = " ".join(question.text.replace(question.window, " ").split())
        ids = find_articles(services, args, limit=TOPIC_CANDIDATES, question=question)
        if not ids:
            return news_list(services, question)  # none then, and the newest before
        return topic_summary(services, f"{span.label} {topic}".strip(), ids)
    return topic_summary(services, args)


def article_summary(services: Services, article: Article) -> Reply:
    """Title, the three summary sentences as bullets, and the source line."""
    sentences = summary_sentences(services.db, article.id)
    lines = [f"📝 <b>{esc(trim(article.title, 80))}</b>"]
    if sentences:
        lines += [f"• {esc(shown_sentence(s, SENTENCE_CHARS, article.title))}" for s in sentences]
    else:
        lines.append("요약할 본문이 없어요.")
    lines.append(source_line(article))
    return Reply("\n".join(lines), article_ids=[article.id])


def _article_block(number: int, article: Article, sentences: list[str], related: int = 0) -> str:
    """A numbered article line (linked title, publisher, date, its story's other articles)
    with its summary lines."""
    block = [article_line(number, article, related)]
    block += [f"   · {esc(shown_sentence(s, LINE_CHARS, article.title))}" for s in sentences]
    return "\n".join(block)


def topic_summary(services: Services, topic: str, ids: list[int] | None = None) -> Reply:
    """Three sentences on `topic`, each the best summary sentence of one of the top
    articles (`ids` when found already), with that article's link after it."""
    ids = find_articles(services, topic, limit=TOPIC_CANDIDATES) if ids is None else ids
    if not ids:
        return Reply(f"‘{esc(topic)}’에 관한 기사를 찾지 못했어요. 다른 말로 해 보시겠어요?")
    articles = get_articles(services.db, ids)
    lines = [f"📝 <b>{esc(topic)}</b> 요약"]
    used: list[int] = []
    said: set[str] = set()  # a rewrite of the same report says the same sentence
    for article_id in ids:
        sentences = summary_sentences(services.db, article_id, k=1)
        if not sentences or sentences[0] in said:
            continue
        said.add(sentences[0])
        article = articles[article_id]
        source = [esc(p) for p in (article.publisher, article.date) if p]
        lines.append(f"• {esc(shown_sentence(sentences[0], LINE_CHARS, article.title))}"
                     f" ({' · '.join([*source, link(article.url, '원문')])})")
        used.append(article_id)
        if len(used) == TOPIC_SENTENCES:
            break
    if not used:
        return Reply(f"‘{esc(topic)}’에 관한 기사에 요약할 본문이 없어요.")
    return Reply("\n".join(lines), article_ids=used)


def _first_heading(articles: list[Article], now: datetime) -> str:
    """A first catch-up's heading: 'arrived in the last day' only says the news is fresh
    when the articles were also published then (a corpus just imported was not)."""
    dates = sorted(a.date for a in articles if a.date)
    fresh = (now - CATCH_UP_FIRST_WINDOW).date().isoformat()
    if dates and dates[0] < fresh:
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]}~{dates[-1]}"
        return f"🗞 <b>최근 저장된 기사</b> (발행일 {span})"
    return "🗞 <b>최근 하루 동안 들어온 기사</b>"


def catch_up(services: Services, chat: ChatContext, now: datetime | None = None) -> Reply:
    """What arrived since the chat's last /summary, one line each; records this time."""
    db = services.db
    now = (now or datetime.now(KST)).astimezone(KST)  # stored times are KST ISO strings
    since = last_summary_at(db, chat.chat_id)
    first_time = since is None
    if first_time:
        since = (now - CATCH_UP_FIRST_WINDOW).isoformat(timespec="seconds")
    articles = articles_ingested_since(db, since, limit=CATCH_UP_ARTICLES)
    more = count_ingested_since(db, since) - len(articles)
    if not articles and first_time:
        articles, more = newest_ingested(db, limit=CATCH_UP_ARTICLES), 0
        heading = "🗞 최근 하루 새 기사는 없어서, 가장 최근 기사를 요약했어요."
    elif first_time:
        heading = _first_heading(articles, now)
    else:
        heading = f"🗞 <b>지난 요약({esc(since[5:16].replace('T', ' '))}) 이후 들어온 기사</b>"
    mark_summarized(db, chat.chat_id, chat.chat_type, now.isoformat(timespec="seconds"))
    if not articles:
        if first_time:
            return Reply("아직 저장된 기사가 없어요. 기사가 들어오면 요약해 드릴게요.")
        return Reply("지난 요약 이후 새로 들어온 기사가 없어요.")
    lines = [heading]
    related = related_counts(db, [a.id for a in articles])
    for number, article in enumerate(articles, 1):
        lines.append(_article_block(number, article, summary_sentences(db, article.id, k=1),
                                    related[article.id]))
    if more > 0:
        lines.append(f"외 {more}건이 더 있어요. /latest 로 확인해 보세요.")
    return Reply("\n".join(lines), article_ids=[a.id for a in articles])
