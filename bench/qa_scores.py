"""Figures for /ask replies, by the rules ../shared/data/README.md states for each question set.

Three kinds of question rows, told apart by their fields:
- chat questions (`accept`/`reject`, a `kind` each): right by kind (`chat_figures`);
- news questions (`answers`, `doc_id`, a `kind` with `unanswerable` among them, maybe `also`):
  answer in reply, hit@1 counting other outlets that state the same fact, wrong value up front,
  declines and values up front on unanswerable questions (`news_figures`);
- KorQuAD-style rows (`answers`, `doc_id`): hit@k, MRR and answer in reply (`retrieval_figures`).

Replies are compared as the README says: NFC, whitespace (and for news, commas) removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

# What a reply's first line says when it declines (news rules; the chat rules accept the
# first two only).
NEWS_DECLINE = re.compile(r"찾지 못했|확실히 답할|답할 기사를|알 수 없|기사에 없|나오지 않아요\. 가장 가까운")
CHAT_DECLINE = ("찾지 못했", "확실히 답할")
VALUE_HEAD = re.compile(r"^(.{1,60}?)(?:이에요|예요|이요|요)\.\s")
SOURCE_MARK = "📰"
EARLIER_NOTE = re.compile(r"\s*\(이전 보도:[^)]*\)")
UNKNOWN_NOTE = "기사에 나오지 않아요"
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
SENTENCE_END = re.compile(r"[.?!](?=\s|$)|…")
CHAT_KINDS = ("fact", "why", "list", "comparison", "latest", "today", "changed", "unanswerable",
              "slang")


def question_set(rows: list[dict]) -> str:
    """'chat', 'news', 'retrieval' (gold doc and answers only) or 'none'."""
    if any("accept" in r for r in rows):
        return "chat"
    if any(r.get("kind") == "unanswerable" or "also" in r for r in rows):
        return "news"
    if any(r.get("doc_id") for r in rows):
        return "retrieval"
    return "none"


def _first_line(reply: str) -> str:
    return (reply or "").strip().split("\n")[0]


def _news_squash(text: str) -> str:
    return re.sub(r"[\s,]", "", unicodedata.normalize("NFC", text or "")).lower()


def _plain_squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text or "").split())


def _head_is(head: str, answer: str) -> bool:
    """The value up front is the answer, or the answer's number without its words ('38년' for
    '38년만'), but not only a piece of it ('1년' for '1년 5개월 만')."""
    h, a = _news_squash(head), _news_squash(answer)
    if a in h:
        return True
    return bool(h) and h in a and re.findall(r"\d+", h) == re.findall(r"\d+", a)


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def news_figures(questions: list[dict], preds: dict[str, dict]) -> dict:
    answerable = unanswerable = 0
    found = hit1 = heads = wrong = declined_ok = declined_bad = head_unanswerable = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in questions:
        p = preds.get(q["id"], {})
        reply, cited = p.get("reply", ""), p.get("doc_ids", [])
        declined = bool(NEWS_DECLINE.search(_first_line(reply)))
        head = None if declined else VALUE_HEAD.match(reply.strip())
        if q.get("kind") == "unanswerable" or not q.get("answers"):
            unanswerable += 1
            declined_ok += declined
            head_unanswerable += head is not None
            continue
        answerable += 1
        others = [a for a in q.get("also") or [] if a.get("doc_id")]
        accepted = list(q["answers"]) + [a["answer"] for a in others if a.get("answer")]
        ok = any(_news_squash(a) in _news_squash(reply) for a in accepted)
        found += ok
        hit1 += bool(cited) and cited[0] in {q["doc_id"], *(a["doc_id"] for a in others)}
        declined_bad += declined
        if head is not None:
            heads += 1
            wrong += not any(_head_is(head.group(1), a) for a in accepted)
        by_kind[q.get("kind", "other")][0] += 1
        by_kind[q.get("kind", "other")][1] += ok
    return {
        "answerable": answerable, "unanswerable": unanswerable,
        "answer_in_reply": _share(found, answerable), "hit@1": _share(hit1, answerable),
        "value_heads": heads, "wrong_value_up_front": _share(wrong, answerable),
        "declined_answerable": _share(declined_bad, answerable),
        "declined_unanswerable": _share(declined_ok, unanswerable),
        "value_up_front_on_unanswerable": _share(head_unanswerable, unanswerable),
        "answer_in_reply_by_kind": {k: _share(v[1], v[0]) for k, v in sorted(by_kind.items())},
    }


def _chat_squash(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(STRAIGHT_QUOTES)
    return "".join(ch for ch in text if not ch.isspace() and ch != ",")


def _answer_lines(reply: str) -> list[str]:
    return [line.strip() for line in reply.split("\n")
            if line.strip() and not line.strip().startswith(SOURCE_MARK)]


def _first_sentence(reply: str) -> str:
    lines = _answer_lines(reply)
    if len(lines) > 1 and UNKNOWN_NOTE in lines[0]:
        lines = lines[1:]
    if not lines:
        return ""
    line = EARLIER_NOTE.sub("", lines[0])
    end = SENTENCE_END.search(line)
    return line[:end.end()] if end else line


def _holds(text: str, element: str | list[str]) -> bool:
    options = [element] if isinstance(element, str) else element
    return any(_chat_squash(o) and _chat_squash(o) in text for o in options)


def chat_right(q: dict, p: dict | None) -> bool:
    """Whether one chat question was answered right (the README's rules)."""
    if p is None:
        return False
    reply = p.get("reply") or ""
    lines = [line for line in reply.split("\n") if line.strip()]
    declined = bool(lines) and any(mark in lines[0] for mark in CHAT_DECLINE)
    if q["kind"] == "unanswerable":
        return declined
    if q["kind"] in ("latest", "today"):
        cited = p.get("doc_ids") or []
        return bool(cited) and cited[0] in q["doc_ids"][:3]
    if declined:
        return bool(q.get("decline_ok"))
    text = _chat_squash(EARLIER_NOTE.sub("", "\n".join(_answer_lines(reply))))
    held = [_holds(text, e) for e in q["accept"]]
    accepted = bool(held) and (all(held) if q.get("all") else any(held))
    first = _chat_squash(_first_sentence(reply))
    rejected = any(_chat_squash(r) and _chat_squash(r) in first for r in q.get("reject", []))
    return accepted and not (rejected and not any(_holds(first, e) for e in q["accept"]))


def chat_figures(questions: list[dict], preds: dict[str, dict]) -> dict:
    kinds: dict[str, list[bool]] = defaultdict(list)
    for q in questions:
        kinds[q["kind"]].append(chat_right(q, preds.get(q["id"])))
    order = [k for k in CHAT_KINDS if k in kinds] + sorted(set(kinds) - set(CHAT_KINDS))
    figures = {k: {"n": len(kinds[k]), "right": sum(kinds[k]),
                   "right_share": _share(sum(kinds[k]), len(kinds[k]))} for k in order}
    everything = [v for k in order for v in kinds[k]]
    figures["overall"] = {"n": len(everything), "right": sum(everything),
                          "right_share": _share(sum(everything), len(everything))}
    return figures


def retrieval_figures(questions: list[dict], preds: dict[str, dict]) -> dict:
    gold = [q for q in questions if q.get("doc_id")]
    hit1 = hit5 = mrr = found = 0.0
    for q in gold:
        p = preds.get(q["id"], {})
        cited = p.get("doc_ids", [])[:10]
        if q["doc_id"] in cited:
            rank = cited.index(q["doc_id"]) + 1
            hit1 += rank == 1
            hit5 += rank <= 5
            mrr += 1 / rank
        reply = _plain_squash(p.get("reply", ""))
        found += any(_plain_squash(a) and _plain_squash(a) in reply for a in q.get("answers", []))
    n = len(gold)
    return {"hit@1": _share(hit1, n), "hit@5": _share(hit5, n), "mrr@10": _share(mrr, n),
            "answer_in_reply": _share(found, n)}
