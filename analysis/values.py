"""Amounts of money and counted quantities, normalised to a number and a unit.

`2100억원` -> 210,000,000,000 KRW, `1조5000억개 이상의 데이터 토큰` -> 1.5e12 개 (토큰),
qualifier 이상. The article's own wording is kept next to the number: replies quote the
wording, the number is for comparing and sorting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.morph import Token

# One group of a Korean number: digits (commas, a decimal part) with an optional 천/백
# inside a larger magnitude (3천억 = 3 x 1000 x 1억) and an optional 조/억/만.
_GROUP = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s?(천|백))?(?:\s?(조|억|만))?")
_SMALL = {"천": 1_000, "백": 100}
_LARGE = {"조": 10**12, "억": 10**8, "만": 10**4}

# Units after the number, longest first so that %포인트 wins over %.
_UNITS: dict[str, str] = {
    "%포인트": "%p", "%p": "%p", "%P": "%p", "퍼센트포인트": "%p", "퍼센트": "%", "%": "%",
    "원": "KRW", "달러": "USD", "엔": "JPY", "위안": "CNY", "유로": "EUR", "파운드": "GBP",
    "개국": "개국", "개사": "개사", "개": "개", "명": "명", "장": "장", "종": "종", "팀": "팀",
    "건": "건", "곳": "곳", "대": "대", "배": "배", "가구": "가구", "회": "회", "편": "편",
    "톤": "톤", "GB": "GB", "TB": "TB", "PB": "PB", "MW": "MW", "GW": "GW", "km": "km",
}
_UNIT_RE = re.compile(
    r"(여)?\s?(" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + r")"
)
# A unit that is really the start of a longer word: 2개월 (a duration), 3명단, 5대표...
_NOT_AFTER_UNIT = {
    "개": "월", "장": "관기", "대": "표학회기비상", "회": "사의장", "종": "목류",
    "원": "장회내", "명": "단칭예", "건": "물설", "배": "터", "편": "집",
}
_QUAL_BEFORE = re.compile(r"(약|총|최대|최소|최고|무려|연간|누적|전체)\s?$")
_QUAL_AFTER = re.compile(r"^\s?(이상|이하|미만|초과|가량|안팎|내외|정도|남짓|넘게|넘는|규모|수준|씩)")
_MONEY = frozenset({"KRW", "USD", "JPY", "CNY", "EUR", "GBP"})
_COUNTERS = frozenset({"개", "명", "장", "종", "팀", "건", "곳", "대", "가구", "개국", "개사", "편"})


@dataclass(frozen=True, slots=True)
class Amount:
    start: int  # character offsets of `text` in the sentence
    end: int
    text: str  # the article's wording, e.g. '1조5000억개 이상'
    value: float
    unit: str  # 'KRW', 'USD', '%', '개', '명', ... or '' for a bare magnitude (2100억)
    qualifier: str = ""  # '이상', '약', '최대', ... comma separated when several
    counted: str = ""  # what is counted, when a noun follows a counter: '토큰'

    @property
    def kind(self) -> str:
        return "money" if self.unit in _MONEY else "quantity"


def parse_number(text: str) -> float | None:
    """The value of a Korean number such as '1조5000억', '4,895만', '1.5조', '3천억'."""
    total = 0.0
    pos = 0
    found = False
    for m in _GROUP.finditer(text):
        if text[pos : m.start()].strip():
            return None
        total += _group_value(m)
        pos = m.end()
        found = True
    if not found or text[pos:].strip():
        return None
    return total


def _group_value(m: re.Match[str]) -> float:
    number = float(m.group(1).replace(",", ""))
    if m.group(2):
        number *= _SMALL[m.group(2)]
    if m.group(3):
        number *= _LARGE[m.group(3)]
    return number


def _number_spans(text: str) -> list[tuple[int, int, float, bool]]:
    """(start, end, value, has_magnitude) of each number, joining 1조 5000억 into one."""
    spans: list[tuple[int, int, float, bool]] = []
    last_magnitude = 10**13
    for m in _GROUP.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".,"):
            continue
        big = _LARGE.get(m.group(3) or "", 1)
        value = _group_value(m)
        if (
            spans
            and spans[-1][3]
            and text[spans[-1][1] : m.start()] in ("", " ")
            and big < last_magnitude
        ):
            start, _, previous, _ = spans[-1]
            spans[-1] = (start, m.end(), previous + value, True)
        else:
            spans.append((m.start(), m.end(), value, bool(m.group(2) or m.group(3))))
        last_magnitude = big if m.group(3) else 1
    return spans


def find_amounts(text: str, tokens: list[Token] | None = None) -> list[Amount]:
    """Money and quantities in one sentence.

    `tokens` (Kiwi, offsets into `text`) are used to name what a counter counts.
    """
    found: list[Amount] = []
    for start, end, value, has_magnitude in _number_spans(text):
        # A year, a month or a day is a date, not an amount (reldates reads those).
        rest = text[end:]
        unit_match = _UNIT_RE.match(rest)
        unit = ""
        qualifiers: list[str] = []
        if unit_match and not _unit_is_word_start(unit_match, rest):
            unit = _UNITS[unit_match.group(2)]
            if unit_match.group(1):
                qualifiers.append("여")
            end += unit_match.end()
        elif not has_magnitude:
            continue
        elif rest[:1] and ("가" <= rest[0] <= "힣") and rest[0] not in "여이의은는을를에과와로도":
            continue  # 2100억년? a magnitude glued to another word is not an amount
        before = _QUAL_BEFORE.search(text[max(0, start - 4) : start])
        if before:
            qualifiers.insert(0, before.group(1))
            start -= len(before.group(0))
        after = _QUAL_AFTER.match(text[end:])
        if after and after.group(1) not in ("규모", "수준", "씩"):
            qualifiers.append("이상" if after.group(1) in ("넘게", "넘는") else after.group(1))
            end += after.end()
        counted = ""
        if unit in _COUNTERS and tokens:
            # After a qualifier only 의 links a noun: '100명 이상의 개발자', not '100명 넘게 가입'.
            counted = _counted_noun(text, end, tokens, needs_genitive=bool(after))
        found.append(
            Amount(start, end, text[start:end], value, unit, ",".join(qualifiers), counted)
        )
    return found


def _unit_is_word_start(m: re.Match[str], rest: str) -> bool:
    unit = m.group(2)
    following = rest[m.end() : m.end() + 1]
    return bool(following) and following in _NOT_AFTER_UNIT.get(unit, "")


def _counted_noun(text: str, end: int, tokens: list[Token], needs_genitive: bool) -> str:
    """The head noun right after a counted amount: '300억개의 매개변수를' -> '매개변수'."""
    after = [t for t in tokens if t.start >= end]
    if needs_genitive and not (after and after[0].tag == "JKG"):
        return ""
    i = 0
    # Skip what may sit between the amount and the noun: 의, 이상, a space.
    while i < len(after) and (after[i].tag == "JKG" or after[i].form in ("이상", "이하", "가량")):
        i += 1
    if i == len(after) or not after[i].tag.startswith("NN") and after[i].tag != "SL":
        return ""
    if after[i].tag == "NNB":
        return ""
    # Take the noun phrase: eojeols made only of nouns; its last eojeol is the head.
    head_start = head_end = after[i].start
    j = i
    while j < len(after) and after[j].tag in ("NNG", "NNP", "SL", "SN"):
        if after[j].start > head_end:  # a space: a new eojeol starts
            head_start = after[j].start
        head_end = after[j].end
        j += 1
    return text[head_start:head_end]
