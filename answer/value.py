"""The value a question asks for, as /ask puts it up front: the amount, the date (said in
full), or the person holding the asked role, from the snippet and the facts stored with
its article; '' whenever unsure, since a wrong figure up front is worse than none.
"""

from __future__ import annotations

import re

from analysis.grammar import date_in_full
from answer.anchors import anchors_of
from answer.kinds import NOT_A_NUMBER_MAN, kind_values
from answer.question import Question
from store.facts import amounts_in_article, dates_in_article, people_in_article


def kind_values_of(text: str, question: Question) -> list[re.Match[str]]:
    """Values of the asked kind (date, amount) in `text` that the question does not state."""
    return kind_values(text, question.kind, question.text)


def answer_values(text: str, question: Question) -> list[re.Match[str]]:
    """Values of the asked kind in `text`, in the asked unit when the question says one."""
    values = kind_values_of(text, question)
    units = question.units
    return [m for m in values if unit_of(m.group().strip()) in units] if units else values


def answer_value(snippet: str, question: Question) -> str:
    """The amount or date the question asks for, as the snippet words it ('' if unsure).

    With several candidates, the one in the clause holding most of the question's weight
    wins; a value whose clause holds none of the question's words is not put up front.
    """
    values = kind_values_of(snippet, question)
    if not values:
        return ""
    weights = question.weights or {t: 1.0 for t in question.terms}
    spans, start = [], 0
    for piece in _CLAUSE_SPLIT.split(snippet):
        spans.append((start, start + len(piece), piece))
        start += len(piece) + 1

    def weight_of(m: re.Match[str]) -> float:
        # A total ('모두 10종', '총 2100억원') answers a 'how many/much' over its parts, and
        # all the more a question over a span ('사흘 동안 몇 번': 총 10회, not 27일 2회).
        total = 0.0
        if _TOTAL.search(snippet[max(0, m.start() - 6):m.start()]):
            total = full if over_span else 0.5
        # '당초 6월로 예정됐던 … 9월로 미뤄졌다': the changed-to value answers, the old one not.
        if _CHANGED_TO.match(snippet, m.end()):
            total += 0.6
        if _WAS.search(snippet[max(0, m.start() - 8):m.start()]) or _PLANNED.match(snippet, m.end()):
            total -= 0.6
        # '언제부터 공급해?' is answered by the date said with 부터 ('이달 말부터'), '언제로
        # 돼 있어?' by the one said with 로, whatever else its clause holds.
        if particle and snippet.startswith(particle, m.end()):
            total += full
        # The value said just before the question's predicate ('1984년에 처음 완공됐다')
        # is the one it is asked of.
        after = snippet[m.end():m.end() + PREDICATE_REACH]
        if any(form in after for form in question.predicate):
            total += 0.3
        # '산업은행(300억원)을 비롯해': the figure bracketed after a name asked about is its own.
        if _in_brackets_of_asked(snippet, m, question):
            total += full
        for begin, end, piece in spans:
            if begin <= m.start() < end:
                # '아직 1000여명 귀국 못 해': a value said of what did not happen.
                if _NEGATED.search(piece, m.end() - begin):
                    return 0.0
                # '지난해 여러 차례 공개 일정을 미뤘던': when it was put off, not done; unless
                # the put-off is asked about, or the value is what it was put off to.
                if deferral_not_asked and _DEFERRED.search(piece, m.end() - begin) \
                        and not _CHANGED_TO.match(snippet, m.end()):
                    return 0.0
                # The thing asked about ('기업가치는 얼마야?') counts twice in its clause.
                head = weights.get(question.head, 0.0) if question.head in piece else 0.0
                if question.asked and question.asked != question.head and question.asked in piece:
                    head += weights.get(question.asked, 0.0)
                lowered = piece.lower()  # 'Sori Mini' holds 소리 미니, typed as it sounds
                return total + head + sum(w for t, w in weights.items()
                                          if question.names_term(t, lowered))
        return 0.0

    particle = question.particle
    deferral_not_asked = not _DEFERRED.search(question.text)
    units = question.units
    over_span = bool(_SPAN.search(question.text))
    full = sum(weights.values()) or 1.0
    anchors = anchors_of(question)
    # The value's sentence says what is asked: the question's own predicate when it has one
    # ('귀국한 한국인 몇 명' is not '한국인 관광객 1800여명 가운데 … 600여명이 입국했다'; a word of
    # like meaning finds a sentence but proves no value), else the asked noun.
    said = anchors.own or anchors.nouns
    if question.predicate_stem[0] in VALUING:
        # '얼마로 평가받아?', '몇 명으로 집계됐어?': the predicate only says a figure was put
        # on the asked thing, which the sentence may state without it ('기업가치는 1조원').
        said = anchors.own + anchors.nouns
    # '언제 처음 공개했어?' asks of the first time: a value said with 처음 ('2023년 8월
    # 하이퍼클로바X를 처음 선보인') is the one asked, though worded unlike the question.
    first = [m for m in values if _FIRST.search(snippet, m.end(), m.end() + PREDICATE_REACH)] \
        if _FIRST.search(question.text) else []
    values = [m for m in values if _names_what_was_asked(snippet, m, question)
              and (not units or unit_of(m.group().strip()) in units)
              and (not said or any(w in _sentence_of(snippet, m).lower() for w in said)
                   # said with the particle asked for ('언제로 돼 있어?' / '5월 18일로 돼 있는')
                   or (particle and snippet.startswith(particle, m.end()))
                   or _in_brackets_of_asked(snippet, m, question))]
    if not values:
        return ""
    ranked = sorted(values, key=lambda m: -weight_of(m))
    best = ranked[0]
    if first and best not in first:
        return ""  # the first time is said elsewhere in the snippet: no other value up front
    value = _whole_date(snippet, best) if question.kind == "date" else best.group().strip()
    if weight_of(best) <= 0 or (len(ranked) > 1 and weight_of(ranked[1]) == weight_of(best)
                                and _whole_date(snippet, ranked[1]) != value):
        return ""
    return value if len(value) <= 20 else ""


# A date written in parts ('1884년 6월 24일', '3월 15일'): the parts are one answer.
_DATE_IN_PARTS = re.compile(
    r"\d{1,4}\s*년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?|\d{1,2}\s*월\s*\d{1,2}\s*일")


def _whole_date(snippet: str, part: re.Match[str]) -> str:
    """The date `part` belongs to, in full as the snippet writes it."""
    for m in _DATE_IN_PARTS.finditer(snippet):
        if m.start() <= part.start() and part.end() <= m.end():
            return m.group().strip()
    return part.group().strip()


# Predicates that only say a figure was put on something (평가받다, 집계되다, 추산하다).
VALUING = frozenset({"평가", "집계", "추산", "추정", "산정", "책정", "기록", "추계"})
PREDICATE_REACH = 12  # characters after a value within which the predicate names it
# A question over a span or a total ('사흘 동안', '모두 몇', '지금까지').
_SPAN = re.compile(r"동안|[이사흘]틀간|며칠간|모두|총\s|합쳐|통틀어|지금까지|누적|전체")
# What did not happen: a negation after the value in its clause.
_NEGATED = re.compile(r"못\s?하|못\s?해|못했|못 한|않았|않은|않는|않고|않아|안 됐|안 돼")
_CHANGED_TO = re.compile(
    r"\s*(?:으로|로)\s*(?:미뤄|미루|연기|늦춰|늦어|변경|앞당|조정|확정|늘|줄|상향|하향|확대|축소|바뀌|바꿨)"
)
_FIRST = re.compile(r"처음|최초|첫")
_DEFERRED = re.compile(r"미뤘|미뤄|미루|미룬|연기|늦췄|늦춰|밀렸|밀려|밀린|보류")
_WAS = re.compile(r"(?:당초|애초|기존|원래|처음|예정했던|지난)\s*$")
_PLANNED = re.compile(r"\s*(?:으로|로)\s*(?:예정됐던|예정되었던|알려졌던|계획됐던)")
_TOTAL = re.compile(r"(?:총|모두|전체|합계|통틀어|도합)\s*$")
# A sentence of a snippet; a period between digits ('2.0') does not end one.
_SENTENCE = re.compile(r"(?:[^.!?]|(?<=\d)\.(?=\d))+[.!?]?")


# A name, then its figure in brackets: '산업은행(300억원)', '아시아나항공(93명)'.
_NAME_BEFORE_BRACKET = re.compile(r"([\w·]+)\(\s*$")


def _in_brackets_of_asked(snippet: str, value: re.Match[str], question: Question) -> bool:
    """Whether `value` opens a bracket right after a name the question names (and the
    bracket holds nothing else before it)."""
    name = _NAME_BEFORE_BRACKET.search(snippet, max(0, value.start() - 30), value.start())
    if name is None:
        return False
    word = name.group(1).lower()
    # As written in the question too: Kiwi may not read a new name as one ('누리은행').
    asked = set(question.names) | {w.surface.lower() for w in question.written}
    return any(n in word for n in asked if len(n) > 1 and not n.isdigit())


def _sentence_of(snippet: str, value: re.Match[str]) -> str:
    """The sentence of the snippet that holds `value`."""
    return next((s.group() for s in _SENTENCE.finditer(snippet)
                 if s.start() <= value.start() < s.end()), snippet)


def _names_what_was_asked(snippet: str, value: re.Match[str], question: Question) -> bool:
    """A value counts only if its sentence names the version the question names when it
    names the product at all: in '1세대 별샘은 40억개…' the figure is not the 별샘 2.0's,
    while '이 모델의 매개변수는 200억개' may well be. Read on the surface, as Kiwi may
    split a new name in the question and not in the article."""
    home = _sentence_of(snippet, value)
    for name, version in question.versions:
        if name in home and version not in home:
            return False
    return True


# Clause ends for answer_value: a comma, a sentence end, or a connective ending and a space.
_CLAUSE_SPLIT = re.compile(r"(?<=[,.，])\s|(?<=[며고서데나면니])\s|" + NOT_A_NUMBER_MAN + r"\s")


def unit_of(value: str) -> str:
    """What a value counts ('원', '개', '월'): a figure only revises one of the same unit."""
    rest = re.sub(r"^(?:[\d,.\s조억만천여약]+|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무)\s?)",
                  "", value)
    return re.split(r"\s*\d", rest, maxsplit=1)[0]  # '1년 5개월' counts in 년


def squash_value(value: str) -> str:
    """A value without spaces or digit-group commas ('2,100억 원' -> '2100억원'), for comparing."""
    return re.sub(r"[\s,]", "", value)


def stored_wording(db, article_id: int, snippet: str, value: str) -> str:
    """The amount as the fact store holds it for this article ('총 2100억원',
    '1조5000억개 이상'), when a stored fact is that value; else the value as found."""
    for fact in amounts_in_article(db, article_id):
        if squash_value(fact.text).endswith(squash_value(value)) or squash_value(value) in squash_value(fact.text):
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
        if (fact.iso and squash_value(value) in squash_value(fact.text)
                and (snippet is None or fact.text in snippet)):
            return date_in_full(fact.text, fact.iso, fact.unit, fact.qualifier)
    # '당시예요' or '이날이에요' answers nothing when the article's date does not say which day.
    return "" if _VAGUE_DATE.fullmatch(value) else value


_VAGUE_DATE = re.compile(r"당시|이날|전날|시대|분기|[초중말]기|올해|지난해|작년|내년")


def person_asked(db, article_id: int, question: Question) -> str:
    """'카카오 대표는 누구야?' -> '정신아 카카오 대표': the one person the article names
    with the role the question asks about ('' when none, or when two people fit)."""
    asked = squash_value(question.text).lower()
    fits = [p for p in people_in_article(db, article_id)
            if p.title and squash_value(p.title).lower() in asked and p.name not in question.text
            # The role the question word asks about: '교육부 장관 누구?' is not 윤 대통령.
            and (not question.asked or question.asked in p.title)]
    named_org = [p for p in fits if p.org and squash_value(p.org).lower() in asked]
    if named_org:  # the longest organisation named: 네이버클라우드 over 네이버
        longest = max(len(p.org) for p in named_org)
        fits = [p for p in named_org if len(p.org) == longest]
    if len({p.name for p in fits}) != 1:
        return ""
    person = fits[0]
    return " ".join(part for part in (person.name, person.org, person.title) if part)
