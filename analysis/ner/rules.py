"""Rule fixes applied after the CRF, where a pattern is more reliable than the model.

Money written with big-number units and commas (`1조2,500억원`, `2,100억 원`) is one QT
span in KLUE; the CRF, seeing characters one at a time, sometimes stops at a comma or a
unit, so a regex match replaces any QT piece it overlaps. An unknown company written
before a person's name is split off the person's span.
"""

from __future__ import annotations

import re

from analysis.ner.entity import Entity
from analysis.ner.gazetteer import SURNAMES

_NUM = r"\d[\d,]*(?:\.\d+)?"
_MONEY_RE = re.compile(
    rf"(?<![\d,.])(?:{_NUM}[조억만천]{{0,2}}\s?)+(?:원|달러|엔|위안|유로|파운드)"
)


def _money_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MONEY_RE.finditer(text)]


# Endings that make a word a company's name ('한결전자', '누리소프트'): an unknown company
# written before a person's name ('한결전자 김도윤 대표') is sometimes read into the PS span.
_COMPANY_ENDINGS = (
    "전자", "소프트", "테크", "랩", "그룹", "은행", "증권", "보험", "텔레콤", "홀딩스", "코리아",
    "제약", "건설", "자동차", "바이오", "엔터테인먼트", "네트웍스", "시스템즈", "솔루션",
    "모빌리티", "게임즈", "로보틱스", "반도체", "AI", "랩스", "컴퍼니", "인베스트먼트",
)
_KOREAN_NAME = re.compile(r"[가-힣]{2,4}")


def _split_company_from_person(text: str, ents: list[Entity]) -> list[Entity]:
    out = []
    for e in ents:
        words = e.text.split(" ")
        if (e.type == "PS" and len(words) == 2 and words[0].endswith(_COMPANY_ENDINGS)
                and _KOREAN_NAME.fullmatch(words[1]) and words[1][0] in SURNAMES):
            cut = e.start + len(words[0])
            out.append(Entity(e.start, cut, "OG", text[e.start:cut]))
            out.append(Entity(cut + 1, e.end, "PS", text[cut + 1:e.end]))
        else:
            out.append(e)
    return out


def postprocess(text: str, ents: list[Entity]) -> list[Entity]:
    ents = _split_company_from_person(text, ents)
    spans = _money_spans(text)
    if not spans:
        return ents
    out = list(ents)
    for s, e in spans:
        overl = [x for x in out if x.start < e and s < x.end]
        if any(x.type != "QT" for x in overl):
            continue  # the CRF chose another type there; leave it alone
        # keep a QT that already extends the match on the left (약 1천만원 is rare; keep the model's)
        start = min([s] + [x.start for x in overl])
        end = max([e] + [x.end for x in overl])
        out = [x for x in out if x not in overl]
        out.append(Entity(start, end, "QT", text[start:end]))
    return sorted(out, key=lambda x: (x.start, x.end))
