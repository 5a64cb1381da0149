"""/ask: the words that answer a question, with their source; or an honest "don't know".

The reply is a short snippet (at most ANSWER_LIMIT characters) cut from the best article
around what answers: the clauses that hold the question's words and, for 언제/몇/얼마
questions, the value asked for. When a newer article states a different figure than an
older one that is about as relevant, the newer one answers and the older figure is noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.format import source_line
from handlers.korean import copula
from handlers.query import Question, read_question
from handlers.reply import Reply, esc
from handlers.retrieval import Evidence, Retrieval, kind_values, retrieve
from handlers.services import ChatContext, Services
from store.search import SentenceHit

SOURCE_MARK = "📰"  # handlers.format.source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
ANSWER_LIMIT = 120  # characters of answer text; the source line comes after it
MAX_IDS = 10

# Places where a long Korean sentence can be cut into clauses: after a comma, or after a
# connective ending (…며, …고, …서, …데, …지만, …나) followed by a space.
_CLAUSE_BREAK = re.compile(r"(?<=[,，;])\s+|(?<=[며고서데만나면니])\s+(?=\S)")
_WORD = re.compile(r"[0-9A-Za-z가-힣]+")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    score: float
    sentence: SentenceHit


def answer_question(services: Services, text: str, prefer: list[int] | None = None) -> Reply:
    """Answer `text` from the store; the reply cites the article(s) it comes from."""
    question = read_question(text)
    if not question.terms:
        return Reply("무엇을 물어보시는지 알아보지 못했어요. 예: /ask 코GPT 2.0 매개변수는?")
    found = retrieve(services.db, question, prefer=prefer)
    if not found.confident or not found.evidence:
        return abstain(question)
    question = found.question
    top = found.evidence[0]
    snippet = best_snippet(top, question)
    older = revised_figure(found, snippet)
    if older is not None:
        # The newer article answers; the older one is named as what it revised.
        newer_ev, newer_snip, old_ev, old_value = older
        top, snippet = newer_ev, newer_snip
    lines = []
    value = answer_value(snippet.text, question)
    head = f"<b>{esc(copula(value))}.</b> " if value else ""
    lines.append(f"{head}{esc(snippet.text)}")
    cited = [top.article.id]
    if older is not None:
        lines[-1] += f" (이전 보도: {esc(old_value)})"
        lines.append(source_line(top.article))
        lines.append(source_line(old_ev.article))
        cited.append(old_ev.article.id)
    else:
        lines.append(source_line(top.article))
    ids = cited + [e.article.id for e in found.evidence if e.article.id not in cited]
    return Reply("\n".join(lines), link_preview=False, article_ids=ids[:MAX_IDS])


def abstain(question: Question) -> Reply:
    keywords = " ".join(question.terms[:4])
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요."
    )


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)


# --- choosing what to show -------------------------------------------------------------

def _kind_values(text: str, question: Question) -> list[re.Match[str]]:
    return kind_values(text, question.kind, question.text)


def _worth(text: str, question: Question) -> float:
    """How well a piece of text answers: question weight it holds, new words, a value."""
    weights = question.weights or {t: 1.0 for t in question.terms}
    full = sum(weights.values()) or 1.0
    held = sum(w for t, w in weights.items() if t in text) / full
    words = _WORD.findall(text)
    novel = sum(1 for w in words if not any(t in w for t in weights))
    score = held + NOVEL_WEIGHT * min(novel, NOVEL_CAP)
    if _kind_values(text, question):
        score += KIND_WEIGHT
    return score


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(sentence) if c]


def best_snippet(evidence: Evidence, question: Question, limit: int = ANSWER_LIMIT) -> Snippet:
    """The stretch of the article, at most `limit` characters, that best answers.

    Candidates are the article's best few sentences by retrieval score: whole when they
    fit (a short one may take in the start of the next sentence, where Korean articles
    often put the detail a question asks for), else the longest runs of clauses that fit.
    """
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])[:TOP_SENTENCES]
    top_score = scores[order[0]] or 1.0
    best: Snippet | None = None

    def consider(text: str, i: int, penalty: float = 0.0) -> None:
        nonlocal best
        score = SENTENCE_RANK * scores[i] / top_score + _worth(text, question) - penalty
        if best is None or score > best.score:
            best = Snippet(text, score, sentences[i])

    for a in order:
        for b in order:
            # Two of the best sentences together, in article order, when both fit.
            if a < b and len(sentences[a].text) + len(sentences[b].text) + 2 <= limit:
                joint = sentences[a].text + (" " if b == a + 1 else " … ") + sentences[b].text
                consider(joint, a if scores[a] >= scores[b] else b, PAIR_PENALTY)
    for i in order:
        text = sentences[i].text
        if len(text) <= limit:
            consider(text, i)
            if i + 1 < len(sentences) and len(text) < limit * 0.7:
                extra = _fit(clauses(sentences[i + 1].text), limit - len(text) - 1)
                if extra:
                    consider(text + " " + extra, i, BORROW_PENALTY)
            continue
        pieces = clauses(text)
        for start in range(len(pieces)):
            window = _fit(pieces[start:], limit)
            if window:
                consider(_mark_cut(window, text), i)
        consider(_cut_long(text, question, limit), i, 0.05)
    assert best is not None
    return best


SENTENCE_RANK = 0.5  # weight of the retrieval's sentence score against the snippet's worth
BORROW_PENALTY = 0.05  # taking in part of the next sentence must be worth it
PAIR_PENALTY = 0.0  # two sentences of the article, when both fit
NOVEL_WEIGHT = 0.06  # per word the question does not contain (an answer is news to it)
NOVEL_CAP = 5
KIND_WEIGHT = 0.35  # holds a value of the asked kind (date, amount)
TOP_SENTENCES = 4  # the article's best sentences a snippet may come from


def _fit(units: list[str], room: int) -> str:
    """As many leading units as fit in `room` characters (joined by spaces); '' if none."""
    text = ""
    for unit in units:
        candidate = f"{text} {unit}" if text else unit
        if len(candidate) > room:
            break
        text = candidate
    if text and text != " ".join(units):
        text = text.rstrip(",， ") + "…"
    return text


def _mark_cut(window: str, sentence: str) -> str:
    """An ellipsis where the snippet starts inside its sentence (_fit marks the end)."""
    return window if sentence.startswith(window.rstrip("…")[:20]) else "…" + window


def _cut_long(text: str, question: Question, limit: int) -> str:
    """A window of `limit` characters around the densest part of one long clause."""
    if len(text) <= limit:
        return text
    marks = [m.start() for t in question.terms for m in re.finditer(re.escape(t), text)]
    marks += [m.start() for m in _kind_values(text, question)]
    centre = sum(marks) / len(marks) if marks else 0
    start = max(0, min(int(centre - limit / 2), len(text) - limit + 2))
    space = text.rfind(" ", 0, start + 1)
    start = space + 1 if space > 0 and start - space < 10 else start
    window = text[start : start + limit - 2].rstrip()
    return ("…" if start else "") + window + "…"


def answer_value(snippet: str, question: Question) -> str:
    """The amount or date the question asks for, as the snippet words it ('' if unsure).

    With several candidates, the one in the clause holding most of the question's weight
    wins; a value whose clause holds none of the question's words is not put up front.
    """
    values = _kind_values(snippet, question)
    if not values:
        return ""
    weights = question.weights or {t: 1.0 for t in question.terms}
    spans, start = [], 0
    for piece in _CLAUSE_SPLIT.split(snippet):
        spans.append((start, start + len(piece), piece))
        start += len(piece) + 1

    def weight_of(m: re.Match[str]) -> float:
        for begin, end, piece in spans:
            if begin <= m.start() < end:
                return sum(w for t, w in weights.items() if t in piece)
        return 0.0

    ranked = sorted(values, key=lambda m: -weight_of(m))
    best = ranked[0]
    if weight_of(best) <= 0 or (len(ranked) > 1 and weight_of(ranked[1]) == weight_of(best)):
        return ""
    value = best.group().strip()
    return value if len(value) <= 20 else ""


# Clause ends for answer_value: a comma, a sentence end, or a connective ending and a space.
_CLAUSE_SPLIT = re.compile(r"(?<=[,.，])\s|(?<=[며고서데만나면니])\s")


def revised_figure(
    found: Retrieval, snippet: Snippet
) -> tuple[Evidence, Snippet, Evidence, str] | None:
    """When a near-equal article from another date gives a different value, the newest wins.

    Returns (newer evidence, its snippet, older evidence, older value) or None.
    """
    question = found.question
    if question.kind not in ("date", "amount") or len(found.evidence) < 2:
        return None
    top = found.evidence[0]
    candidates = [(top, snippet)]
    for other in found.evidence[1:4]:
        if other.score >= 0.7 * top.score and other.coverage >= 0.7 * top.coverage:
            candidates.append((other, best_snippet(other, question)))
    dated = [(e, s, answer_value(s.text, question))
             for e, s in candidates if e.article.published_at]
    dated = [(e, s, v) for e, s, v in dated if v]
    if len(dated) < 2:
        return None
    dated.sort(key=lambda c: c[0].article.published_at or "", reverse=True)
    newest = dated[0]
    for e, _, value in dated[1:]:
        same_day = e.article.published_at == newest[0].article.published_at
        if _squash(value) != _squash(newest[2]) and not same_day:
            return newest[0], newest[1], e, value
    return None


def _squash(value: str) -> str:
    return re.sub(r"[\s,]", "", value)


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None)
