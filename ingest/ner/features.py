"""Syllable-level features for the entity CRF.

One item per non-space character; KLUE entity spans do not always align with Kiwi
morphemes (`최모(32)씨` -> PS `최`, `소녀시대` split as 소녀시/대), so labels live on
characters and Kiwi only contributes features: the tag of the morpheme covering the
character, the character's place in it, the neighbouring morphemes, and gazetteer hints.
Training (bench/train_ner.py) and tagging (ingest.ner) both call `sentence_items`, so the
two can never drift apart.
"""

from __future__ import annotations

from ingest.morph import Token
from ingest.ner import gazetteer as gz

NOMINAL = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XSN", "XPN"})


def char_kind(ch: str) -> str:
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3:
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L" if ch.islower() else "U"
    if 0x4E00 <= o <= 0x9FFF:
        return "C"
    if ch in "()[]{}<>〈〉《》「」『』【】":
        return "B"
    if ch in "'\"‘’“”":
        return "Q"
    if ch in ".,·:;!?~-":
        return "P"
    return "O"


def _suffix_hint(form: str, suffixes: tuple[str, ...]) -> str | None:
    for s in suffixes:
        if len(form) > len(s) and form.endswith(s):
            return s
    return None


def sentence_items(text: str, toks: list[Token]) -> tuple[list[int], list[list[str]]]:
    """(positions, features): the char offset of every non-space character and its features."""
    n = len(text)
    tag = ["NA"] * n
    mpos = ["S"] * n
    midx = [-1] * n
    for k, t in enumerate(toks):
        s, e = max(t.start, 0), min(t.end, n)
        for p in range(s, e):
            if midx[p] == -1:
                midx[p] = k
                tag[p] = t.tag
                mpos[p] = "S" if e - s == 1 else ("B" if p == s else ("E" if p == e - 1 else "I"))

    # Per-morpheme hints, computed once per morpheme rather than per character.
    mfeat: list[list[str]] = []
    ntok = len(toks)
    for k, t in enumerate(toks):
        f = t.form
        feats = ["m:" + f if len(f) <= 6 else "m:LONG", "ml:%s%d" % (t.tag, min(len(f), 5))]
        prev_t = toks[k - 1] if k > 0 else None
        next_t = toks[k + 1] if k + 1 < ntok else None
        nn_t = toks[k + 2] if k + 2 < ntok else None
        feats.append("T-:" + (prev_t.tag if prev_t else "BOS"))
        feats.append("T+:" + (next_t.tag if next_t else "EOS"))
        feats.append("T-T+:%s|%s" % (prev_t.tag if prev_t else "BOS", next_t.tag if next_t else "EOS"))
        if next_t is not None:
            nf = next_t.form
            if next_t.tag in NOMINAL or next_t.tag.startswith("J"):
                feats.append("m+:" + nf)
            if nf in gz.TITLES:
                feats.append("title+")
            if nn_t is not None and nn_t.form in gz.TITLES and next_t.tag == "NNP":
                feats.append("title++")
        if prev_t is not None and (prev_t.tag in NOMINAL or prev_t.tag in ("MM", "SSO", "SSC")):
            feats.append("m-:" + prev_t.form)
        if f in gz.PLACES:
            feats.append("gz:place")
        if f in gz.DATE_WORDS:
            feats.append("gz:date")
        if f in gz.TIME_WORDS:
            feats.append("gz:time")
        if t.tag in ("NNP", "NNG", "SL"):
            s = _suffix_hint(f, gz.ORG_SUFFIXES)
            if s:
                feats.append("orgsuf:" + s)
            s = _suffix_hint(f, gz.LOC_SUFFIXES)
            if s:
                feats.append("locsuf:" + s)
        if t.tag == "SN" and next_t is not None:
            nf = next_t.form
            if nf in gz.DT_UNITS:
                feats.append("num:DT")
            elif nf in gz.TI_UNITS:
                feats.append("num:TI")
            elif nf in gz.QT_COUNTERS or next_t.tag == "NNB":
                feats.append("num:QT")
            feats.append("num+:" + nf)
        if t.tag in ("NNB", "NNG", "NR", "SL", "SW") and prev_t is not None and prev_t.tag in ("SN", "NR"):
            feats.append("cnt:" + f)
        mfeat.append(feats)

    positions = [p for p in range(n) if not text[p].isspace()]
    chars = [text[p] for p in positions]
    kinds = [char_kind(c) for c in chars]
    m = len(positions)
    items: list[list[str]] = []
    for i, p in enumerate(positions):
        c = chars[i]
        ws_before = p == 0 or text[p - 1].isspace()
        ws_after = p + 1 >= n or text[p + 1].isspace()
        cp = chars[i - 1] if i > 0 else "<s>"
        cn = chars[i + 1] if i + 1 < m else "</s>"
        cp2 = chars[i - 2] if i > 1 else "<s>"
        cn2 = chars[i + 2] if i + 2 < m else "</s>"
        kp = kinds[i - 1] if i > 0 else "S"
        kn = kinds[i + 1] if i + 1 < m else "S"
        t = tag[p]
        mp = mpos[p]
        f = [
            "c:" + c,
            "c-:" + cp,
            "c+:" + cn,
            "c--:" + cp2,
            "c++:" + cn2,
            "b-:" + cp + c,
            "b+:" + c + cn,
            "tri:" + cp + c + cn,
            "k:" + kinds[i],
            "kk:" + kp + kinds[i] + kn,
            "T:" + t,
            "TP:" + t + mp,
            "TPw:%s%s%d%d" % (t, mp, ws_before, ws_after),
        ]
        if ws_before:
            f.append("wsb")
        if ws_after:
            f.append("wsa")
        if t == "NNP" and mp in ("B", "S") and c in gz.SURNAMES:
            f.append("surname")
        k = midx[p]
        if k >= 0:
            f.extend(mfeat[k])
        # The tag of the morpheme covering the previous/next character (across spaces).
        if i > 0:
            pp = positions[i - 1]
            f.append("Tc-:" + tag[pp] + ("_" if ws_before else ""))
        if i + 1 < m:
            pn = positions[i + 1]
            f.append("Tc+:" + tag[pn] + ("_" if ws_after else ""))
        items.append(f)
    return positions, items
