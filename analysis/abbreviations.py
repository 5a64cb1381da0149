"""Abbreviations an article defines itself: '과학기술정보통신부(과기정통부)',
'국민의힘(국힘)', '한국토지주택공사(LH)', 'Kakao(카카오)'.

A pair is kept when the part in brackets is a true short form of the name before it: a
Hangul short form whose syllables the name holds in order and starting with its first
(과기정통부 of 과학기술정보통신부), or a name in the other script, Latin capitals for a
Hangul name (LH, CSIS) or Hangul for a Latin one. Brackets that hold anything else (사진=,
현지시간, a date, a person's age, 종합) are not abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A name (up to four words) right before an opening bracket, and what the bracket holds.
_PAIR = re.compile(r"((?:[가-힣A-Za-z0-9&·]+\s){0,3}[가-힣A-Za-z0-9&·]+)\s?\(([^()\n]{2,20})\)")
_HANGUL_SHORT = re.compile(r"[가-힣]{2,7}")
_LATIN_SHORT = re.compile(r"[A-Z][A-Z0-9&]{1,7}")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 .&-]{1,30}")
_NOT_SHORT = frozenset("사진 현지시간 종합 속보 단독 영상 자료 그래픽 출처 제공 왼쪽 오른쪽 가운데 전 현 "
                       "이하 대표 의원 위원장 장관 기자 특파원 뉴스 연합뉴스".split())


@dataclass(frozen=True, slots=True)
class Abbreviation:
    short: str  # as written in the brackets
    full: str  # the name it stands for


def _in_order(short: str, full: str) -> bool:
    """Whether the syllables of `short` appear in `full` in order, the first one first."""
    if not full.startswith(short[0]):
        return False
    at = 0
    for syllable in short:
        at = full.find(syllable, at)
        if at < 0:
            return False
        at += 1
    return True


def _hangul_full(name: str, short: str) -> str:
    """The shortest tail of `name` (whole words) that `short` abbreviates, or ''."""
    words = name.split()
    for n in range(1, len(words) + 1):
        full = "".join(words[-n:])
        if len(full) > len(short) and _in_order(short, full):
            return " ".join(words[-n:])
    return ""


def find_abbreviations(text: str) -> list[Abbreviation]:
    """The abbreviations one sentence defines, in order."""
    found: list[Abbreviation] = []
    for m in _PAIR.finditer(text):
        name, inner = m.group(1).strip(), m.group(2).strip()
        if inner in _NOT_SHORT or "=" in inner or inner.isdigit():
            continue
        last = name.split()[-1]
        if _HANGUL_SHORT.fullmatch(inner):
            if re.fullmatch(r"[가-힣]+", last):
                full = _hangul_full(name, inner)
                if full:
                    found.append(Abbreviation(inner, full))
            elif _LATIN_NAME.fullmatch(last):
                found.append(Abbreviation(last, inner))  # Kakao(카카오): the Latin is the other
        elif _LATIN_SHORT.fullmatch(inner) and re.fullmatch(r"[가-힣]{2,}", last):
            found.append(Abbreviation(inner, last))
    return found
