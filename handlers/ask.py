"""/ask: the words that answer a question, with their source; or an honest "don't know".

What the question asks is read once (answer.question); a fact is found by answer.fact, what
is new by answer.latest, two sides of a comparison by answer.compare. This module words the
reply: the value up front in bold, the snippet, the note on words no article holds, the
earlier figure a newer one revised, and the sources with their links.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from analysis import morph
from analysis.grammar import copula
from answer.compare import Comparison, compare
from answer.fact import ANSWERED, NEAREST, NOT_FOUND, Fact, answer_fact, quoted
from answer.followed import followed_article
from answer.latest import subject_terms
from answer.question import Question, read_question
from answer.value import squash_value
from handlers.followup import names_nothing
from handlers.format import opening_end, source_line, trim
from handlers.news import news_list
from handlers.reply import Button, Reply, esc
from handlers.services import ChatContext, Services
from handlers.summary import article_summary
from store.articles import get_article

SOURCE_MARK = "📰"  # handlers.format.source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
UNKNOWN_NOTE = "기사에 나오지 않아요. 가장 가까운 내용이에요."
NEAREST_NOTE = "가장 가까운 내용이에요."
# A question about the articles themselves ('오늘 기사 몇 개 떴어?'), not about a value in one.
ABOUT_ARTICLES = re.compile(r"기사|뉴스|소식")
# '2번 자세히' with no list to point at (not a reply, and nothing shown before it).
NO_LIST_TEXT = "어느 목록의 {n}번인지 모르겠어요. /latest 나 /search 로 목록을 먼저 받은 뒤 물어봐 주세요."
MAX_IDS = 10
SIDE_LIMIT = 70  # characters of each side's words in a comparison


def answer_question(services: Services, text: str, prefer: list[int] | None = None,
                    asked_at: datetime | None = None) -> Reply:
    """Answer `text` as asked at `asked_at` (now when None) from the store; the reply cites
    the article(s) it comes from."""
    question = read_question(text, asked_at)
    if prefer:
        # A reply to a list or a bundle: '2번 …' is about that item alone.
        if question.item and question.item <= len(prefer):
            prefer = [prefer[question.item - 1]]
        if question.retell and (question.item or len(prefer) == 1 or not subject_terms(question)):
            article = get_article(services.db, prefer[0])
            if article is not None:
                return article_summary(services, article)
        if names_nothing(text):
            # '왜 미뤘대?' names nothing: it asks about the article it follows up (of a list,
            # the item that tells of a delay), so that article's headline says what about
            # (the store holds other delays).
            followed = followed_article(services.db, question.terms, prefer)
            article = get_article(services.db, followed)
            if article is not None:
                prefer = [followed, *(a for a in prefer if a != followed)]
                about = read_question(f"{article.title} {text}", asked_at)
                question = replace(about, intent=question.intent, kind=question.kind)
    elif question.item and not subject_terms(question):
        return Reply(NO_LIST_TEXT.format(n=question.item))
    if question.intent in ("latest", "window") and (
            question.kind == "other" or ABOUT_ARTICLES.search(question.text)):
        return news_list(services, question)
    if not question.terms:
        return Reply("무엇을 물어보시는지 알아보지 못했어요. 예: /ask 코GPT 2.0 매개변수는?")
    if question.intent == "comparison":
        both = compare(services.db, question)
        if both is not None and any(s.fact.status == ANSWERED for s in both.sides):
            return comparison_reply(both)
    fact = answer_fact(services.db, question, prefer)
    if fact.status == NOT_FOUND:
        return abstain(fact.question)
    if fact.status == NEAREST:
        return nearest_only(fact)
    return fact_reply(fact)


def fact_reply(fact: Fact) -> Reply:
    """The value up front (when sure), the snippet, and the sources."""
    assert fact.top is not None and fact.snippet is not None
    head = f"<b>{esc(copula(fact.value))}.</b> " if fact.value else ""
    lines = [f"{head}{esc(_without_opening(fact))}"]
    if fact.older is not None:
        old_ev, old_value = fact.older
        lines[-1] += f" (이전 보도: {esc(old_value)})"
        lines.append(source_line(fact.top.article))
        lines.append(source_line(old_ev.article))
        # Two sources: no preview card for one of them, no single button.
        return Reply("\n".join(lines), link_preview=False, article_ids=fact.article_ids[:MAX_IDS])
    lines.append(source_line(fact.top.article))
    # One source: its preview card and a 원문 보기 button (Telegram takes only web URLs).
    url = fact.top.article.url
    buttons = [[Button("원문 보기", url=url)]] if url.startswith(("http://", "https://")) else []
    return Reply("\n".join(lines), link_preview=True, article_ids=fact.article_ids[:MAX_IDS],
                 buttons=buttons)


_TRAILING_DATELINE = re.compile(r"\s*[\[(【〔][^\])】〕=]{1,20}=[^\])】〕]{1,30}[\])】〕]$")


def _without_opening(fact: Fact) -> str:
    """The snippet without the byline, TV labels or headline copy each of its pieces opens
    with (handlers.format.shown_sentence: a flattened body glues them to the sentence after
    its subtitles, wherever in the snippet that falls), unless what is left out holds a word
    the question asks with ('채널A 보도 해명 (서울=뉴스1) … 기자 = …' answers '처음 보도한 데가
    어디야?') or the value up front."""
    title = fact.top.article.title if fact.top else ""
    asked = set(fact.question.terms)
    pieces = []
    for piece in fact.snippet.text.split(" … "):
        piece = piece.strip()
        cut = opening_end(piece, title)
        dropped = piece[:cut]
        if cut and not set(morph.index_terms_of(dropped)) & asked and not (
                fact.value and squash_value(fact.value) in squash_value(dropped)):
            piece = piece[cut:]
        # A dateline the cut left at a piece's end ('…시행. (한들=가람일보)') opens the next
        # sentence, which is not shown.
        pieces.append(_TRAILING_DATELINE.sub("", piece))
    return " … ".join(pieces)


def comparison_reply(both: Comparison) -> Reply:
    """One line for each side with its value (or its nearest words) and source, then which
    is larger or earlier when both are numbers of one unit or dates."""
    lines = []
    for side in both.sides:
        fact = side.fact
        if fact.status != ANSWERED or fact.snippet is None or fact.top is None:
            lines.append(f"• <b>{esc(side.name)}</b>: 기사에서 찾지 못했어요.")
            continue
        head = f"{copula(fact.value)}. " if fact.value else ""
        lines.append(f"• <b>{esc(side.name)}</b>: {esc(head)}{esc(trim(fact.snippet.text, SIDE_LIMIT))}")
        lines.append("  " + source_line(fact.top.article))
    if both.verdict:
        lines.append(f"→ {esc(both.verdict)}")
    ids = [i for s in both.sides for i in s.fact.article_ids[:3]]
    return Reply("\n".join(lines), article_ids=list(dict.fromkeys(ids))[:MAX_IDS])


def nearest_only(fact: Fact) -> Reply:
    """No article states what is asked, though one is about it (or a word of what is asked
    is in none, named here): said so first, then the nearest passage and its source, with no value up front."""
    assert fact.top is not None and fact.snippet is not None
    note = f"{esc(quoted(fact.unknown))} {UNKNOWN_NOTE}" if fact.unknown else NEAREST_NOTE
    lines = [f"{ABSTAIN_TEXT} {note}", esc(_without_opening(fact)),
             source_line(fact.top.article)]
    return Reply("\n".join(lines), link_preview=False, article_ids=fact.article_ids[:MAX_IDS])


def abstain(question: Question) -> Reply:
    keywords = " ".join(question.keywords() or question.terms[:4])
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요."
    )


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)


def names_unknown_words(reply: Reply) -> bool:
    """Whether the reply's first line names question words no article holds."""
    return UNKNOWN_NOTE in reply.html.split("\n")[0]


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None,
                           asked_at=chat.asked_at)
