"""Rule fixes applied after the CRF, where a pattern is more reliable than the model.

Money written with big-number units and commas (`1조2,500억원`, `2,100억 원`) is one QT
span in KLUE; the CRF, seeing characters one at a time, sometimes stops at a comma or a
unit, so a regex match replaces any QT piece it overlaps.
"""

from __future__ import annotations

import re

from ingest.ner import Entity

_NUM = r"\d[\d,]*(?:\.\d+)?"
_MONEY_RE = re.compile(
    rf"(?<![\d,.])(?:{_NUM}[조억만천]{{0,2}}\s?)+(?:원|달러|엔|위안|유로|파운드)"
)


def _money_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MONEY_RE.finditer(text)]


def postprocess(text: str, ents: list[Entity]) -> list[Entity]:
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
