"""Small pieces of Korean grammar for replies."""

from __future__ import annotations

# How a trailing digit is read aloud decides the copula: 3(삼) takes 이에요, 2(이) 예요.
_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False,
                    "5": False, "6": True, "7": True, "8": True, "9": False}


def has_final_consonant(word: str) -> bool:
    """Whether the last sound of `word` closes with a consonant (받침)."""
    for ch in reversed(word.strip()):
        if "가" <= ch <= "힣":
            return (ord(ch) - 0xAC00) % 28 != 0
        if ch.isdigit():
            return _DIGIT_HAS_FINAL.get(ch, False)  # other digits (¹, ٣): no 받침 we know
        if ch == "%":
            return False  # 퍼센트
        if ch.isalpha():
            return ch.lower() in "lmnr"  # e.g. 엘, 엠, 엔, 알 end in a consonant
    return False


def copula(word: str) -> str:
    """`word` + 이에요/예요 (polite 'it is')."""
    return word + ("이에요" if has_final_consonant(word) else "예요")


# Parts of a month or year a date range may name ('이달 말', '올해 상반기').
_PERIOD_WORDS = ("상반기", "하반기", "1분기", "2분기", "3분기", "4분기", "연초", "연말",
                 "중순", "초", "말")


def date_in_full(text: str, iso: str, precision: str, qualifier: str = "") -> str:
    """A date as written in an article ('22일', '이달 말부터') said in full from its
    resolved ISO form ('2026년 1월 22일', '2024년 3월 말부터'); `text` when unsure."""
    first = iso.split("/")[0]
    parts = first.split("-")
    try:
        year, month, day = (int(p) for p in parts + ["0"] * (3 - len(parts)))
    except ValueError:
        return text
    if precision == "day" and day:
        full = f"{year}년 {month}월 {day}일"
    elif precision == "month" and month:
        full = f"{year}년 {month}월"
    elif precision == "year":
        full = f"{year}년"
    elif precision == "range":
        period = next((w for w in _PERIOD_WORDS if w in text), "")
        if not period:
            return text
        within_month = period in ("초", "중순", "말")
        full = f"{year}년 {month}월 {period}" if within_month else f"{year}년 {period}"
    else:
        return text
    if qualifier and text.endswith(qualifier):
        full += qualifier
    return full
