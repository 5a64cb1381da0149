"""/ask: the words that answer a question, with their source; or an honest "don't know".

The reply is a short snippet cut from the best article around what answers
(answer.snippet), with the value asked for put up front when the evidence is sure of it
(answer.value). When a newer article states a different figure than an older one
that is about as relevant, the newer one answers and the older figure is noted
(answer.revision).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from analysis.grammar import copula, has_final_consonant
from answer.kinds import gives_reason
from answer.latest import newest
from answer.question import EVERYDAY_WORDS, Question, read_question
from answer.retrieval import Retrieval, retrieve
from answer.revision import newest_figure
from answer.snippet import Snippet, best_snippet, hedged, held_share, reason_snippet
from answer.statement import stated_first, states
from answer.value import answer_value, person_asked, resolved_date, stored_wording
from handlers.format import news_line, source_line
from handlers.reply import Button, Reply, esc
from handlers.services import ChatContext, Services

SOURCE_MARK = "📰"  # handlers.format.source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
UNKNOWN_NOTE = "기사에 나오지 않아요. 가장 가까운 내용이에요."
NEAREST_NOTE = "가장 가까운 내용이에요."
# A question about the articles themselves ('오늘 기사 몇 개 떴어?'), not about a value in one.
ABOUT_ARTICLES = re.compile(r"기사|뉴스|소식")
MAX_IDS = 10


def answer_question(services: Services, text: str, prefer: list[int] | None = None,
                    asked_at: datetime | None = None) -> Reply:
    """Answer `text` as asked at `asked_at` (now when None) from the store; the reply cites
    the article(s) it comes from."""
    question = read_question(text, asked_at)
    if question.intent in ("latest", "window") and (
            question.kind == "other" or ABOUT_ARTICLES.search(question.text)):
        return news_list(services, question)
    if not question.terms:
        return Reply("무엇을 물어보시는지 알아보지 못했어요. 예: /ask 코GPT 2.0 매개변수는?")
    found = retrieve(services.db, question, prefer=prefer)
    if not found.confident or not found.evidence:
        return abstain(question)
    found, stated = stated_first(found)
    question = found.question
    if not stated:
        return nearest_only(found)
    found, snippet = better_answered(found)
    top = found.evidence[0]
    newest = newest_figure(found, snippet)
    older = None
    if newest is not None:
        # The newest article that states a value answers; an older one that said something
        # else of the same thing is named as what it revised.
        top, snippet, older = newest
    lines = []
    unknown = unknown_words(found)
    if unknown:
        lines.append(f"<i>{esc(unknown)} {UNKNOWN_NOTE}</i>")
    # A figure up front reads as the answer: only when the evidence holds enough of the
    # question ('무신사 매출은?' must not lead with another company's 2조4000억원).
    sure = found.confidence >= VALUE_CONFIDENCE and not unknown
    value = answer_value(snippet.text, question) if sure else ""
    if value and question.kind == "amount":
        value = stored_wording(services.db, top.article.id, snippet.text, value)
    elif value and question.kind == "date":
        value = resolved_date(services.db, top.article.id, snippet.text, value)
    elif question.kind == "person" and sure:
        value = person_asked(services.db, top.article.id, question)
    reason = reason_snippet(top, question) if question.intent == "why" else None
    if reason is not None and not gives_reason(snippet.text) \
            and held_share(reason.text, question, top.weights) >= REASON_SHARE:
        snippet = reason  # '왜?' is answered by the reason, not by the fact asked about
    elif not value and older is None:
        # Nothing sure to put up front: a piece of another sentence that might answer as
        # well is shown too.
        snippet = hedged(snippet, top, question)
    head = f"<b>{esc(copula(value))}.</b> " if value else ""
    lines.append(f"{head}{esc(snippet.text)}")
    cited = [top.article.id]
    if older is not None:
        old_ev, old_value = older
        if question.kind == "date":
            old_value = resolved_date(services.db, old_ev.article.id, None, old_value)
        lines[-1] += f" (이전 보도: {esc(old_value)})"
        lines.append(source_line(top.article))
        lines.append(source_line(old_ev.article))
        cited.append(old_ev.article.id)
    else:
        lines.append(source_line(top.article))
    ids = cited + [e.article.id for e in found.evidence if e.article.id not in cited]
    if older is not None:  # two sources: no preview card for one of them, no single button
        return Reply("\n".join(lines), link_preview=False, article_ids=ids[:MAX_IDS])
    # One source: its preview card and a 원문 보기 button (Telegram takes only web URLs).
    url = top.article.url
    buttons = [[Button("원문 보기", url=url)]] if url.startswith(("http://", "https://")) else []
    return Reply("\n".join(lines), link_preview=True, article_ids=ids[:MAX_IDS], buttons=buttons)


def news_list(services: Services, question: Question) -> Reply:
    """'요즘 카카오 소식?', '오늘 뉴스 정리해줘': the newest articles on it, numbered, so a
    reply can say which one ('2번 자세히')."""
    found = newest(services.db, question)
    about = f"{found.subject} " if found.subject else ""
    if found.span is not None and not found.in_span:
        head = f"{found.span.label}은 {about}새 기사가 없어요. 가장 최근 기사예요."
    elif found.span is not None:
        head = f"{found.span.label} {about}기사예요."
    else:
        head = f"{about}최근 소식이에요."
    if not found.articles:
        return Reply(f"{esc(about)}관련 기사를 찾지 못했어요.".lstrip())
    lines = [f"<b>{esc(head)}</b>"] + [news_line(i, a) for i, a in enumerate(found.articles, 1)]
    return Reply("\n".join(lines), article_ids=[a.id for a in found.articles])


def better_answered(found: Retrieval) -> tuple[Retrieval, Snippet]:
    """The retrieval with the runner-up article first when it is nearly as relevant and its
    best snippet answers clearly better (an article's paragraphs or two reports of one
    story often tie), and the snippet of the article now first."""
    top = found.evidence[0]
    snippet = best_snippet(top, found.question)
    if len(found.evidence) < 2 or found.evidence[1].score < RUNNER_UP_WITHIN * top.score:
        return found, snippet
    second = found.evidence[1]
    if not any(states(found.question, second, i) for i in range(len(second.others))):
        return found, snippet  # the runner-up does not say what is asked
    other = best_snippet(second, found.question)
    if ARTICLE_WEIGHT * second.score + other.score <= ARTICLE_WEIGHT * top.score + snippet.score:
        return found, snippet
    ranked = [second, top, *found.evidence[2:]]
    return replace(found, evidence=ranked), other


VALUE_CONFIDENCE = 0.4  # share of the question's weight the evidence holds for a value up front
RUNNER_UP_WITHIN = 0.9  # share of the top article's score a runner-up needs to be weighed
ARTICLE_WEIGHT = 8.0  # article score against snippet score: relevance first, answer second
NOTE_SHARE = 0.25  # share of the question's weight in unknown words that gets them named
REASON_SHARE = 0.2  # share of the question's weight (in its article) a reason shown holds


def unknown_words(found: Retrieval) -> str:
    """The question's words no article holds, as the asker wrote them, with 은/는
    (‘무신사’는), when they weigh enough to make the answer only the nearest one; ''
    otherwise."""
    if found.missing < NOTE_SHARE or not found.unknown:
        return ""
    # Only the names and nouns of what is asked about: never a verb, an adverb or an
    # everyday word ('뽑히', '자세히', '작년', '요즘'), which no article needs to use.
    words = [w.surface for w in found.question.written
             if any(t in found.unknown and t not in EVERYDAY_WORDS for t in w.terms)]
    if not words:
        return ""
    shown = list(dict.fromkeys(words))[:3]
    quoted = ", ".join(f"‘{w}’" for w in shown)
    return quoted + ("은" if has_final_consonant(shown[-1]) else "는")


def nearest_only(found: Retrieval) -> Reply:
    """No article states what is asked, though one is about it: said so first, then the
    nearest passage and its source, with no value up front."""
    top = found.evidence[0]
    snippet = hedged(best_snippet(top, found.question), top, found.question)
    lines = [f"{ABSTAIN_TEXT} {NEAREST_NOTE}", esc(snippet.text), source_line(top.article)]
    ids = [e.article.id for e in found.evidence][:MAX_IDS]
    return Reply("\n".join(lines), link_preview=False, article_ids=ids)


def abstain(question: Question) -> Reply:
    keywords = " ".join(question.keywords() or question.terms[:4])
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요."
    )


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)


def names_unknown_words(reply: Reply) -> bool:
    """Whether the reply opens by naming question words no article holds."""
    return reply.html.startswith("<i>") and UNKNOWN_NOTE in reply.html.split("\n")[0]


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None,
                           asked_at=chat.asked_at)
