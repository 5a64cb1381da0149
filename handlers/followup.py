"""Lines that point back at what the bot last showed, where no reply says so (the terminal
chat, a private chat): '2번 자세히' and '두 번째 요약해줘' pick an item of the last list,
'관련 기사 1' opens an item's story, '자세히' or '이거 요약해줘' with no subject of its own
tells more of the last answer, and a question that names nothing ('왜 미뤘대?', '몇 명이래?')
asks about it. In a group the same words come as a reply to that message."""

from __future__ import annotations

from analysis import morph
from answer.latest import subject_terms
from answer.question import read_question
from handlers.story import is_related_request


def points_back(text: str) -> bool:
    """Whether `text` is about the last reply rather than a question of its own."""
    if is_related_request(text):
        return True
    question = read_question(text)
    if question.intent in ("latest", "window"):
        return False  # '오늘 뉴스 정리해줘' asks for that time's news, whatever was shown
    if question.item or (question.retell and not subject_terms(question)):
        return True
    return bool(question.terms) and names_nothing(text)


def names_nothing(text: str) -> bool:
    """Whether a question has no word that names what it is about ('왜 미뤘대?', '몇 명이래?'):
    it is about what the conversation is about."""
    return not any(t.tag in NAMING for t in morph.tokens(text))


# Word classes that name what a question is about; '왜 미뤘대?' has none of them.
NAMING = frozenset({"NNG", "NNP", "NR", "SN", "SL", "SH", "XR"})


def follow_up_command(text: str) -> str:
    """The command a line that points back runs: 'story' for related articles, else 'ask'."""
    return "story" if is_related_request(text) else "ask"
