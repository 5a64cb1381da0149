"""Choosing what to show of an article: the stretch of at most ANSWER_LIMIT characters
that best answers a question, and, when unsure, a piece of a second sentence beside it.

Candidates are the article's best sentences (whole, paired, or cut into runs of clauses,
around the question's words, or start and end); each is scored by the share of the
question's weight it holds, the new words it brings, and whether it holds the predicate,
the noun asked about and a value or named thing of the asked kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from answer.kinds import NOT_A_NUMBER_MAN, gives_reason, lists_items, reason_strength
from answer.question import Question, holds_predicate
from answer.retrieval import Evidence
from answer.value import answer_values, kind_values_of
from store.search import SentenceHit

ANSWER_LIMIT = 120  # characters of answer text; the source line comes after it

# Places where a long Korean sentence can be cut into clauses: after a comma, or after a
# connective ending (…며, …고, …서, …데, …지만, …나) followed by a space.
_CLAUSE_BREAK = re.compile(r"(?<=[,，;])\s+|(?:(?<=[며고서데나면니])|" + NOT_A_NUMBER_MAN + r")\s+(?=\S)")
_WORD = re.compile(r"[0-9A-Za-z가-힣]+")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    score: float
    sentence: SentenceHit


def held_share(text: str, question: Question, weights: dict[str, float] | None = None) -> float:
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


_QUOTED = r"['‘\"“][^'’\"”\n]{1,30}['’\"”]"


def _quoted_name_of(text: str, noun: str) -> bool:
    """Whether `text` gives a name in quotes right beside `noun` (태풍 ‘위투’, '슈퍼 하이웨이'
    구상)."""
    noun = re.escape(noun)
    return re.search(rf"{noun}\s?{_QUOTED}|{_QUOTED}\s?(?:라는\s|이라는\s)?{noun}", text) is not None


def _worth(
    text: str,
    question: Question,
    answers: Sequence[str] = (),
    weights: dict[str, float] | None = None,
    first: frozenset[str] | None = None,
) -> float:
    """How well a piece of text answers: question weight it holds, new words, a value or a
    named thing of the asked type (`answers`: those the article has; `first`: those of the
    kind the question asks first, a place before a body for '어디서', when it asks two)."""
    weights = weights or question.weights or {t: 1.0 for t in question.terms}
    held = held_share(text, question, weights)
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
        particle = question.particle
        if particle and any(text.startswith(particle, m.end()) for m in values):
            score += PARTICLE_WEIGHT  # '언제부터?' is answered by '이달 말부터'
    elif any(a in text for a in answers):
        # '어디서 열렸어?' is answered by a place (평양 김일성광장) before a body (노동신문).
        plain = first is None or any(a in text for a in first)
        score += KIND_WEIGHT if plain else KIND_WEIGHT * OTHER_KIND_SHARE
    elif question.kind == "name" and question.asked and _quoted_name_of(text, question.asked):
        score += KIND_WEIGHT  # '태풍 이름은?' is answered by 태풍 ‘위투’, '…구상 이름' by '…' 구상
    if question.intent == "why" and gives_reason(text):
        score += KIND_WEIGHT  # '왜?' is answered by the clause that gives the reason
    if question.intent == "list" and lists_items(text):
        score += KIND_WEIGHT  # '뭐뭐 있어?' by the one that lists them
    return score


_WHERE_AT = re.compile(r"어디\s?(?:에)?서")  # where something took place, not which body


def _of_first_kind(evidence: Evidence, question: Question) -> frozenset[str] | None:
    """The likely answers of the kind a question that allows two asks first ('어디서
    열렸어?': a place); None when it allows one kind, or does not ask where it happened
    ('…한 곳은?' may be a body, a service or a part of a thing)."""
    if len(question.wants) < 2 or not _WHERE_AT.search(question.text):
        return None
    return frozenset(text for named in evidence.names.values()
                     for kind, text in named if kind == question.wants[0])


def reason_snippet(evidence: Evidence, question: Question,
                   limit: int = ANSWER_LIMIT) -> Snippet | None:
    """For '왜?' and '어떻게?': the best of the article's sentences that give a reason or a
    means (retrieval scores them up near the sentence that states the fact), cut to
    `limit`; None when none does."""
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    strength = [reason_strength(s.text) if scores[i] > 0 else 0 for i, s in enumerate(sentences)]
    giving = [i for i in range(len(sentences)) if strength[i]]
    if not giving:
        return None
    # A sentence that says outright why beats a better-ranked one that only may.
    i = max(giving, key=lambda j: (strength[j], scores[j]))
    candidates = [c for c in snippet_candidates(evidence, question, limit, only=i) if c[1] == i]
    score, text, _ = max(_scored(evidence, question, candidates), key=_first)
    return Snippet(text, score, sentences[i])


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(sentence) if c]


def best_snippet(evidence: Evidence, question: Question, limit: int = ANSWER_LIMIT) -> Snippet:
    """The stretch of the article, at most `limit` characters, that best answers."""
    sentences = evidence.others or [evidence.sentence]
    candidates = snippet_candidates(evidence, question, limit)
    score, text, i = max(_scored(evidence, question, candidates), key=_first)  # first of equals
    return Snippet(text, score, sentences[i])


def runner_up_snippets(evidence: Evidence, question: Question, shown: Snippet,
                       count: int, limit: int = ANSWER_LIMIT) -> list[Snippet]:
    """The next best snippets after `shown`, best first, each from a sentence of its own
    (none from the sentence `shown` comes from)."""
    sentences = evidence.others or [evidence.sentence]
    seen = {shown.sentence.sentence_id}
    found: list[Snippet] = []
    ranked = sorted(_scored(evidence, question, snippet_candidates(evidence, question, limit)),
                    key=lambda item: -item[0])
    for score, text, i in ranked:
        if sentences[i].sentence_id in seen:
            continue
        seen.add(sentences[i].sentence_id)
        found.append(Snippet(text, score, sentences[i]))
        if len(found) >= count:
            break
    return found


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
    first = _of_first_kind(evidence, question)
    for text, i, penalty in candidates:
        worth = _worth(text, question, answers, evidence.weights, first)
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
        if FILL_MIN <= len(c[0]) <= room and held_share(c[0], question, evidence.weights)
    ]
    base = held_share(shown, question, evidence.weights)
    best: tuple[float, str] | None = None
    for score, piece, _ in _scored(evidence, question, candidates):
        # A piece that holds question words the snippet lacks adds more than one that says
        # the same again.
        score += COMPLEMENT_WEIGHT * (held_share(f"{shown} {piece}", question, evidence.weights) - base)
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
                # The next sentence's clause that names a likely answer ('이날 인도네시아
                # 자카르타 … 호텔에서'), when its opening clauses do not.
                answer_clause = _answer_window(evidence, question, sentences[i + 1],
                                               limit - len(text) - 3, extra)
                if answer_clause:
                    yield text + " " + answer_clause, i, ANSWER_BORROW_PENALTY
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
ANSWER_BORROW_PENALTY = 0.03  # ...less so for the part of it that names a likely answer
PAIR_PENALTY = 0.0  # two sentences of the article, when both fit
NOVEL_WEIGHT = 0.06  # per word the question does not contain (an answer is news to it)
NOVEL_CAP = 5
KIND_WEIGHT = 0.35  # holds a value of the asked kind (date, amount)
HEAD_WEIGHT = 0.2  # holds the noun the question asks about
PREDICATE_WEIGHT = 0.25  # holds the question's predicate
PARTICLE_WEIGHT = 0.1  # ...said with the particle the question asks with (부터, 까지)
TOP_SENTENCES = 5  # the article's best sentences a snippet may come from
OTHER_KIND_SHARE = 0.5  # of KIND_WEIGHT, for a likely answer of the kind asked second
ANSWER_WINDOW_MIN = 30  # characters a window cut around an answer needs to say anything


def _best_sentences(evidence: Evidence) -> list[int]:
    """Indices of the article's TOP_SENTENCES best sentences by retrieval score, best first."""
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    return sorted(range(len(sentences)), key=lambda i: -scores[i])[:TOP_SENTENCES]


def _answer_window(evidence: Evidence, question: Question, sentence: SentenceHit,
                   room: int, opening: str) -> str:
    """A run of `sentence`'s clauses, fitting in `room`, that names a likely answer the
    sentence holds that its `opening` does not, of the kind asked first ('어디서' -> a
    place before a body); else the words around that answer; marked as cut; '' when none
    fits."""
    found = [a for a in evidence.answers.get(sentence.sentence_id, ()) if a not in opening]
    if not found:
        return ""
    kinds = dict((text, kind) for kind, text in evidence.names.get(sentence.sentence_id, ()))
    wants = question.wants or ()
    ranked = sorted(found, key=lambda a: wants.index(kinds[a]) if kinds.get(a) in wants else len(wants))
    text = sentence.text
    pieces = clauses(text)
    for answer in ranked:
        for start in range(len(pieces)):
            window = _fit(pieces[start:], room)
            if answer in window:
                return _mark_cut(window, text)
        at = text.find(answer)
        if at >= 0 and room >= ANSWER_WINDOW_MIN:
            # No clause fits whole: the words around the answer, a few before it.
            words = text[text.rfind(" ", 0, max(0, at - room // 4)) + 1:].split()
            window = _fit(words, room)
            if answer in window:
                return _mark_cut(window, text)
    return ""


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
