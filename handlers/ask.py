"""/ask: the words that answer a question, with their source; or an honest "don't know".

The reply is a short snippet (at most ANSWER_LIMIT characters) cut from the best article
around what answers: the clauses that hold the question's words and, for 언제/몇/얼마
questions, the value asked for. When a newer article states a different figure than an
older one that is about as relevant, the newer one answers and the older figure is noted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest import morph
from handlers.format import source_line
from handlers.korean import copula, date_in_full
from handlers.query import Question, read_question
from handlers.reply import Button, Reply, esc
from store.facts import amounts_in_article, dates_in_article, people_in_article
from handlers.retrieval import Evidence, Retrieval, kind_values, retrieve
from handlers.services import ChatContext, Services
from store.search import SentenceHit

SOURCE_MARK = "📰"  # handlers.format.source_line starts with it
ABSTAIN_TEXT = "이 질문에 확실히 답할 기사를 찾지 못했어요."
ANSWER_LIMIT = 120  # characters of answer text; the source line comes after it
MAX_IDS = 10

# Places where a long Korean sentence can be cut into clauses: after a comma, or after a
# connective ending (…며, …고, …서, …데, …지만, …나) followed by a space.
_CLAUSE_BREAK = re.compile(r"(?<=[,，;])\s+|(?<=[며고서데만나면니])\s+(?=\S)")
_WORD = re.compile(r"[0-9A-Za-z가-힣]+")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    score: float
    sentence: SentenceHit


def answer_question(services: Services, text: str, prefer: list[int] | None = None) -> Reply:
    """Answer `text` from the store; the reply cites the article(s) it comes from."""
    question = read_question(text)
    if not question.terms:
        return Reply("무엇을 물어보시는지 알아보지 못했어요. 예: /ask 코GPT 2.0 매개변수는?")
    found = retrieve(services.db, question, prefer=prefer)
    if not found.confident or not found.evidence:
        return abstain(question)
    question = found.question
    top = found.evidence[0]
    snippet = best_snippet(top, question)
    newest = newest_figure(found, snippet)
    older = None
    if newest is not None:
        # The newest article that states a value answers; an older one that said something
        # else of the same thing is named as what it revised.
        top, snippet, older = newest
    lines = []
    value = answer_value(snippet.text, question)
    if value and question.kind == "amount":
        value = stored_wording(services.db, top.article.id, snippet.text, value)
    elif value and question.kind == "date":
        value = resolved_date(services.db, top.article.id, snippet.text, value)
    elif question.kind == "person":
        value = person_asked(services.db, top.article.id, question)
    head = f"<b>{esc(copula(value))}.</b> " if value else ""
    lines.append(f"{head}{esc(snippet.text)}")
    cited = [top.article.id]
    if older is not None:
        old_ev, old_value = older
        if question.kind == "date":
            old_value = resolved_date(services.db, old_ev.article.id, None, old_value)
        lines[-1] += f" (이전 보도: {esc(old_value)})"
        lines.append(source_line(top.article))
        lines.append(source_line(old_ev.article))
        cited.append(old_ev.article.id)
    else:
        lines.append(source_line(top.article))
    ids = cited + [e.article.id for e in found.evidence if e.article.id not in cited]
    if older is not None:  # two sources: no preview card for one of them, no single button
        return Reply("\n".join(lines), link_preview=False, article_ids=ids[:MAX_IDS])
    # One source: its preview card and a 원문 보기 button (Telegram takes only web URLs).
    url = top.article.url
    buttons = [[Button("원문 보기", url=url)]] if url.startswith(("http://", "https://")) else []
    return Reply("\n".join(lines), link_preview=True, article_ids=ids[:MAX_IDS], buttons=buttons)


def stored_wording(db, article_id: int, snippet: str, value: str) -> str:
    """The amount as the fact store holds it for this article ('총 2100억원',
    '1조5000억개 이상'), when a stored fact is that value; else the value as found."""
    for fact in amounts_in_article(db, article_id):
        if _squash(fact.text).endswith(_squash(value)) or _squash(value) in _squash(fact.text):
            if fact.text in snippet and len(fact.text) <= 24:
                return fact.text
    return value


_HAS_YEAR = re.compile(r"\d{4}\s*년")


def resolved_date(db, article_id: int, snippet: str | None, value: str) -> str:
    """A date without its year ('22일', '이달 말') said in full from the date the fact
    store resolved against the article's publish date ('2026년 1월 22일'); the fact is
    looked for in `snippet` when given, else anywhere in the article."""
    if _HAS_YEAR.search(value):
        return value
    for fact in dates_in_article(db, article_id):
        if (fact.iso and _squash(value) in _squash(fact.text)
                and (snippet is None or fact.text in snippet)):
            return date_in_full(fact.text, fact.iso, fact.unit, fact.qualifier)
    return value


def person_asked(db, article_id: int, question: Question) -> str:
    """'카카오 대표는 누구야?' -> '정신아 카카오 대표': the one person the article names
    with the role the question asks about ('' when none, or when two people fit)."""
    asked = _squash(question.text).lower()
    fits = [p for p in people_in_article(db, article_id)
            if p.title and _squash(p.title).lower() in asked and p.name not in question.text]
    named_org = [p for p in fits if p.org and _squash(p.org).lower() in asked]
    if named_org:  # the longest organisation named: 네이버클라우드 over 네이버
        longest = max(len(p.org) for p in named_org)
        fits = [p for p in named_org if len(p.org) == longest]
    if len({p.name for p in fits}) != 1:
        return ""
    person = fits[0]
    return " ".join(part for part in (person.name, person.org, person.title) if part)


def abstain(question: Question) -> Reply:
    keywords = " ".join(question.terms[:4])
    return Reply(
        f"{ABSTAIN_TEXT}\n"
        f"<code>/search {esc(keywords)}</code> 명령으로 관련 기사를 찾아볼 수 있어요."
    )


def is_abstention(reply: Reply) -> bool:
    return reply.html.startswith(ABSTAIN_TEXT)


# --- choosing what to show -------------------------------------------------------------

def _kind_values(text: str, question: Question) -> list[re.Match[str]]:
    return kind_values(text, question.kind, question.text)


def _held(text: str, question: Question, weights: dict[str, float] | None = None) -> float:
    """Share of the question's weight (by default its corpus weight) that `text` holds."""
    weights = weights or question.weights or {t: 1.0 for t in question.terms}
    lowered = text.lower()  # terms are lower-cased morphemes ('hbm', 'gpt')
    return sum(w for t, w in weights.items() if t in lowered) / (sum(weights.values()) or 1.0)


def _worth(
    text: str,
    question: Question,
    answers: Sequence[str] = (),
    weights: dict[str, float] | None = None,
) -> float:
    """How well a piece of text answers: question weight it holds, new words, a value or a
    named thing of the asked type (`answers`: those the article has)."""
    weights = weights or question.weights or {t: 1.0 for t in question.terms}
    held = _held(text, question, weights)
    lowered = text.lower()
    novel = 0
    for w in _WORD.findall(lowered):
        if not any(t in w for t in weights):
            novel += 1
            if novel == NOVEL_CAP:  # counting on changes nothing
                break
    score = held + NOVEL_WEIGHT * novel
    # Dates and amounts are recognised (and unit-checked) on the surface; other kinds by
    # the entities the tagger stored.
    if question.kind in ("date", "amount"):
        values = _answer_values(text, question)
        if values:
            score += KIND_WEIGHT
        particle = asked_particle(question.text)
        if particle and any(text.startswith(particle, m.end()) for m in values):
            score += PARTICLE_WEIGHT  # '언제부터?' is answered by '이달 말부터'
    elif any(a in text for a in answers):
        score += KIND_WEIGHT
    return score


def _answer_values(text: str, question: Question) -> list[re.Match[str]]:
    """Values of the asked kind in `text`, in the asked unit when the question says one."""
    values = _kind_values(text, question)
    units = expected_units(question.text) if values else frozenset()
    return [m for m in values if _unit(m.group().strip()) in units] if units else values


def asked_particle(question_text: str) -> str:
    """'부터' or '까지' when the question asks from or until when ('언제부터 공급해?')."""
    return next((p for p in ("부터", "까지") if p in question_text), "")


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(sentence) if c]


def best_snippet(evidence: Evidence, question: Question, limit: int = ANSWER_LIMIT) -> Snippet:
    """The stretch of the article, at most `limit` characters, that best answers.

    Candidates are the article's best few sentences by retrieval score: whole when they
    fit (a short one may take in the start of the next sentence, where Korean articles
    often put the detail a question asks for), else the longest runs of clauses that fit.
    """
    sentences = evidence.others or [evidence.sentence]
    scores = evidence.sentence_scores or [evidence.sentence.score]
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])[:TOP_SENTENCES]
    top_score = scores[order[0]] or 1.0
    answers = [a for found in evidence.answers.values() for a in found]
    best: Snippet | None = None

    def consider(text: str, i: int, penalty: float = 0.0) -> None:
        nonlocal best
        worth = _worth(text, question, answers, evidence.weights)
        score = SENTENCE_RANK * scores[i] / top_score + worth - penalty
        if best is None or score > best.score:
            best = Snippet(text, score, sentences[i])

    for a in order:
        for b in order:
            # Two of the best sentences together, in article order, when both fit.
            if a < b and len(sentences[a].text) + len(sentences[b].text) + 2 <= limit:
                joint = sentences[a].text + (" " if b == a + 1 else " … ") + sentences[b].text
                consider(joint, a if scores[a] >= scores[b] else b, PAIR_PENALTY)
    for i in order:
        text = sentences[i].text
        if len(text) <= limit:
            consider(text, i)
            if i + 1 < len(sentences) and len(text) < limit * 0.7:
                extra = _fit(clauses(sentences[i + 1].text), limit - len(text) - 1)
                if extra:
                    consider(text + " " + extra, i, BORROW_PENALTY)
            continue
        pieces = clauses(text)
        for start in range(len(pieces)):
            window = _fit(pieces[start:], limit)
            if window:
                consider(_mark_cut(window, text), i)
        consider(_cut_long(text, question, limit), i, 0.05)
    assert best is not None
    return best


SENTENCE_RANK = 0.3  # weight of the retrieval's sentence score against the snippet's worth
BORROW_PENALTY = 0.05  # taking in part of the next sentence must be worth it
PAIR_PENALTY = 0.0  # two sentences of the article, when both fit
NOVEL_WEIGHT = 0.06  # per word the question does not contain (an answer is news to it)
NOVEL_CAP = 5
KIND_WEIGHT = 0.35  # holds a value of the asked kind (date, amount)
PARTICLE_WEIGHT = 0.1  # ...said with the particle the question asks with (부터, 까지)
TOP_SENTENCES = 4  # the article's best sentences a snippet may come from


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
    marks = [m.start() for t in question.terms for m in re.finditer(re.escape(t), text)]
    marks += [m.start() for m in _kind_values(text, question)]
    centre = sum(marks) / len(marks) if marks else 0
    start = max(0, min(int(centre - limit / 2), len(text) - limit + 2))
    space = text.rfind(" ", 0, start + 1)
    start = space + 1 if space > 0 and start - space < 10 else start
    window = text[start : start + limit - 2].rstrip()
    return ("…" if start else "") + window + "…"


def answer_value(snippet: str, question: Question) -> str:
    """The amount or date the question asks for, as the snippet words it ('' if unsure).

    With several candidates, the one in the clause holding most of the question's weight
    wins; a value whose clause holds none of the question's words is not put up front.
    """
    values = _kind_values(snippet, question)
    if not values:
        return ""
    weights = question.weights or {t: 1.0 for t in question.terms}
    spans, start = [], 0
    for piece in _CLAUSE_SPLIT.split(snippet):
        spans.append((start, start + len(piece), piece))
        start += len(piece) + 1

    def weight_of(m: re.Match[str]) -> float:
        # A total ('모두 10종', '총 2100억원') answers a 'how many/much' over its parts.
        total = 0.5 if _TOTAL.search(snippet[max(0, m.start() - 6):m.start()]) else 0.0
        # '당초 6월로 예정됐던 … 9월로 미뤄졌다': the changed-to value answers, the old one not.
        if _CHANGED_TO.match(snippet, m.end()):
            total += 0.6
        if _WAS.search(snippet[max(0, m.start() - 8):m.start()]) or _PLANNED.match(snippet, m.end()):
            total -= 0.6
        # '언제부터 공급해?' is answered by the date said with 부터 ('이달 말부터').
        if particle and snippet.startswith(particle, m.end()):
            total += 0.5
        for begin, end, piece in spans:
            if begin <= m.start() < end:
                # The thing asked about ('기업가치는 얼마야?') counts twice in its clause.
                head = weights.get(question.head, 0.0) if question.head in piece else 0.0
                return total + head + sum(w for t, w in weights.items() if t in piece)
        return 0.0

    particle = asked_particle(question.text)
    units = expected_units(question.text)
    values = [m for m in values if _names_what_was_asked(snippet, m, question)
              and (not units or _unit(m.group().strip()) in units)]
    if not values:
        return ""
    ranked = sorted(values, key=lambda m: -weight_of(m))
    best = ranked[0]
    if weight_of(best) <= 0 or (len(ranked) > 1 and weight_of(ranked[1]) == weight_of(best)):
        return ""
    value = best.group().strip()
    return value if len(value) <= 20 else ""


_CHANGED_TO = re.compile(
    r"\s*(?:으로|로)\s*(?:미뤄|미루|연기|늦춰|늦어|변경|앞당|조정|확정|늘|줄|상향|하향|확대|축소|바뀌|바꿨)"
)
_WAS = re.compile(r"(?:당초|애초|기존|원래|처음|예정했던|지난)\s*$")
_PLANNED = re.compile(r"\s*(?:으로|로)\s*(?:예정됐던|예정되었던|알려졌던|계획됐던)")
_TOTAL = re.compile(r"(?:총|모두|전체|합계|통틀어|도합)\s*$")
MONEY_UNITS = frozenset({"원", "달러", "엔", "유로", "위안", "파운드"})
# What a measured noun is counted in ('용량은?' wants bytes, not a percentage).
MEASURE_UNITS = {
    "용량": frozenset({"GB", "TB", "MB", "기가바이트", "테라바이트"}),
    "매개변수": frozenset({"개"}),
    "파라미터": frozenset({"개"}),
}
_MONEY_WORDS = re.compile(r"예산|금액|투자|매출|가격|비용|자금|몸값|기업가치|액수|얼마")
_COUNTER = re.compile(r"몇\s*([가-힣]+)")


def expected_units(question_text: str) -> frozenset[str]:
    """The units an answer may be in: '몇 장' wants 장, '예산은' wants money; empty: any."""
    counter = _COUNTER.search(question_text)
    if counter:
        word = counter.group(1)
        for unit in ("개월", "시간", "퍼센트", "명", "개", "장", "곳", "종", "팀", "건", "대", "배", "%"):
            if word.startswith(unit):
                return frozenset({unit})
    if _MONEY_WORDS.search(question_text):
        return MONEY_UNITS
    for word, units in MEASURE_UNITS.items():
        if word in question_text:
            return units
    return frozenset()


# A name and the version number written after it ('코GPT 2.0', '엑사원 3.0'); a digit
# glued into a name ('HBM3E') is part of the name, not a version.
_NAMED_VERSION = re.compile(r"(\S+)\s+(\d+(?:\.\d+)+|\d+(?=\s|$))")


# A sentence of a snippet; a period between digits ('2.0') does not end one.
_SENTENCE = re.compile(r"(?:[^.!?]|(?<=\d)\.(?=\d))+[.!?]?")


def _names_what_was_asked(snippet: str, value: re.Match[str], question: Question) -> bool:
    """A value counts only if its sentence names the version the question names when it
    names the product at all: in '1세대 별샘은 40억개…' the figure is not the 별샘 2.0's,
    while '이 모델의 매개변수는 200억개' may well be. Read on the surface, as Kiwi may
    split a new name in the question and not in the article."""
    sentences = list(_SENTENCE.finditer(snippet))
    home = next((s.group() for s in sentences if s.start() <= value.start() < s.end()), snippet)
    for m in _NAMED_VERSION.finditer(question.text):
        name, version = m.group(1), m.group(2)
        if name in home and version not in home:
            return False
    return True


# Clause ends for answer_value: a comma, a sentence end, or a connective ending and a space.
_CLAUSE_SPLIT = re.compile(r"(?<=[,.，])\s|(?<=[며고서데만나면니])\s")


def newest_figure(
    found: Retrieval, snippet: Snippet
) -> tuple[Evidence, Snippet, tuple[Evidence, str] | None] | None:
    """The evidence that should answer a 'how much / when' question, when not the top one.

    Among the near-equal candidates on the top article's story that state a value of the
    asked kind, the best one answers, unless a newer article about the same story states one too: then the newest
    does, and an older different figure of the same thing is returned as what it revised.
    Returns (evidence, its snippet, (older evidence, its value) or None), or None when the
    top evidence stands as it is.
    """
    question = found.question
    if question.kind not in ("date", "amount") or len(found.evidence) < 2:
        return None
    top = found.evidence[0]
    candidates = [(top, snippet)]
    top_held = _held(snippet.text, question)
    for other in found.evidence[1:4]:
        if other.score >= 0.7 * top.score:
            # As much of the question in what it would answer with (which may span two
            # sentences: '코GPT 2.0은 … 이 모델의 매개변수는 300억개').
            other_snippet = best_snippet(other, question)
            if _held(other_snippet.text, question) >= 0.7 * top_held:
                candidates.append((other, other_snippet))
    # Only the top article and others on the same story: a value elsewhere answers
    # a different question ('양산은 언제' of another company's product).
    valued = [(e, s, v) for e, s in candidates
              if (e is top or _same_story(e, top)) and (v := answer_value(s.text, question))]
    if not valued:
        return None
    base = valued[0]  # candidates come best first
    # A version or model the question names ('엑사원 3.0') must be named by a newer answer
    # too: the 4.0 article's figure is no news about 3.0.
    marks = [t for t in question.terms if re.search(r"[0-9a-z]", t)]
    named = [t for t in marks if t in _words_of(base[0], base[1])]
    story = [base] + [c for c in valued[1:] if _same_story(c[0], base[0])
                      and all(t in _words_of(c[0], c[1]) for t in named)
                      and _same_subject(c[1].text, base[1].text, base[2], question)]
    dated = sorted((c for c in story if c[0].article.published_at),
                   key=lambda c: c[0].article.published_at or "", reverse=True)
    newest = dated[0] if dated else base
    for e, older_snippet, value in dated[1:]:
        same_day = e.article.published_at == newest[0].article.published_at
        if (_squash(value) != _squash(newest[2]) and not same_day
                and _unit(value) == _unit(newest[2])
                and _same_subject(newest[1].text, older_snippet.text, value, question)):
            return newest[0], newest[1], (e, value)
    if newest[0] is top:
        return None
    return newest[0], newest[1], None


def _words_of(evidence: Evidence, snippet: Snippet) -> set[str]:
    return set(evidence.article.title_morphs.split()) | set(morph.content_morphemes(snippet.text))


def _same_story(a: Evidence, b: Evidence) -> bool:
    """Whether two articles report on the same thing: their titles share at least two words
    and a quarter of the shorter title's words."""
    first, second = set(a.article.title_morphs.split()), set(b.article.title_morphs.split())
    shared = first & second
    return len(shared) >= 2 and len(shared) >= 0.25 * min(len(first), len(second))


def _unit(value: str) -> str:
    """What a value counts ('원', '개', '월'): a figure only revises one of the same unit."""
    return re.sub(r"^[\d,.\s조억만천여약]+", "", value)


def _same_subject(newer: str, older: str, old_value: str, question: Question) -> bool:
    """Whether the older value is said of the same thing as the newer answer.

    The sentence holding the older value must carry most (60%) of the question's weight that
    the newer answer carries, and every number or Latin word of it: those name versions and
    models, so '1세대 코GPT는 60억개' does not revise '코GPT 2.0은 300억개' (no 2.0 there) and
    no revision is claimed where there was none.
    """
    wanted = {t for t in question.terms if t in set(morph.content_morphemes(newer))}
    sentence = next((s for s in re.split(r"(?<=[.!?])\s+", older) if old_value in s), "")
    have = set(morph.content_morphemes(sentence))
    if not wanted or any(t not in have for t in wanted if re.search(r"[0-9a-z]", t)):
        return False

    weights = question.weights or {t: 1.0 for t in question.terms}
    total = sum(weights.get(t, 1.0) for t in wanted)
    return sum(weights.get(t, 1.0) for t in wanted & have) >= 0.6 * total


def _squash(value: str) -> str:
    return re.sub(r"[\s,]", "", value)


def ask(services: Services, args: str, chat: ChatContext) -> Reply:
    """/ask 질문 — follow-ups (replies to an earlier answer) look at its articles first."""
    return answer_question(services, args, prefer=chat.reply_to_articles or None)
