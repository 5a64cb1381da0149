"""What a sentence must say to be about what a question asks: the asked noun or the
question's predicate (in its forms or in other words), and the words that say which one.

Both the check that an article states the answer (answer.statement) and the value put up
front (answer.value) hold a sentence or a clause against these.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analysis.paraphrase import kin_forms
from answer.question import NOT_ANCHORS, Question

_DERIVATIONAL = frozenset("자형량액율률수비료금")
# Words that say which one of several is meant: the answer must say them too.
# (Not 첫: '7월 첫주' dates a poll; the sentence says '지난 4~6일'.)
QUALIFIERS = ("다음", "차기", "후임", "전임", "직전", "마지막")


@dataclass(frozen=True, slots=True)
class Anchors:
    """What a stating sentence must say (as written): the asked noun or its stem, or the
    predicate in one of its forms or in the other words the project's table gives it
    (analysis.paraphrase). Kiwi's neighbours are not used here: they made too many
    sentences look like answers (늘리 -> 줄이, 발발 -> 참화), and cost 3 ms a word."""

    nouns: tuple[str, ...]  # the asked noun, and its stem without a derivational suffix
    forms: tuple[str, ...]  # surface forms of the predicate and of its kin
    # The same with the bare verb stem ('움직이' in 움직이도록): what a value's own
    # sentence must say.
    own: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.nouns or self.forms)

    def held_by(self, text: str) -> bool:
        lowered = text.lower()  # the asked noun may be Latin ('npu' of 'NPU')
        return any(n in lowered for n in self.nouns) or any(f in text for f in self.forms)


@lru_cache(maxsize=2048)
def _anchors(asked: str, predicate: tuple[str, ...], stem: tuple[str, str]) -> Anchors:
    nouns: tuple[str, ...] = ()
    if asked and asked not in NOT_ANCHORS:
        nouns = (asked,)
        # '전사자' is said as '전사한', '벌금형' as '벌금 300만원형'; but 대법원장 is not
        # 대법원, so only a derivational suffix is dropped.
        if len(asked) >= 3 and asked[-1] in _DERIVATIONAL:
            nouns += (asked[:-1],)
    forms = tuple(dict.fromkeys(
        tuple(predicate) + (kin_forms(*stem, neighbours=False) if stem[0] else ())))
    own = forms
    if stem[1] in ("VV", "VA") and len(stem[0]) >= 2:
        own += (stem[0],)  # '움직이' is in 움직이도록 and every other regular form
    return Anchors(nouns, forms, own)


def qualifiers_of(question: Question) -> tuple[str, ...]:
    """The question's words that say which one is meant ('다음 합동회의', '후임 장관')."""
    return tuple(q for q in QUALIFIERS if q in question.sequence)


def anchors_of(question: Question) -> Anchors:
    found = _anchors(question.asked, question.predicate, question.predicate_stem)
    other = question.alternatives.get(question.asked, ())  # 파라미터 / 매개변수
    return Anchors(found.nouns + other, found.forms, found.own) if other else found
