"""Syllable-level features for the entity CRF.

One item per non-space character; KLUE entity spans do not always align with Kiwi
morphemes (`최모(32)씨` -> PS `최`, `소녀시대` split as 소녀시/대), so labels live on
characters and Kiwi only contributes features: the tag of the morpheme covering the
character, the character's place in it, the neighbouring morphemes, and gazetteer hints.
Training (bench/train_ner.py) and tagging (analysis.ner) both call `sentence_items`, so the
two can never drift apart.
"""

from __future__ import annotations

from functools import lru_cache

from analysis.morph import Token
from analysis.ner import gazetteer as gz

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
# For each first character, the entry lengths that occur, longest first: trying only these
# finds the same longest match, and most word starts have none at all.
_GAZ_LENGTHS: dict[str, list[int]] = {}
for _w in GAZ:
    _GAZ_LENGTHS.setdefault(_w[0], []).append(len(_w))
for _lens in _GAZ_LENGTHS.values():
    _lens[:] = sorted(set(_lens), reverse=True)


def _gazetteer_marks(text: str, starts: list[int]) -> dict[int, str]:
    """Longest gazetteer match beginning at each word start: char offset -> feature."""
    marks: dict[int, str] = {}
    n = len(text)
    for p in starts:
        for ln in _GAZ_LENGTHS.get(text[p], ()):
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
        feats += _suffix_features(form, "orgsuf:", "locsuf:")
    return tuple(feats)


def _suffix_features(word: str, org_prefix: str, loc_prefix: str) -> list[str]:
    """The organisation and place endings `word` has, as features with the given prefixes."""
    found = []
    suffix = _org_suffix(word)
    if suffix:
        found.append(org_prefix + suffix)
    suffix = _loc_suffix(word)
    if suffix:
        found.append(loc_prefix + suffix)
    return found


def _morpheme_features(toks: list[Token]) -> list[list[str]]:
    """Per-morpheme hints, computed once per morpheme rather than per character."""
    forms = [t.form for t in toks]
    tags = [t.tag for t in toks]
    ptags = ["BOS"] + tags[:-1]
    ntags = tags[1:] + ["EOS"]
    out = [
        [*_morpheme_own(f, t), "T-:" + a, "T+:" + b, "T-T+:" + a + "|" + b]
        for f, t, a, b in zip(forms, tags, ptags, ntags)
    ]
    titles = gz.TITLES
    last = len(toks) - 1
    for k, (f, tag, feats) in enumerate(zip(forms, tags, out)):
        if k < last:
            nf = forms[k + 1]
            ntag = tags[k + 1]
            if ntag in NOMINAL or ntag[0] == "J":
                feats.append("m+:" + nf)
            if nf in titles:
                feats.append("title+")
            if k + 1 < last and ntag == "NNP" and forms[k + 2] in titles:
                feats.append("title++")
            if tag == "SN":
                if nf in gz.DT_UNITS:
                    feats.append("num:DT")
                elif nf in gz.TI_UNITS:
                    feats.append("num:TI")
                elif nf in gz.QT_COUNTERS or ntag == "NNB":
                    feats.append("num:QT")
                feats.append("num+:" + nf)
        if k > 0:
            ptag = tags[k - 1]
            if ptag in NOMINAL or ptag in ("MM", "SSO", "SSC"):
                feats.append("m-:" + forms[k - 1])
            if tag in ("NNB", "NNG", "NR", "SL", "SW") and ptag in ("SN", "NR"):
                feats.append("cnt:" + f)
    return out


@lru_cache(maxsize=65536)
def _stem_features(
    stem: str, length: int, head: str, nmorph: int, after: str | None
) -> tuple[list[str], list[str], list[str]]:
    """A noun stem's features for its first, inner and last characters (cached: stems repeat;
    the lists are shared, so callers copy them, never modify them)."""
    fs = ["wh:" + head, "wl:%d" % min(length, 6)]
    if nmorph > 1:
        fs.append("wm:%d" % min(nmorph, 4))
    if after is not None:
        fs.append("wJ:" + after)
    fs += _suffix_features(stem, "wog:", "wlc:")
    return fs + ["wp:B"], fs + ["wp:I"], fs + ["wp:E"]


def _word_features(text: str, toks: list[Token]) -> dict[int, list[str]]:
    """Noun stem of each word: the run of nominal morphemes a word starts with
    (보건/복지/부 + 에 -> 보건복지부), so a compound's head noun is visible to all its chars.
    Returns char offset -> features (shared lists: do not modify)."""
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
        s0, e0 = t.start, toks[j].end
        after = toks[j + 1] if j + 1 < ntok else None
        if after is not None and after.start == e0:
            after_key = after.form if after.tag.startswith("J") else after.tag
        else:
            after_key = None
        first, inner, last = _stem_features(
            text[s0:e0], e0 - s0, toks[j].form, j - k + 1, after_key
        )
        e1 = min(e0, n)
        if s0 < e1:
            for p in range(s0 + 1, e1):
                wfeat[p] = inner
            if e1 == e0:
                wfeat[e0 - 1] = last
            wfeat[s0] = first  # a one-character stem is B
        k = j + 1
    return wfeat


def _mpos(length: int) -> list[str]:
    """Each character's place in a morpheme of `length` characters: S, or B I.. E."""
    return ["S"] if length == 1 else ["B"] + ["I"] * (length - 2) + ["E"]


_MPOS = [[], *(_mpos(ln) for ln in range(1, 33))]


def sentence_items(text: str, toks: list[Token]) -> tuple[list[int], list[list[str]]]:
    """(positions, features): the char offset of every non-space character and its features."""
    n = len(text)
    # The morpheme covering each character (the first one where Kiwi's tokens overlap) and the
    # character's place in it.
    tag = ["NA"] * n
    mpos = ["S"] * n
    midx = [-1] * n
    covered = 0  # every token so far ends at or before this offset
    for k, t in enumerate(toks):
        s, e = max(t.start, 0), min(t.end, n)
        if s >= e:
            continue
        if s >= covered and e - s < len(_MPOS):  # nothing in s..e is taken: fill it at once
            tag[s:e] = [t.tag] * (e - s)
            mpos[s:e] = _MPOS[e - s]
            midx[s:e] = [k] * (e - s)
        else:
            for p in range(s, e):
                if midx[p] == -1:
                    midx[p] = k
                    tag[p] = t.tag
                    mpos[p] = "S" if e - s == 1 else ("B" if p == s else ("E" if p == e - 1 else "I"))
        if e > covered:
            covered = e

    positions = [p for p in range(n) if not text[p].isspace()]
    m = len(positions)
    if m == 0:
        return positions, []
    mfeat = _morpheme_features(toks)
    wfeat = _word_features(text, toks)
    chars = [text[p] for p in positions]
    kinds = [char_kind(c) for c in chars]
    pk = ["S"] + kinds + ["S"]
    wsb = [p == 0 or text[p - 1].isspace() for p in positions]
    wsa = [p + 1 >= n or text[p + 1].isspace() for p in positions]

    # Gazetteer matches start where a word starts (after a space, bracket or quote).
    # (text[p - 1] is a space or the previous item's character, whose kind pk[i] holds.)
    starts = [p for p, b, k in zip(positions, wsb, pk) if b or k in "BQP"]
    gmarks = _gazetteer_marks(text, starts)
    nmarks = _name_marks(text, starts)

    # Built column by column (list comprehensions over whole sentences are several times
    # faster than one Python loop per character, and tagging speed matters: >= 300 sentences/s).
    pc = ["<s>", "<s>"] + chars + ["</s>", "</s>"]
    ptag = [tag[p] for p in positions]
    pmp = [mpos[p] for p in positions]
    b01 = ["1" if b else "0" for b in wsb]
    a01 = ["1" if a else "0" for a in wsa]
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
        # (plain concatenation: %-formatting costs several times as much)
        ["TPw:" + t + q + x + y for t, q, x, y in zip(ptag, pmp, b01, a01)],
    ]
    # Space marks, and the neighbouring characters' morpheme tags ("_": a space between).
    tc_prev = ["Tc-:" + t + ("_" if b else "") for t, b in zip(ptag, wsb[1:])]
    tc_next = ["Tc+:" + t + ("_" if a else "") for t, a in zip(ptag[1:], wsa)]
    around = [
        (("wsb",) if b else ()) + ((tp,) if tp else ())
        + (("wsa",) if a else ()) + ((tn,) if tn else ())
        for b, a, tp, tn in zip(wsb, wsa, [""] + tc_prev, tc_next + [""])
    ]
    # An empty entry last, for the rare character no morpheme covers (midx -1).
    mfeat.append([])
    mf = [mfeat[midx[p]] for p in positions]
    none: tuple[str, ...] = ()
    wf = [wfeat.get(p, none) for p in positions]
    items = [[*row, *c, *a, *b] for row, c, a, b in zip(zip(*cols), around, mf, wf)]

    # Rare features: a few characters a sentence.
    surnames = gz.SURNAMES
    for i in [i for i, t in enumerate(ptag) if t == "NNP"]:
        if pmp[i] in "BS" and chars[i] in surnames:
            items[i].append("surname")
    if gmarks or nmarks:
        index = {p: i for i, p in enumerate(positions)}
        for marks in (gmarks, nmarks):
            for p, g in marks.items():
                i = index.get(p)
                if i is not None:
                    items[i].append(g)
    return positions, items
