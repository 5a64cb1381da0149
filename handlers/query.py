"""Reading a user's question: its content morphemes and what kind of answer it wants."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import morph

# Morphemes that only say "this is a question"; they carry no topic.
QUESTION_WORDS = frozenset(
    {
        "무엇", "뭐", "무슨", "어떤", "어떻", "어느", "누구", "누가", "언제", "어디", "얼마",
        "몇", "왜", "어찌", "하", "되", "있", "없", "알리", "알", "주", "말하", "그럼", "그러면",
        "그", "이", "저", "것", "거", "수", "좀", "대하", "관하", "궁금", "나요", "야",
    }
)

# The kind of answer a question asks for, from the question word it contains.
# Date cues come first: "몇 년" asks for a date although it contains "몇".
TYPE_CUES: tuple[tuple[str, str], ...] = (
    ("언제", "date"), ("며칠", "date"), ("몇 년", "date"), ("몇년", "date"), ("연도", "date"),
    ("누구", "person"), ("누가", "person"), ("누군", "person"),
    ("얼마", "amount"), ("몇", "amount"), ("규모", "amount"), ("예산", "amount"),
    ("어디", "place"), ("어느 곳", "place"),
)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    terms: list[str]  # content morphemes without question words, in order, unique
    kind: str  # 'person', 'amount', 'date', 'place' or 'other'


def question_kind(text: str) -> str:
    for cue, kind in TYPE_CUES:
        if cue in text:
            return kind
    return "other"


def read_question(text: str) -> Question:
    terms = [t for t in morph.content_morphemes(text) if t not in QUESTION_WORDS]
    return Question(text, list(dict.fromkeys(terms)), question_kind(text))
