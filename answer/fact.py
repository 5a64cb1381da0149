"""One fact a question asks, found: the article and the words that answer it, the value put
up front when the evidence is sure of it, and what a newer figure revised; or why there is
no answer. handlers/ask.py words the reply; answer/compare.py asks two of these.

The snippet is cut from the best article around what answers (answer.snippet), the value
taken from it when the evidence is sure (answer.value); when a newer article states a
different figure than an older one that is about as relevant, the newer one answers and
the older figure is kept as what it revised (answer.revision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from analysis import morph
from analysis.grammar import has_final_consonant
from answer.kinds import reason_strength
from answer.question import EVERYDAY_WORDS, KIND_TYPES, Question
from answer.retrieval import Evidence, Retrieval, retrieve
from answer.revision import newest_figure
from answer.snippet import (
    Snippet,
    best_snippet,
    hedged,
    held_share,
    reason_snippet,
    runner_up_snippets,
)
from answer.statement import (
    held_words,
    names_all,
    stated_first,
    states,
    stating_sentences,
    value_bound,
)
from answer.value import answer_value, person_asked, resolved_date, stored_wording
from store.engine import Database

ANSWERED, NOT_FOUND, NEAREST = "answered", "not found", "nearest"
VALUE_CONFIDENCE = 0.4  # share of the question's weight the evidence holds for a value up front
RUNNER_UP_WITHIN = 0.9  # share of the top article's score a runner-up needs to be weighed
ARTICLE_WEIGHT = 8.0  # article score against snippet score: relevance first, answer second
NOTE_SHARE = 0.25  # share of the question's weight in unknown words that gets them named
# Share of the question's weight (in its article) a reason shown must hold, by how plainly
# it gives a reason: one that says outright why ('…기 위해', '목표는') needs only to touch
# the question, since it is in the answering article already.
REASON_SHARE = {1: 0.2, 2: 0.0}
SEVERAL = re.compile(r"(?<![가-힣])(?:두|세|네|다섯)\s?(?:개|종|가지)(?![가-힣])")
BOUND_TRIES = 2  # passages tried after one whose figure is another's
BOUND_MARGIN = 1.0  # ...scoring at most this much below it
STATE_POOL = 5  # articles weighed for the newest word on a state
STATE_WITHIN = 0.5  # ...when they score at least this share of the best one


@dataclass(frozen=True, slots=True)
class Fact:
    status: str  # ANSWERED; NOT_FOUND (no article is about it); NEAREST (none states it)
    question: Question
    found: Retrieval | None = None
    top: Evidence | None = None
    snippet: Snippet | None = None
    value: str = ""  # the value up front, as the article words it ('' when unsure)
    older: tuple[Evidence, str] | None = None  # an older article and the figure it stated
    unknown: tuple[str, ...] = ()  # question words no article holds, as written, to name

    @property
    def article_ids(self) -> list[int]:
        """The cited articles, the answering one (and the revised one) first."""
        cited = [e.article.id for e in (self.top, self.older[0] if self.older else None) if e]
        rest = [e.article.id for e in (self.found.evidence if self.found else [])]
        return list(dict.fromkeys(cited + rest))


def answer_fact(db: Database, question: Question, prefer: list[int] | None = None) -> Fact:
    """The fact `question` asks, from the store (`prefer`: articles a follow-up continues)."""
    found = retrieve(db, question, prefer=prefer)
    if not found.confident or not found.evidence:
        return Fact(NOT_FOUND, found.question, found)
    if question.intent == "state":
        found = newest_first(found)
    if question.besides:
        found = besides_first(found)
    if question.intent == "why":
        found = naming_first(found)
    found, stated = stated_first(found)
    question = found.question
    if not stated:
        top = found.evidence[0]
        snippet = hedged(best_snippet(top, question), top, question)
        return Fact(NEAREST, question, found, top, snippet)
    if question.intent == "state" or question.besides:
        # The newest word, or the one naming others, stands: no runner-up replaces it.
        snippet = best_snippet(found.evidence[0], question)
    else:
        found, snippet = better_answered(found)
    top = found.evidence[0]
    newest = newest_figure(found, snippet)
    older = None
    if newest is not None:
        # The newest article that states a value answers; an older one that said something
        # else of the same thing is named as what it revised.
        top, snippet, older = newest
        if question.kind == "date" and older is not None:  # a newer answer may revise none
            older = (older[0], resolved_date(db, older[0].article.id, None, older[1]))
    unknown = unknown_words(found)
    if unknown:
        # A word of what is asked that no article holds ('갤럭시 S25' where they say S24):
        # what is shown is only the nearest the articles come, and the reply opens so.
        return Fact(NEAREST, question, found, top, hedged(snippet, top, question), unknown=unknown)
    # A figure up front reads as the answer: only when the evidence holds enough of the
    # question ('무신사 매출은?' must not lead with another company's 2조4000억원).
    sure = found.confidence >= VALUE_CONFIDENCE
    if not sure and question.kind in KIND_TYPES and question.intent != "why" and older is None:
        # A who/when/where/how much the evidence holds too little of the question to answer
        # with a value: the passage shown would read as the answer, so it is shown as the
        # nearest ('윤 대통령 8월 첫째주 지지율 몇 %야?' over another month's party figures).
        return Fact(NEAREST, question, found, top, hedged(snippet, top, question))
    if question.kind == "place" and question.intent != "why" and older is None \
            and not names_where(snippet.text, top.answers, question.text):
        # '어디서 …?' over a passage that names no place or body the question does not:
        # it cannot say where, so it is only the nearest.
        return Fact(NEAREST, question, found, top, hedged(snippet, top, question))
    # '모델 두 개 크기 알려줘' asks for two values: one of them up front would read as all.
    several = question.kind == "amount" and SEVERAL.search(question.text) is not None
    value = answer_value(snippet.text, question) if sure and not several else ""
    if value and question.kind in ("date", "amount") and not value_bound(question, top, value):
        # The best passage's figure is someone else's ('"국내 기업들의 기업가치가 1조원을"');
        # another passage of the article may state the asked one ('기업가치는 1조5500억원').
        snippet, value = _bound_elsewhere(top, question, snippet, value)
    if value and question.kind in ("date", "amount") and (
            not value_bound(question, top, value) or not names_all(question, top, found.unknown)):
        # The figure is someone else's, said beside what was asked about or in an article
        # that never names it (a runner-up that answered 'better'): the passage is only
        # the nearest the articles come.
        return Fact(NEAREST, question, found, top, hedged(snippet, top, question))
    if value and question.kind == "amount":
        value = stored_wording(db, top.article.id, snippet.text, value)
    elif value and question.kind == "date":
        value = resolved_date(db, top.article.id, snippet.text, value)
    elif question.kind == "person" and sure:
        value = person_asked(db, top.article.id, question)
    reason = reason_snippet(top, question) if question.intent == "why" else None
    strength = reason_strength(reason.text) if reason is not None else 0
    if question.intent == "why" and ASKS_WHY.search(question.text) and reason is None \
            and not reason_strength(snippet.text) and not says_it_happened(question, top):
        # '바람 출시 왜 미뤘대?' over an article that gives no reason and never says it was
        # put off: the question's premise is not in it, so it is only the nearest.
        return Fact(NEAREST, question, found, top, hedged(snippet, top, question))
    if strength > reason_strength(snippet.text) \
            and held_share(reason.text, question, top.weights) >= REASON_SHARE[strength]:
        snippet = reason  # '왜?' is answered by the reason, not by the fact asked about
    elif not value and older is None:
        # Nothing sure to put up front: a piece of another sentence that might answer as
        # well is shown too.
        snippet = hedged(snippet, top, question)
    return Fact(ANSWERED, question, found, top, snippet, value, older, unknown)


# '어디서 열렸어?', '어디서 처음 공개함?' ask where an event took place; '어디서 쓸 수 있어?'
# asks something else.
_ASKS_VENUE = re.compile(r"어디(?:에)?서\s?(?:처음\s?|먼저\s?)?(?:열|개최|했|해|하|공개|발표|만나|만났|진행)")
# A place is the venue when '에서' ends it or one of the next four words, unbroken by a
# comma: a venue is written as a place and the hall in it ('경기 용인시 카카오 AI 캠퍼스에서',
# '창원시 창원스포츠파크 내 만남의 광장에서'); '러시아를 방문했다' or '연말까지 중국, 미국과의
# 외교' name no venue.
_VENUE_AFTER = re.compile(r"[^\s,.·…]*(?:\s[^\s,.·…]+){0,4}?에서")


def names_where(text: str, answers: dict[int, list[str]], question_text: str) -> bool:
    """Whether `text` names one of the place or body mentions `answers` holds; for a
    question of where an event took place, as its venue."""
    venue = _ASKS_VENUE.search(question_text) is not None
    for term in {t for ts in answers.values() for t in ts}:
        for m in re.finditer(re.escape(term), text):
            if not venue or _VENUE_AFTER.match(text, m.end()):
                return True
    return False


def _bound_elsewhere(top: Evidence, question: Question, snippet: Snippet,
                     value: str) -> tuple[Snippet, str]:
    """The next of the article's passages that states a value of what was asked and is
    nearly as good as `snippet`; `snippet` and `value` when none is."""
    for other in runner_up_snippets(top, question, snippet, BOUND_TRIES):
        if other.score < snippet.score - BOUND_MARGIN:
            break
        at = next(i for i, s in enumerate(top.others) if s.sentence_id == other.sentence.sentence_id)
        if not states(question, top, at):
            continue
        found = answer_value(other.text, question)
        if found and value_bound(question, top, found):
            return other, found
    return snippet, value


def newest_first(found: Retrieval) -> Retrieval:
    """For '아직 …야?', '지금 …', '결국 …': the newest of the articles about as relevant
    as the best (and naming what it names) answers, since it has the latest word."""
    best = found.evidence[0]
    # A newer one names what is asked where it answers: an article that names it elsewhere
    # ('… GPU 1만5000장 추가 확보') may answer of something else ('국회를 통과한 지 1년').
    close = [e for e in found.evidence[:STATE_POOL] if e.score >= STATE_WITHIN * best.score
             and (e is best or (names_all(found.question, e, in_answer=True)
                                and _states_it(found.question, e)))]
    newest = max(close, key=lambda e: e.article.published_at or "")
    if newest is best:
        return found
    return replace(found, evidence=[newest] + [e for e in found.evidence if e is not newest])


def _states_it(question: Question, evidence: Evidence) -> bool:
    """Whether one of the article's sentences states what is asked, naming someone or
    somewhere besides what the question names when it asks who or where (the tagger's
    names, which stating sentences alone do not require)."""
    stating = stating_sentences(question, evidence)
    if question.kind not in ("person", "place"):
        return bool(stating)
    return any(evidence.answers.get(evidence.others[i].sentence_id) for i in stating)


def naming_first(found: Retrieval) -> Retrieval:
    """For '왜?': the best of the articles about as relevant as the best one that holds
    what the question is about, first ('새솔모빌리티 왜 미뤘대?' is not answered by another
    company's delay that ranks as high on the word 미루다)."""
    best = found.evidence[0]
    if _holds_subject(found.question, best):
        return found
    for e in found.evidence[1:STATE_POOL]:
        if e.score < STATE_WITHIN * best.score:
            break
        if _holds_subject(found.question, e):
            return replace(found, evidence=[e] + [x for x in found.evidence if x is not e])
    return found


def says_it_happened(question: Question, evidence: Evidence) -> bool:
    """Whether the article holds what a '왜?' question says was done: one of its verbs
    ('미루' of '왜 미뤘대?'), or a question with no verb at all."""
    verbs = _verbs(question.text)
    return not verbs or bool(verbs & held_words(evidence, evidence.others or [evidence.sentence])[0])


def _holds_subject(question: Question, evidence: Evidence) -> bool:
    """Whether the article holds most (SUBJECT_SHARE) of the weight of the question's words
    other than its verbs: what the question is about (its names and nouns), whether or not
    the tagger knew them for names."""
    verbs = _verbs(question.text)
    subject = {t: question.weights.get(t, 1.0) for t in question.terms
               if t not in verbs and t not in EVERYDAY_WORDS and t not in question.wholes}
    if not subject:
        return True
    words, text = held_words(evidence, evidence.others or [evidence.sentence])
    # As written, too: a name the tagger split in one place and not in another.
    held = sum(w for t, w in subject.items() if t in words or t in text)
    return held >= SUBJECT_SHARE * sum(subject.values())


SUBJECT_SHARE = 0.75


@lru_cache(maxsize=1024)
def _verbs(question_text: str) -> frozenset[str]:
    """The verbs a question says were done ('미루' of '왜 미뤘대?'): asked of each candidate
    article, read once a question."""
    return frozenset(t.form for t in morph.tokens(question_text)
                     if t.tag.startswith(("VV", "VA"))) - QUESTION_VERBS


# A why question proper: '어떻게 챙겼대?' asks how, and the article's way of saying what
# was done ('높였다') need not be the question's verb.
ASKS_WHY = re.compile(r"왜|이유|까닭")
# Verbs a why question is asked with, not what it asks about ('왜 그런 거야?', '이유가 뭐래?').
QUESTION_VERBS = frozenset({"하", "그렇", "되", "이렇", "있", "없", "말하", "그러"})


def besides_first(found: Retrieval) -> Retrieval:
    """For 'KT 말고 또 있어?': the best of the articles about as relevant as the best one
    whose answering sentence names something besides what the question names, first."""
    best = found.evidence[0]
    question = found.question
    for e in found.evidence[:STATE_POOL]:
        if e.score < STATE_WITHIN * best.score:
            break
        named = e.names.get(e.sentence.sentence_id, ())
        if any(not _named_by(question, text) for _, text in named):
            if e is best:
                return found
            return replace(found, evidence=[e] + [x for x in found.evidence if x is not e])
    return found


def _named_by(question: Question, name: str) -> bool:
    """Whether the question names `name` (every index term of it is one of its terms)."""
    pieces = [t.lower() for t in name.split()]
    return all(p in question.terms or p in question.besides for p in pieces)


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
    if found.question.intent == "why" and _holds_subject(found.question, top) \
            and not _holds_subject(found.question, second):
        return found, snippet  # the runner-up is about something else (naming_first)
    other = best_snippet(second, found.question)
    if ARTICLE_WEIGHT * second.score + other.score <= ARTICLE_WEIGHT * top.score + snippet.score:
        return found, snippet
    ranked = [second, top, *found.evidence[2:]]
    return replace(found, evidence=ranked), other


def unknown_words(found: Retrieval) -> tuple[str, ...]:
    """The question's words no article holds, as the asker wrote them, when they weigh
    enough to make the answer only the nearest one; () otherwise."""
    if found.missing < NOTE_SHARE or not found.unknown:
        return ()
    # Only the names and nouns of what is asked about: never a verb, an adverb or an
    # everyday word ('뽑히', '자세히', '작년', '요즘'), which no article needs to use.
    words = [w.surface for w in found.question.written
             if any(t in found.unknown and t not in EVERYDAY_WORDS for t in w.terms)]
    return tuple(dict.fromkeys(words))[:3]


def quoted(words: tuple[str, ...]) -> str:
    """‘무신사’는, ‘A’, ‘B’은: the words in quotes with the topic particle of the last."""
    return ", ".join(f"‘{w}’" for w in words) + ("은" if has_final_consonant(words[-1]) else "는")
