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
