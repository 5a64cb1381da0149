"""Syllable-level features for the entity CRF.

One item per non-space character; KLUE entity spans do not always align with Kiwi
morphemes (`최모(32)씨` -> PS `최`, `소녀시대` split as 소녀시/대), so labels live on
characters and Kiwi only contributes features: the tag of the morpheme covering the
character, the character's place in it, the neighbouring morphemes, and gazetteer hints.
Training (bench/train_ner.py) and tagging (ingest.ner) both call `sentence_items`, so the
two can never drift apart.
"""

from __future__ import annotations

from functools import lru_cache

from ingest.morph import Token
from ingest.ner import gazetteer as gz

NOMINAL = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XSN", "XPN"})


def _classify(ch: str) -> str:
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


# Characters repeat endlessly; a dict lookup is several times cheaper than classifying again.
_KINDS: dict[str, str] = {}


def char_kind(ch: str) -> str:
    k = _KINDS.get(ch)
    if k is None:
        k = _KINDS[ch] = _classify(ch)
    return k


GAZ: dict[str, str] = {w: "LC" for w in gz.PLACES}
GAZ.update({w: "OG" for w in gz.ORGS})
# Lengths that occur, longest first: trying only these finds the same longest match.
_GAZ_LENGTHS = sorted({len(w) for w in GAZ}, reverse=True)


def _gazetteer_marks(text: str, starts: list[int]) -> dict[int, str]:
    """Longest gazetteer match beginning at each word start: char offset -> feature."""
    marks: dict[int, str] = {}
    n = len(text)
    for p in starts:
        for ln in _GAZ_LENGTHS:
            if ln > n - p:
                continue
            typ = GAZ.get(text[p : p + ln])
            if typ is None:
                continue
            marks[p] = "gzB:" + typ
            for q in range(p + 1, p + ln):
                marks[q] = "gzI:" + typ
            if p + ln < n:
                marks.setdefault(p + ln, "gzA:" + typ)
            break
    return marks


def _is_hangul(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def _name_marks(text: str, starts: list[int]) -> dict[int, str]:
    """Words shaped like a Korean name: a surname, one or two more syllables, then only a
    particle or 씨 (Kiwi often splits unknown names: 윤/NNP 일/MM 록/NNG 이/JKS)."""
    marks: dict[int, str] = {}
    n = len(text)
    for p in starts:
        if text[p] not in gz.SURNAMES:
            continue
        we = p
        while we < n and _is_hangul(text[we]):
            we += 1
        nxt = text[we] if we < n else " "
        for ln in (3, 2, 4):
            if p + ln > we:
                continue
            tail = text[p + ln : we]
            if tail and tail not in gz.NAME_TAILS:
                continue
            if not tail and nxt not in " (,·":
                continue
            tag = "nm%d" % ln + ("p" if tail else ("b" if nxt == "(" else "s"))
            marks[p] = tag + "B"
            for q in range(p + 1, p + ln):
                marks[q] = tag + "I"
            break
    return marks


_SUFFIX_RANK = {
    id(sfx): {w: r for r, w in reversed(list(enumerate(sfx)))} for sfx in (gz.ORG_SUFFIXES, gz.LOC_SUFFIXES)
}
_SUFFIX_MAXLEN = max(len(w) for w in gz.ORG_SUFFIXES + gz.LOC_SUFFIXES)


def _suffix_hint(form: str, suffixes: tuple[str, ...]) -> str | None:
    """The first of `suffixes` (in list order) that `form` ends with, leaving a non-empty stem."""
    rank = _SUFFIX_RANK[id(suffixes)]
    best: str | None = None
    best_r = len(suffixes)
    for ln in range(1, min(_SUFFIX_MAXLEN, len(form) - 1) + 1):
        r = rank.get(form[-ln:])
        if r is not None and r < best_r:
            best, best_r = form[-ln:], r
    return best


@lru_cache(maxsize=65536)
def _org_suffix(form: str) -> str | None:
    return _suffix_hint(form, gz.ORG_SUFFIXES)


@lru_cache(maxsize=65536)
def _loc_suffix(form: str) -> str | None:
    return _suffix_hint(form, gz.LOC_SUFFIXES)


@lru_cache(maxsize=65536)
def _morpheme_own(form: str, tag: str) -> tuple[str, ...]:
    """The features a morpheme has whatever surrounds it (cached: forms repeat a lot)."""
    feats = ["m:" + form if len(form) <= 6 else "m:LONG", "ml:%s%d" % (tag, min(len(form), 5))]
    if form in gz.PLACES:
        feats.append("gz:place")
    if form in gz.DATE_WORDS:
        feats.append("gz:date")
    if form in gz.TIME_WORDS:
        feats.append("gz:time")
    if tag in ("NNP", "NNG", "SL"):
        s = _org_suffix(form)
        if s:
            feats.append("orgsuf:" + s)
        s = _loc_suffix(form)
        if s:
            feats.append("locsuf:" + s)
    return tuple(feats)


def _morpheme_features(toks: list[Token]) -> list[list[str]]:
    """Per-morpheme hints, computed once per morpheme rather than per character."""
    out: list[list[str]] = []
    ntok = len(toks)
    for k, t in enumerate(toks):
        f = t.form
        prev_t = toks[k - 1] if k > 0 else None
        next_t = toks[k + 1] if k + 1 < ntok else None
        ptag = prev_t.tag if prev_t else "BOS"
        ntag = next_t.tag if next_t else "EOS"
        feats = list(_morpheme_own(f, t.tag))
        feats.append("T-:" + ptag)
        feats.append("T+:" + ntag)
        feats.append("T-T+:" + ptag + "|" + ntag)
        if next_t is not None:
            nf = next_t.form
            if ntag in NOMINAL or ntag[0] == "J":
                feats.append("m+:" + nf)
            if nf in gz.TITLES:
                feats.append("title+")
            if k + 2 < ntok and toks[k + 2].form in gz.TITLES and ntag == "NNP":
                feats.append("title++")
            if t.tag == "SN":
                if nf in gz.DT_UNITS:
                    feats.append("num:DT")
                elif nf in gz.TI_UNITS:
                    feats.append("num:TI")
                elif nf in gz.QT_COUNTERS or ntag == "NNB":
                    feats.append("num:QT")
                feats.append("num+:" + nf)
        if prev_t is not None:
            if ptag in NOMINAL or ptag in ("MM", "SSO", "SSC"):
                feats.append("m-:" + prev_t.form)
            if t.tag in ("NNB", "NNG", "NR", "SL", "SW") and ptag in ("SN", "NR"):
                feats.append("cnt:" + f)
        out.append(feats)
    return out


def _word_features(text: str, toks: list[Token]) -> dict[int, list[str]]:
    """Noun stem of each word: the run of nominal morphemes a word starts with
    (보건/복지/부 + 에 -> 보건복지부), so a compound's head noun is visible to all its chars."""
    n = len(text)
    ntok = len(toks)
    wfeat: dict[int, list[str]] = {}
    k = 0
    while k < ntok:
        t = toks[k]
        if t.tag not in NOMINAL or t.tag == "SN":
            k += 1
            continue
        j = k
        while j + 1 < ntok and toks[j + 1].tag in NOMINAL and toks[j + 1].start == toks[j].end:
            j += 1
        s0, e0 = toks[k].start, toks[j].end
        stem = text[s0:e0]
        after = toks[j + 1] if j + 1 < ntok else None
        fs = ["wh:" + toks[j].form, "wl:%d" % min(e0 - s0, 6)]
        if j > k:
            fs.append("wm:%d" % min(j - k + 1, 4))
        if after is not None and after.start == e0:
            fs.append("wJ:" + (after.form if after.tag.startswith("J") else after.tag))
        suf = _org_suffix(stem)
        if suf:
            fs.append("wog:" + suf)
        suf = _loc_suffix(stem)
        if suf:
            fs.append("wlc:" + suf)
        for p in range(s0, min(e0, n)):
            wfeat[p] = fs + ["wp:" + ("B" if p == s0 else ("E" if p == e0 - 1 else "I"))]
        k = j + 1
    return wfeat


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

    positions = [p for p in range(n) if not text[p].isspace()]
    m = len(positions)
    if m == 0:
        return positions, []
    mfeat = _morpheme_features(toks)
    wfeat = _word_features(text, toks)
    chars = [text[p] for p in positions]
    kinds = [char_kind(c) for c in chars]

    # Gazetteer matches start where a word starts (after a space, bracket or quote).
    starts = [
        p for p in positions
        if p == 0 or text[p - 1].isspace() or char_kind(text[p - 1]) in "BQP"
    ]
    gmarks = _gazetteer_marks(text, starts)
    nmarks = _name_marks(text, starts)

    # Built column by column (list comprehensions over whole sentences are several times
    # faster than one Python loop per character, and tagging speed matters: >= 300 sentences/s).
    pc = ["<s>", "<s>"] + chars + ["</s>", "</s>"]
    pk = ["S"] + kinds + ["S"]
    wsb = [p == 0 or text[p - 1].isspace() for p in positions]
    wsa = [p + 1 >= n or text[p + 1].isspace() for p in positions]
    ptag = [tag[p] for p in positions]
    pmp = [mpos[p] for p in positions]
    tc_prev = ["Tc-:" + t + ("_" if b else "") for t, b in zip(ptag, wsb[1:])]
    tc_next = ["Tc+:" + t + ("_" if a else "") for t, a in zip(ptag[1:], wsa)]
    cols = [
        ["c:" + c for c in chars],
        ["c-:" + c for c in pc[1 : m + 1]],
        ["c+:" + c for c in pc[3 : m + 3]],
        ["c--:" + c for c in pc[0:m]],
        ["c++:" + c for c in pc[4 : m + 4]],
        ["b-:" + a + b for a, b in zip(pc[1 : m + 1], chars)],
        ["b+:" + a + b for a, b in zip(chars, pc[3 : m + 3])],
        ["tri:" + a + b + c for a, b, c in zip(pc[1 : m + 1], chars, pc[3 : m + 3])],
        ["k:" + k for k in kinds],
        ["kk:" + a + b + c for a, b, c in zip(pk[0:m], kinds, pk[2 : m + 2])],
        ["T:" + t for t in ptag],
        ["TP:" + t + q for t, q in zip(ptag, pmp)],
        ["TPw:%s%s%d%d" % x for x in zip(ptag, pmp, wsb, wsa)],
    ]
    items = [list(row) for row in zip(*cols)]
    surnames = gz.SURNAMES
    empty: list[str] = []
    for i, p in enumerate(positions):
        f = items[i]
        if wsb[i]:
            f.append("wsb")
        if i > 0:
            f.append(tc_prev[i - 1])
        if wsa[i]:
            f.append("wsa")
        if i + 1 < m:
            f.append(tc_next[i])
        if ptag[i] == "NNP" and chars[i] in surnames and pmp[i] in ("B", "S"):
            f.append("surname")
        k = midx[p]
        if k >= 0:
            f += mfeat[k]
        if p in gmarks:
            f.append(gmarks[p])
        if p in nmarks:
            f.append(nmarks[p])
        f += wfeat.get(p, empty)
    return positions, items
