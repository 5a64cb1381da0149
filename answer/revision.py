"""Revised figures: when a newer article on the same subject states another value of the
thing asked about, the newer one answers; when both are articles of one story (the one
ingest placed them in), the older value is named as what it revised."""

from __future__ import annotations

import re

from analysis import morph
from answer.question import Question
from answer.retrieval import Evidence, Retrieval
from answer.snippet import Snippet, best_snippet, held_share
from answer.value import answer_value, answer_values, squash_value, unit_of


def newest_figure(
    found: Retrieval, snippet: Snippet
) -> tuple[Evidence, Snippet, tuple[Evidence, str] | None] | None:
    """The evidence that should answer a 'how much / when' question, when not the top one.

    Among the near-equal candidates on the top article's topic that state a value of the
    asked kind, the best one answers, unless a newer article on the same topic states one
    too: then the newest does, and an older different figure of the same thing in the
    newest one's story is returned as what it revised.
    Returns (evidence, its snippet, (older evidence, its value) or None), or None when the
    top evidence stands as it is.
    """
    question = found.question
    if question.kind not in ("date", "amount") or len(found.evidence) < 2:
        return None
    top = found.evidence[0]
    candidates = [(top, snippet)]
    top_held = held_share(snippet.text, question)
    for other in found.evidence[1:4]:
        if other.score >= 0.7 * top.score:
            # As much of the question in what it would answer with (which may span two
            # sentences: '코GPT 2.0은 … 이 모델의 매개변수는 300억개').
            other_snippet = best_snippet(other, question)
            if held_share(other_snippet.text, question) >= 0.7 * top_held:
                candidates.append((other, other_snippet))
    # Only the top article and others on its topic: a value elsewhere answers a different
    # question ('양산은 언제' of another company's product).
    valued = [(e, s, v) for e, s in candidates
              if (e is top or _same_topic(e, top)) and (v := answer_value(s.text, question))]
    if not valued:
        return None
    base = valued[0]  # candidates come best first
    # A version or model the question names ('엑사원 3.0') must be named by a newer answer
    # too: the 4.0 article's figure is no news about 3.0.
    marks = [t for t in question.terms if re.search(r"[0-9a-z]", t)]
    named = [t for t in marks if t in _words_of(base[0], base[1])]
    # A figure said as the measure asked ('1650억원 규모의') is revised only by one said so
    # too: '시리즈B 당시 인정받은 8800억원' is the valuation, not the round's size.
    measured = _said_as(base[1].text, base[2], question.head)
    story = [base] + [c for c in valued[1:] if _same_topic(c[0], base[0])
                      and all(t in _words_of(c[0], c[1]) for t in named)
                      and _same_subject(c[1].text, base[1].text, base[2], question)
                      and (not measured or _said_as(c[1].text, c[2], question.head))]
    dated = sorted((c for c in story if c[0].article.published_at),
                   key=lambda c: c[0].article.published_at or "", reverse=True)
    newest = dated[0] if dated else base
    for e, older_snippet, value in dated[1:]:
        same_day = e.article.published_at == newest[0].article.published_at
        if (squash_value(value) != squash_value(newest[2]) and not same_day
                and unit_of(value) == unit_of(newest[2])
                and _same_story(e, newest[0])
                and _same_subject(newest[1].text, older_snippet.text, value, question)
                and not _counts_several(newest[1].text, newest[2], question)):
            return newest[0], newest[1], (e, value)
    if newest[0] is top:
        return None
    return newest[0], newest[1], None


MEASURE_REACH = 8  # characters around a value within which its measure noun names it


def _said_as(text: str, value: str, head: str) -> bool:
    """Whether `value` is said with the noun `head` next to it ('1650억원 규모의',
    '기업가치는 1조원')."""
    at = text.find(value)
    if not head or at < 0:
        return False
    return head in text[max(0, at - MEASURE_REACH):at + len(value) + MEASURE_REACH]


def _words_of(evidence: Evidence, snippet: Snippet) -> set[str]:
    return set(evidence.article.title_morphs.split()) | set(morph.index_terms_of(snippet.text))


def _same_story(a: Evidence, b: Evidence) -> bool:
    """Whether two articles report one event: ingest placed them in one story
    (store.stories). Only such an article's figure is named as what a newer one revised,
    so another company's story never lends a revision note."""
    return a.article.story_id is not None and a.article.story_id == b.article.story_id


def _same_topic(a: Evidence, b: Evidence) -> bool:
    """Whether a newer article may answer instead of the top one: the same story, or titles
    that share at least two words and a quarter of the shorter title's words (a follow-up
    months later, such as a delayed launch, is another story on the same subject)."""
    if _same_story(a, b):
        return True
    first, second = set(a.article.title_morphs.split()), set(b.article.title_morphs.split())
    shared = first & second
    return len(shared) >= 2 and len(shared) >= 0.25 * min(len(first), len(second))


def _counts_several(text: str, value: str, question: Question) -> bool:
    """Whether the sentence stating the answer counts two or more things in its unit
    ('관광객 1800여명 가운데 600여명이 입국'): an older figure may then be of another of them
    (the 21명 who landed first), so none is named as what the answer revised."""
    sentence = next((s for s in re.split(r"(?<=[.!?])\s+", text) if value in s), text)
    unit = unit_of(value)
    return sum(unit_of(m.group().strip()) == unit for m in answer_values(sentence, question)) >= 2


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
