"""/ask: the sentence that answers a question, with its source; or an honest "don't know"."""

from __future__ import annotations

import re

from handlers.format import source_line
from handlers.korean import copula
from handlers.query import Question, read_question
from handlers.reply import Reply, esc
from handlers.retrieval import KIND_PATTERNS, Retrieval, retrieve
from handlers.services import ChatContext, Services

SOURCE_MARK = "📰"  # source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
ANSWER_LIMIT = 120  # characters of answer text; the source line comes after it

# Places where a long Korean sentence can be cut into clauses.
_CLAUSE_BREAK = re.compile(r"(?<=[,，며고서데만나])\s+")


def answer_question(services: Services, text: str, prefer: list[int] | None = None) -> Reply:
    """Answer `text` from the store; the reply cites the article it comes from."""
    question = read_question(text)
    if not question.terms:
        return Reply("무엇을 물어보시는지 알아보지 못했어요. 예: /ask 코GPT 2.0 매개변수는?")
    found = retrieve(services.db, question, prefer=prefer)
    if not found.confident:
        return abstain(question, found)
    top = found.evidence[0]
    answer = trim_to_answer(top.sentence.text, question, ANSWER_LIMIT)
    lines = []
    value = answer_value(answer, question)
    if value:
        lines.append(f"<b>{esc(copula(value))}</b>")
    lines.append(f"“{esc(answer)}”")
    lines.append(source_line(top.article))
    ids = [e.article.id for e in found.evidence[:10]]
    return Reply("\n".join(lines), link_preview=True, article_ids=ids)


def abstain(question: Question, found: Retrieval) -> Reply:
    keywords = " ".join(question.terms[:4])
    ids = [e.article.id for e in found.evidence[:10]]
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요.",
        article_ids=ids,
    )


def answer_value(sentence: str, question: Question) -> str:
    """The amount or date the question asks for, as the sentence words it ('' if none)."""
    pattern = KIND_PATTERNS.get(question.kind)
    if question.kind not in ("amount", "date") or pattern is None:
        return ""
    matches = [m for m in pattern.finditer(sentence)]
    if not matches:
        return ""
    # The value nearest to where the question's words appear in the sentence.
    anchors = [sentence.find(t) for t in question.terms if t in sentence]
    if not anchors:
        return matches[0].group().strip()
    centre = sum(anchors) / len(anchors)
    return min(matches, key=lambda m: abs(m.start() - centre)).group().strip()


def trim_to_answer(sentence: str, question: Question, limit: int) -> str:
    """The part of `sentence` that answers: whole when short, else the best run of clauses."""
    if len(sentence) <= limit:
        return sentence
    chunks = [c for c in _CLAUSE_BREAK.split(sentence) if c]
    pattern = KIND_PATTERNS.get(question.kind)

    def worth(chunk: str) -> float:
        hits = sum(1 for t in question.terms if t in chunk)
        return hits + (1.5 if pattern and pattern.search(chunk) else 0)

    best, best_worth = "", -1.0
    for i in range(len(chunks)):
        text, total = "", 0.0
        for j in range(i, len(chunks)):
            candidate = (text + " " + chunks[j]).strip()
            if len(candidate) > limit:
                break
            text, total = candidate, total + worth(chunks[j])
            if total > best_worth or (total == best_worth and len(text) < len(best)):
                best, best_worth = text, total
    if not best:  # one clause longer than the limit: cut it around its start
        best = chunks[0][: limit - 1].rstrip()
    prefix = "…" if not sentence.startswith(best) else ""
    suffix = "…" if not sentence.endswith(best) else ""
    return prefix + best + suffix


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None)


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)
