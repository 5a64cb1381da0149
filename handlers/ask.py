"""/ask: the words that answer a question, with their source; or an honest "don't know".

The reply is a short snippet (at most ANSWER_LIMIT characters) cut from the best article
around what answers: the clauses that hold the question's words and, for 언제/몇/얼마
questions, the value asked for. When a newer article states a different figure than an
older one that is about as relevant, the newer one answers and the older figure is noted.
The value put up front (an amount, a date in full, a person) comes from handlers.answer_value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest import morph
from handlers.format import source_line
from handlers.korean import copula
from handlers.query import Question, holds_predicate, read_question
from handlers.reply import Button, Reply, esc
from handlers.answer_value import (
    answer_value,
    answer_values,
    asked_particle,
    kind_values_of,
    person_asked,
    resolved_date,
    squash_value,
    stored_wording,
    unit_of,
)
from handlers.retrieval import NOT_A_NUMBER_MAN, Evidence, Retrieval, retrieve
from handlers.services import ChatContext, Services
from store.search import SentenceHit

SOURCE_MARK = "📰"  # handlers.format.source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
ANSWER_LIMIT = 120  # characters of answer text; the source line comes after it
MAX_IDS = 10

# Places where a long Korean sentence can be cut into clauses: after a comma, or after a
# connective ending (…며, …고, …서, …데, …지만, …나) followed by a space.
_CLAUSE_BREAK = re.compile(r"(?<=[,，;])\s+|(?:(?<=[며고서데나면니])|" + NOT_A_NUMBER_MAN + r")\s+(?=\S)")
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
    found, snippet = better_answered(found)
    top = found.evidence[0]
    newest = newest_figure(found, snippet)
    older = None
    if newest is not None:
        # The newest article that states a value answers; an older one that said something
        # else of the same thing is named as what it revised.
        top, snippet, older = newest
    lines = []
    # A figure up front reads as the answer: only when the evidence holds enough of the
    # question ('무신사 매출은?' must not lead with another company's 2조4000억원).
    sure = found.confidence >= VALUE_CONFIDENCE
    value = answer_value(snippet.text, question) if sure else ""
    if value and question.kind == "amount":
        value = stored_wording(services.db, top.article.id, snippet.text, value)
    elif value and question.kind == "date":
        value = resolved_date(services.db, top.article.id, snippet.text, value)
    elif question.kind == "person" and sure:
        value = person_asked(services.db, top.article.id, question)
    if not value and older is None:
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


def better_answered(found: Retrieval) -> tuple[Retrieval, Snippet]:
    """The retrieval with the runner-up article first when it is nearly as relevant and its
    best snippet answers clearly better (an article's paragraphs or two reports of one
    story often tie), and the snippet of the article now first."""
    top = found.evidence[0]
    snippet = best_snippet(top, found.question)
    if len(found.evidence) < 2 or found.evidence[1].score < RUNNER_UP_WITHIN * top.score:
        return found, snippet
    second = found.evidence[1]
    other = best_snippet(second, found.question)
    if ARTICLE_WEIGHT * second.score + other.score <= ARTICLE_WEIGHT * top.score + snippet.score:
        return found, snippet
    ranked = [second, top, *found.evidence[2:]]
    return replace(found, evidence=ranked), other


VALUE_CONFIDENCE = 0.4  # share of the question's weight the evidence holds for a value up front
RUNNER_UP_WITHIN = 0.9  # share of the top article's score a runner-up needs to be weighed
ARTICLE_WEIGHT = 8.0  # article score against snippet score: relevance first, answer second


def abstain(question: Question) -> Reply:
    keywords = " ".join(question.terms[:4])
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요."
    )


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)


# --- choosing what to show -------------------------------------------------------------

def _held(text: str, question: Question, weights: dict[str, float] | None = None) -> float:
    """Share of the question's weight (by default its corpus weight) that `text` holds."""
    weights = weights or question.weights or {t: 1.0 for t in question.terms}
    lowered = text.lower()  # terms are lower-cased morphemes ('hbm', 'gpt')
    held = sum(w for t, w in weights.items() if t in lowered and _contains(lowered, t))
    return held / (sum(weights.values()) or 1.0)


def _contains(text: str, term: str) -> bool:
    """Whether `text` holds `term`; a number only as a whole number (2 is not in 2017)."""
    if term[:1].isdigit() or term[-1:].isdigit():
        return _whole_number(term).search(text) is not None
    return term in text


@lru_cache(maxsize=1024)
def _whole_number(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\d.]){re.escape(term)}(?![\d.]?\d)")


def _worth(
    text: str,
    question: Question,
    answers: Sequence[str] = (),
    weights: dict[str, float] | None = None,
) -> float:
    """How well a piece of text answers: question weight it holds, new words, a value or a
    named thing of the asked type (`answers`: those the article has)."""
    weights = weights or question.weights or {t: 1.0 for t in question.terms}
    held = _held(text, question, weights)
    lowered = text.lower()
    novel = 0
    for w in _WORD.findall(lowered):
        for t in weights:  # a plain loop: this runs for every word of every candidate
            if t in w:
                break
        else:
            novel += 1
            if novel == NOVEL_CAP:  # counting on changes nothing
                break
    score = held + NOVEL_WEIGHT * novel
    if holds_predicate(question, text):
        score += PREDICATE_WEIGHT  # says what the question says happened ('폭로한 의원은?')
    if question.head and question.head in lowered:
        score += HEAD_WEIGHT  # names the thing asked about ('…오른 후보는?' -> 후보는 …)
    # Dates and amounts are recognised (and unit-checked) on the surface; other kinds by
    # the entities the tagger stored.
    if question.kind in ("date", "amount"):
        values = answer_values(text, question)
        if values:
            score += KIND_WEIGHT
        particle = asked_particle(question.text)
        if particle and any(text.startswith(particle, m.end()) for m in values):
            score += PARTICLE_WEIGHT  # '언제부터?' is answered by '이달 말부터'
    elif any(a in text for a in answers):
        score += KIND_WEIGHT
    return score


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(sentence) if c]


def best_snippet(evidence: Evidence, question: Question, limit: int = ANSWER_LIMIT) -> Snippet:
    """The stretch of the article, at most `limit` characters, that best answers."""
    sentences = evidence.others or [evidence.sentence]
    candidates = snippet_candidates(evidence, question, limit)
    score, text, i = max(_scored(evidence, question, candidates), key=_first)  # first of equals
    return Snippet(text, score, sentences[i])


def _first(item: tuple[float, str, int]) -> float:
    return item[0]


def _scored(
    evidence: Evidence, question: Question, candidates: Iterable[tuple[str, int, float]]
) -> Iterator[tuple[float, str, int]]:
    """(score, text, sentence index) of snippet candidates: how well the text answers, and
    a little of how well its sentence ranked."""
    scores = evidence.sentence_scores or [evidence.sentence.score]
    top = max(scores) or 1.0
    answers = [a for found in evidence.answers.values() for a in found]
    for text, i, penalty in candidates:
        worth = _worth(text, question, answers, evidence.weights)
        yield SENTENCE_RANK * scores[i] / top + worth - penalty, text, i


def hedged(snippet: Snippet, evidence: Evidence, question: Question,
           limit: int = ANSWER_LIMIT) -> Snippet:
    """The snippet and, when another of the article's best sentences might answer as well,
    the best piece of that one too, within `limit` characters.

    A snippet that leaves room keeps all of itself and the room shows the other piece; one
    that fills the limit is cut to what it needs most when the other piece is nearly as good
    (the choice between them was unsure).
    """
    sentences = evidence.others or [evidence.sentence]
    if len(sentences) < 2:
        return snippet
    here = next((i for i, s in enumerate(sentences)
                 if s.sentence_id == snippet.sentence.sentence_id), -1)
    room = limit - len(snippet.text) - 3
    if room >= FILL_MIN:
        found = _best_piece(evidence, question, here, snippet.text, room)
        if found is None or found[0] < snippet.score - FILL_MARGIN:
            return snippet
        return replace(snippet, text=_joined(snippet.text, found[1]))
    found = _best_piece(evidence, question, here, snippet.text, int(limit * SPLIT_SHARE))
    if found is None or found[0] < snippet.score - SPLIT_MARGIN:
        return snippet
    main = _best_window(evidence, question, here, limit - len(found[1]) - 3)
    return replace(snippet, text=_joined(main, found[1])) if main else snippet


def _best_window(evidence: Evidence, question: Question, here: int, limit: int) -> str:
    """The best snippet of at most `limit` characters from sentence `here`."""
    candidates = snippet_candidates(evidence, question, limit, only=here)
    fitting = [c for c in candidates if len(c[0]) <= limit]
    return max(_scored(evidence, question, fitting), key=_first)[1] if fitting else ""


def _best_piece(evidence: Evidence, question: Question, here: int, shown: str,
                room: int) -> tuple[float, str] | None:
    """The best piece (score, text) of at most `room` characters from the article's best
    sentences other than `here` and those `shown` already holds."""
    sentences = evidence.others or [evidence.sentence]
    candidates = [
        c for i in _best_sentences(evidence) if i != here and sentences[i].text not in shown
        for c in snippet_candidates(evidence, question, room, only=i, borrow=i + 1 != here)
        if FILL_MIN <= len(c[0]) <= room and _held(c[0], question, evidence.weights)
    ]
    base = _held(shown, question, evidence.weights)
    best: tuple[float, str] | None = None
    for score, piece, _ in _scored(evidence, question, candidates):
        # A piece that holds question words the snippet lacks adds more than one that says
        # the same again.
        score += COMPLEMENT_WEIGHT * (_held(f"{shown} {piece}", question, evidence.weights) - base)
        if best is None or score > best[0]:
            best = (score, piece)
    return best


def _joined(first: str, second: str) -> str:
    """Two pieces of an article with one ellipsis where they meet."""
    return f"{first.removesuffix('…').rstrip()} … {second.removeprefix('…').lstrip()}"


# A second piece is shown when its score is within a margin of the snippet's: a wide one
# when the snippet leaves room (nothing is lost), a narrow one when the snippet must be cut
# to make room (SPLIT_SHARE of the limit goes to the second piece).
FILL_MARGIN = 0.7
SPLIT_MARGIN = 0.3
SPLIT_SHARE = 0.5
COMPLEMENT_WEIGHT = 0.3
FILL_MIN = 20  # a shorter piece says too little to be worth reading
HEAD_SHARES = (0.3, 0.5)  # shares of the limit a long sentence's start may take (_head_and_tail)


def snippet_candidates(
    evidence: Evidence, question: Question, limit: int = ANSWER_LIMIT, only: int | None = None,
    borrow: bool = True,
) -> Iterator[tuple[str, int, float]]:
    """What a snippet may be: (text, index of the sentence it comes from, penalty).

    Candidates come from the article's best few sentences by retrieval score: whole when
    they fit (a short one may take in the start of the next sentence, where Korean articles
    often put the detail a question asks for), two of them together when both fit, else
    the longest runs of clauses that fit. `only`: the candidates of that sentence alone;
    `borrow`: whether the next sentence may be taken in.
    """
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    order = [only] if only is not None else _best_sentences(evidence)
    for a in order:
        for b in order:
            # Two of the best sentences together, in article order, when both fit.
            if a < b and len(sentences[a].text) + len(sentences[b].text) + 2 <= limit:
                joint = sentences[a].text + (" " if b == a + 1 else " … ") + sentences[b].text
                yield joint, (a if scores[a] >= scores[b] else b), PAIR_PENALTY
    for i in order:
        text = sentences[i].text
        if len(text) <= limit:
            yield text, i, 0.0
            if borrow and i + 1 < len(sentences) and len(text) < limit * 0.7:
                extra = _fit(clauses(sentences[i + 1].text), limit - len(text) - 1)
                if extra:
                    yield text + " " + extra, i, BORROW_PENALTY
            continue
        pieces = clauses(text)
        for start in range(len(pieces)):
            window = _fit(pieces[start:], limit)
            if window:
                yield _mark_cut(window, text), i, 0.0
        yield _cut_long(text, question, limit), i, 0.05
        for share in HEAD_SHARES:
            yield _head_and_tail(text, int(limit * share), limit), i, 0.0


SENTENCE_RANK = 0.3  # weight of the retrieval's sentence score against the snippet's worth
BORROW_PENALTY = 0.05  # taking in part of the next sentence must be worth it
PAIR_PENALTY = 0.0  # two sentences of the article, when both fit
NOVEL_WEIGHT = 0.06  # per word the question does not contain (an answer is news to it)
NOVEL_CAP = 5
KIND_WEIGHT = 0.35  # holds a value of the asked kind (date, amount)
HEAD_WEIGHT = 0.2  # holds the noun the question asks about
PREDICATE_WEIGHT = 0.25  # holds the question's predicate
PARTICLE_WEIGHT = 0.1  # ...said with the particle the question asks with (부터, 까지)
TOP_SENTENCES = 5  # the article's best sentences a snippet may come from


def _best_sentences(evidence: Evidence) -> list[int]:
    """Indices of the article's TOP_SENTENCES best sentences by retrieval score, best first."""
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    return sorted(range(len(sentences)), key=lambda i: -scores[i])[:TOP_SENTENCES]


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
    marks = [m for t in question.terms for m in _positions(text, t)]
    marks += [m.start() for m in kind_values_of(text, question)]
    centre = sum(marks) / len(marks) if marks else 0
    start = max(0, min(int(centre - limit / 2), len(text) - limit + 2))
    if start:  # whole words at both ends
        space = text.rfind(" ", 0, start + 1)
        after = text.find(" ", start)
        if space > 0 and start - space < 10:
            start = space + 1
        elif 0 <= after < start + 10:
            start = after + 1
    end = min(len(text), start + limit - 2)
    if end < len(text):
        space = text.rfind(" ", start, end + 1)
        end = space if space > start + limit // 2 else end
    window = text[start:end].rstrip()
    return ("…" if start else "") + window + ("…" if end < len(text) else "")


def _positions(text: str, term: str) -> Iterator[int]:
    at = text.find(term)
    while at >= 0:
        yield at
        at = text.find(term, at + 1)


def _head_and_tail(text: str, head_size: int, limit: int) -> str:
    """A long sentence's start and end with its middle left out: a Korean sentence names
    who acted first and what they did last ('…윤미향 대표는 … 해명이라고 반박했다')."""
    cut = text.rfind(" ", 0, head_size)
    head = text[: cut if cut > 0 else head_size].rstrip(",， ")
    room = limit - len(head) - 3
    start = len(text) - room
    space = text.find(" ", start)
    tail = text[space + 1 if 0 <= space < len(text) - 1 else start:]
    return f"{head} … {tail}"


def newest_figure(
    found: Retrieval, snippet: Snippet
) -> tuple[Evidence, Snippet, tuple[Evidence, str] | None] | None:
    """The evidence that should answer a 'how much / when' question, when not the top one.

    Among the near-equal candidates on the top article's story that state a value of the
    asked kind, the best one answers, unless a newer article about the same story states one too: then the newest
    does, and an older different figure of the same thing is returned as what it revised.
    Returns (evidence, its snippet, (older evidence, its value) or None), or None when the
    top evidence stands as it is.
    """
    question = found.question
    if question.kind not in ("date", "amount") or len(found.evidence) < 2:
        return None
    top = found.evidence[0]
    candidates = [(top, snippet)]
    top_held = _held(snippet.text, question)
    for other in found.evidence[1:4]:
        if other.score >= 0.7 * top.score:
            # As much of the question in what it would answer with (which may span two
            # sentences: '코GPT 2.0은 … 이 모델의 매개변수는 300억개').
            other_snippet = best_snippet(other, question)
            if _held(other_snippet.text, question) >= 0.7 * top_held:
                candidates.append((other, other_snippet))
    # Only the top article and others on the same story: a value elsewhere answers
    # a different question ('양산은 언제' of another company's product).
    valued = [(e, s, v) for e, s in candidates
              if (e is top or _same_story(e, top)) and (v := answer_value(s.text, question))]
    if not valued:
        return None
    base = valued[0]  # candidates come best first
    # A version or model the question names ('엑사원 3.0') must be named by a newer answer
    # too: the 4.0 article's figure is no news about 3.0.
    marks = [t for t in question.terms if re.search(r"[0-9a-z]", t)]
    named = [t for t in marks if t in _words_of(base[0], base[1])]
    story = [base] + [c for c in valued[1:] if _same_story(c[0], base[0])
                      and all(t in _words_of(c[0], c[1]) for t in named)
                      and _same_subject(c[1].text, base[1].text, base[2], question)]
    dated = sorted((c for c in story if c[0].article.published_at),
                   key=lambda c: c[0].article.published_at or "", reverse=True)
    newest = dated[0] if dated else base
    for e, older_snippet, value in dated[1:]:
        same_day = e.article.published_at == newest[0].article.published_at
        if (squash_value(value) != squash_value(newest[2]) and not same_day
                and unit_of(value) == unit_of(newest[2])
                and _same_subject(newest[1].text, older_snippet.text, value, question)):
            return newest[0], newest[1], (e, value)
    if newest[0] is top:
        return None
    return newest[0], newest[1], None


def _words_of(evidence: Evidence, snippet: Snippet) -> set[str]:
    return set(evidence.article.title_morphs.split()) | set(morph.index_terms_of(snippet.text))


def _same_story(a: Evidence, b: Evidence) -> bool:
    """Whether two articles report on the same thing: their titles share at least two words
    and a quarter of the shorter title's words."""
    first, second = set(a.article.title_morphs.split()), set(b.article.title_morphs.split())
    shared = first & second
    return len(shared) >= 2 and len(shared) >= 0.25 * min(len(first), len(second))


def _same_subject(newer: str, older: str, old_value: str, question: Question) -> bool:
    """Whether the older value is said of the same thing as the newer answer.

    The sentence holding the older value must carry most (60%) of the question's weight that
    the newer answer carries, and every number or Latin word of it: those name versions and
    models, so '1세대 코GPT는 60억개' does not revise '코GPT 2.0은 300억개' (no 2.0 there) and
    no revision is claimed where there was none.
    """
    wanted = {t for t in question.terms if t in set(morph.index_terms_of(newer))}
    sentence = next((s for s in re.split(r"(?<=[.!?])\s+", older) if old_value in s), "")
    have = set(morph.index_terms_of(sentence))
    if not wanted or any(t not in have for t in wanted if re.search(r"[0-9a-z]", t)):
        return False

    weights = question.weights or {t: 1.0 for t in question.terms}
    total = sum(weights.get(t, 1.0) for t in wanted)
    return sum(weights.get(t, 1.0) for t in wanted & have) >= 0.6 * total


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None)
