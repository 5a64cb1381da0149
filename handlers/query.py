"""Reading a user's question: its content morphemes and what kind of answer it wants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest import morph

# Morphemes that only say "this is a question" (or are too light to steer a search);
# they carry no topic.
QUESTION_WORDS = frozenset(
    {
        "무엇", "뭐", "무슨", "어떤", "어떻", "어느", "누구", "누가", "언제", "어디", "얼마",
        "몇", "왜", "어찌", "하", "되", "있", "없", "알리", "알", "주", "말하", "그럼", "그러면",
        "그", "이", "저", "것", "거", "수", "좀", "대하", "관하", "궁금", "나요", "야", "뭘",
        "무엇때문", "이런", "그런", "어때", "지금", "혹시", "알려주", "말해주",
    }
)

# The kind of answer a question asks for, from the question word it contains.
# Date cues come first: "몇 년" asks for a date although it contains "몇"; '몇 년 동안'
# asks for a duration, which the amount patterns cover.
TYPE_CUES: tuple[tuple[str, str], ...] = (
    ("몇 년 동안", "amount"), ("몇년 동안", "amount"), ("몇 년간", "amount"),
    ("몇년간", "amount"),
    ("언제", "date"), ("며칠", "date"), ("몇 년", "date"), ("몇년", "date"), ("연도", "date"),
    ("몇 월", "date"), ("몇월", "date"), ("날짜", "date"), ("시기", "date"), ("년도", "date"),
    ("누구", "person"), ("누가", "person"), ("누군", "person"), ("인물", "person"),
    ("얼마", "amount"), ("몇", "amount"), ("규모", "amount"), ("예산", "amount"),
    ("매개변수", "amount"), ("파라미터", "amount"), ("가격", "amount"), ("금액", "amount"),
    ("투자액", "amount"), ("매출", "amount"), ("인원", "amount"), ("기업가치", "amount"),
    ("어디", "place"), ("어느 곳", "place"), ("어느 나라", "place"), ("어느 도시", "place"),
)

# Tags of terms that name something specific: they weigh more than common nouns and verbs.
NAME_TAGS = frozenset({"NNP", "SL", "SH", "SN"})


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    terms: list[str]  # content morphemes without question words, in order, unique
    kind: str  # 'person', 'amount', 'date', 'place' or 'other'
    sequence: tuple[str, ...] = ()  # content morphemes in order, repeats kept (for phrases)
    names: frozenset[str] = field(default_factory=frozenset)  # terms tagged as names/numbers
    weights: dict[str, float] = field(default_factory=dict)  # IDF per term, once retrieval knows


def question_kind(text: str) -> str:
    squeezed = re.sub(r"\s+", " ", text)
    for cue, kind in TYPE_CUES:
        if cue in squeezed:
            return kind
    return "other"


@lru_cache(maxsize=2048)
def _analyse(text: str) -> tuple[tuple[str, str], ...]:
    toks = morph.tokens(text)
    # Kiwi keeps some multi-word names as one token ('캐시 크루즈'); the index splits on
    # spaces, so the question's terms must too.
    return tuple(
        (piece, t.tag)
        for t in toks
        if t.tag in morph.CONTENT_TAGS
        for piece in t.form.lower().split()
    )


def read_question(text: str) -> Question:
    text = morph.nfc(text or "").strip()
    analysed = _analyse(text[:500]) if text else ()
    sequence = tuple(form for form, _ in analysed)
    terms = [form for form in sequence if form not in QUESTION_WORDS]
    names = frozenset(form for form, tag in analysed if tag in NAME_TAGS and form in terms)
    return Question(text, list(dict.fromkeys(terms)), question_kind(text), sequence, names)
