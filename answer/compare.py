"""Comparisons: 'A랑 B 중에 어디가 먼저 생겼어?', 'A와 B 크기 비교해줘', 'A랑 B 각각 얼마야?'.

The question is cut into its two sides and what is asked of both; each side is asked as a
question of its own (answer.fact), and when both answer with numbers of one unit, or with
dates, which is larger (or earlier) is said too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from analysis import morph
from analysis.aliases import PAIRS
from analysis.grammar import has_final_consonant
from answer.fact import Fact, answer_fact
from answer.question import PAIR_OF_BOTH, Question, read_question
from answer.value import unit_of
from store.engine import Database

# Words of comparing, taken out of what is asked of each side.
_COMPARING = re.compile(
    r"(?:누가|뭐가|어디가|어느\s?쪽이|어느\s?게|어떤\s?게)\s?더|더\s|중에서|중에|각각|둘\s?다|"
    r"비교\s?(?:해\s?줘|하면|해서|해|하자)?|차이\s?(?:가|는)?\s?(?:얼마나\s?나|얼마야|얼마|나)?|"
    r"(?<=\s)중(?=\s)")
_EARLIER = re.compile(r"먼저|처음|빨리|일찍|늦게|최초")
_BIGGER = re.compile(r"(?:더|제일|가장)\s?(?:크|커|작|큰)")
_LARGER = re.compile(r"크|커|많|높|길|무거|비싸|작|적|낮|짧|가볍|싸")
# Nouns of what is measured, said once for both sides ('A랑 B 크기 비교해줘').
ATTRIBUTES = ("파라미터", "매개변수", "크기", "규모", "용량", "가격", "예산", "투자액", "투자",
              "매출", "성능", "기업가치", "몸값", "속도", "점유율", "지지율", "인원", "물량", "금액")
_SIBLING = re.compile(r"^([가-힣A-Za-z]+)([A-Z0-9])$")  # 시리즈B / 시리즈C, S24 / S25


@dataclass(frozen=True, slots=True)
class Side:
    name: str  # as the question writes it
    fact: Fact


@dataclass(frozen=True, slots=True)
class Comparison:
    sides: tuple[Side, Side]
    verdict: str  # '코GPT 2.0이 더 커요.' or ''


@dataclass(frozen=True, slots=True)
class Split:
    first: str
    second: str
    context: str  # what comes before both ('HBM3E 양산은', 'GPU 사업자 중에')
    asked: str  # what is asked of both, comparing words taken out ('파라미터 몇이야?')
    earlier: bool  # which came first
    larger: bool  # which is larger


def split(text: str) -> Split | None:
    """The two sides of a comparison and what is asked of both; None when `text` names no
    two things joined by 랑, 와/과, 하고 or vs."""
    pair = PAIR_OF_BOTH.search(text)
    if pair is not None:
        # '네카오 대표 둘 다 누구야?' -> 네이버 / 카카오, each asked '대표 누구야?'.
        first, second = PAIRS[pair.group(1)]
        asked = " ".join((pair.group(2), _COMPARING.sub(" ", text[pair.end():]))).split()
        return Split(first, second, text[:pair.start()].strip(), " ".join(asked).strip(" ?") + "?",
                     False, False)
    toks = morph.tokens(text)
    joint = next(((t.start, t.end) for t in toks if t.tag == "JC" or t.form.lower() == "vs"
                  or (t.tag == "JKB" and t.form in ("랑", "이랑"))), None)
    if joint is None:  # Kiwi may read '솔라랑' as one name: the word's own ending then
        written = re.search(r"(?<=\S)(이랑|랑|하고)(?=\s)", text)
        joint = (written.start(), written.end()) if written else None
    if joint is None:
        return None
    before, after = text[:joint[0]], text[joint[1]:]
    # The first side runs back to the start or to a topic word ('HBM3E 양산은 하이닉스랑').
    words = before.split()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if re.search(r"(?:은|는|중에|중에서)$", w)),
              default=0)
    context, first = " ".join(words[:cut]), " ".join(words[cut:])
    # The second side runs to the comparing word or to its own particle ('카카오는 각각').
    m = _COMPARING.search(after)
    head = after[:m.start()] if m else after
    rest = after[m.start():] if m else ""
    head_words = head.split()
    second_words: list[str] = []
    for i, w in enumerate(head_words):
        # Its particle ends it ('카카오는 각각'); 이 and 가 are left, names end in them too.
        bare = re.sub(r"(?<=\S)(?:은|는|을|를|의)$", "", w)
        second_words.append(bare)
        if bare != w:
            rest = " ".join(head_words[i + 1:]) + " " + rest
            break
    second = " ".join(second_words).strip(" ,?")
    if not first or not second:
        return None
    attribute = next((a for a in ATTRIBUTES if a in second or a in rest), "")
    if attribute and second.endswith(attribute):
        second = second[: -len(attribute)].strip()
    if attribute and first.endswith(attribute):
        first = first[: -len(attribute)].strip()
    # '리벨리온 시리즈B랑 시리즈C': the second side shares the first's subject.
    first_words = first.split()
    sibling = _SIBLING.match(first_words[-1]) if first_words else None
    if len(first_words) > 1 and sibling and second.startswith(sibling.group(1)):
        second = " ".join(first_words[:-1] + [second])
    asked = _COMPARING.sub(" ", rest)
    # What is compared is asked of each: '파라미터 누가 더 많아' -> '파라미터 몇이야'.
    asked = " ".join(w for w in asked.split() if not _LARGER.match(w) and w != "중")
    asked = re.sub(r"\s+", " ", asked).strip(" ?")
    earlier = bool(_EARLIER.search(rest))
    larger = bool(_LARGER.search(rest)) or "비교" in text or "차이" in text
    if earlier:
        # '어디가 먼저 생겼어' asks when each did: '언제 생겼어'.
        deed = [w for w in asked.split() if not _EARLIER.search(w)
                and not re.match(r"(?:누가|어디가|어느|뭐가|언제)", w)]
        asked = "언제 " + " ".join(deed) if deed else "언제야"
    elif attribute and attribute not in asked:
        asked = f"{attribute} {asked or '몇이야'}"
    elif not attribute and _BIGGER.search(rest):
        asked = "크기 몇이야"  # '뭐가 더 커?' of two models asks their size, not any number
    elif not asked or not re.search(r"몇|얼마|언제|누구|어디|뭐", asked):
        asked = f"{asked} 몇이야".strip()
    return Split(first.strip(" ,"), second, context, asked + "?", earlier, larger)


def compare(db: Database, question: Question) -> Comparison | None:
    """Both sides of a comparison question answered, and which is larger or earlier."""
    parts = split(question.text)
    if parts is None:
        return None
    sides = []
    for name in (parts.first, parts.second):
        text = " ".join(p for p in (parts.context, name, _asked_of(name, parts.asked)) if p)
        side = replace(read_question(text), asked_at=question.asked_at)
        sides.append(Side(name, answer_fact(db, side)))
    a, b = sides
    return Comparison((a, b), verdict(a, b, parts))


def _asked_of(name: str, asked: str) -> str:
    """What is asked of one side: a side that names its own measure ('KT-MS 투자액' beside
    '정부 예산') is not asked the other's."""
    own = next((a for a in ATTRIBUTES if name.endswith(a)), None)
    if own is None:
        return asked
    words = asked.split()
    return " ".join(words[1:]) if words and words[0] in ATTRIBUTES and words[0] != own else asked


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(조|억|만|천|B|M|K)?")
_SCALE = {"조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3, "B": 1e9, "M": 1e6, "K": 1e3}


def amount_of(value: str) -> float | None:
    """'1조5000억원' -> 1.5e12, '107억개' -> 1.07e10, '3B' -> 3e9; None without a number."""
    total, found = 0.0, False
    for digits, scale in _NUMBER.findall(value):
        total += float(digits.replace(",", "")) * _SCALE.get(scale, 1.0)
        found = True
    return total if found else None


def _day_of(value: str) -> tuple[int, int, int] | None:
    year = re.search(r"(\d{4})\s*년", value)
    if not year:
        return None
    month = re.search(r"(\d{1,2})\s*월", value)
    day = re.search(r"(\d{1,2})\s*일", value)
    return (int(year.group(1)), int(month.group(1)) if month else 0,
            int(day.group(1)) if day else 0)


def verdict(a: Side, b: Side, parts: Split) -> str:
    """'퓨리오사AI가 먼저예요.', '코GPT 2.0이 더 커요.', or '' when the two cannot be
    weighed (no value, different units)."""
    va, vb = a.fact.value, b.fact.value
    if not va or not vb:
        return ""
    if parts.earlier:
        da, db_ = _day_of(va), _day_of(vb)
        if da and db_ and da != db_:
            first = a if da < db_ else b
            return f"{_subject(first.name)} 먼저예요."
        return ""
    if not parts.larger or unit_of(va) != unit_of(vb):
        return ""
    na, nb = amount_of(va), amount_of(vb)
    if na is None or nb is None or na == nb:
        return ""
    bigger = a if na > nb else b
    return f"{_subject(bigger.name)} 더 커요."


def _subject(name: str) -> str:
    return name + ("이" if has_final_consonant(name) else "가")
