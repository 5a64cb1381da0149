"""Lines that point back at what the bot last showed, for the terminal chat, where there is
no reply button: '2번 자세히' and '두 번째 요약해줘' pick an item of the last list, '관련 기사 1'
opens an item's story, and '자세히' or '이거 요약해줘' with no subject of its own tells more of
the last answer. In Telegram the same words come as a reply to that message."""

from __future__ import annotations

from answer.latest import subject_terms
from answer.question import read_question
from handlers.story import is_related_request


def points_back(text: str) -> bool:
    """Whether `text` is about the last reply rather than a question of its own."""
    if is_related_request(text):
        return True
    question = read_question(text)
    return bool(question.item) or (question.retell and not subject_terms(question))


def follow_up_command(text: str) -> str:
    """The command a line that points back runs: 'story' for related articles, else 'ask'."""
    return "story" if is_related_request(text) else "ask"
