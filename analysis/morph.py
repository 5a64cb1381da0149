"""Korean morphology with Kiwi: one analyser per process, loaded on first use.

Search indexes and queries both go through `content_morphemes`, so a word and its
particle-laden forms (카카오가, 카카오는, 카카오의) reduce to the same index term.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import takewhile
from typing import NamedTuple

from kiwipiepy import Kiwi

# Tags whose forms carry content: nouns, numbers, foreign words, roots, verb and
# adjective stems, adverbs. Particles (J*), endings (E*), affixes and punctuation are left out
# so they never pollute matches.
CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XR", "VV", "VA", "MAG", "MM"}
)

_lock = threading.Lock()
_kiwi: Kiwi | None = None


def kiwi() -> Kiwi:
    """The shared Kiwi instance (loading takes about two seconds, so it happens once)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                _kiwi = Kiwi()
    return _kiwi


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class Token(NamedTuple):
    """One morpheme with character offsets (a tuple: built for every morpheme of every
    sentence, and a frozen dataclass costs several times more to create)."""

    form: str
    tag: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Kiwi tokens with character offsets into `text`."""
    return [Token(t.form, t.tag, t.start, t.start + t.len) for t in kiwi().tokenize(text)]


# Brand names written with a colon ('믿:음', '큐:') vanish in analysis: Kiwi reads the
# syllables around the colon as endings. The name without its colon is kept as a term, in
# the index and in questions alike.
_COLON_NAME = re.compile(r"(?<![가-힣])([가-힣]+):([가-힣]+|(?=['\"‘’“”()]))")


def colon_names(text: str, known: list[str] | tuple[str, ...] = ()) -> list[str]:
    """'KT의 믿:음 2.0' -> ['믿음']; "'큐:(Cue:)'" -> ['큐'] (unless `known` has them)."""
    return [a + b for a, b in _COLON_NAME.findall(text) if a + b not in known]


def terms_of(toks: list[Token]) -> list[str]:
    """Index terms of already analysed tokens (see `content_morphemes`)."""
    return [t.form.lower() for t in toks if t.tag in CONTENT_TAGS and t.form.strip()]


_ALNUM_TAGS = frozenset({"SL", "SN"})


def tagged_index_terms(toks: Sequence[Token]) -> list[tuple[str, str]]:
    """Content morphemes (form, tag) and, after the pieces of a model name written as one
    word of letters and digits (S8, HBM3E, H100), the whole name tagged SL: Kiwi reads it
    as letters and a number apart, and a question about the S8 must not be as much about
    the S7."""
    found: list[tuple[str, str]] = []
    run: list[Token] = []
    for t in toks:
        if t.tag in _ALNUM_TAGS and run and run[-1].end == t.start:
            run.append(t)
        else:
            found.extend(_model_name(run))
            run = [t] if t.tag in _ALNUM_TAGS else []
        if t.tag in CONTENT_TAGS and t.form.strip():
            found.append((t.form.lower(), t.tag))
    found.extend(_model_name(run))
    return found


def _model_name(run: list[Token]) -> list[tuple[str, str]]:
    tags = {t.tag for t in run}
    if len(run) < 2 or tags != _ALNUM_TAGS:
        return []
    return [("".join(t.form for t in run).lower(), "SL")]


def is_model_name(form: str, tag: str) -> bool:
    """Whether a (form, tag) of `tagged_index_terms` is a joined model name: Kiwi's own SL
    tokens hold letters only."""
    return tag == "SL" and any(c.isdigit() for c in form)


def index_terms(toks: Sequence[Token], text: str) -> list[str]:
    """The terms a text is indexed and searched by: content morphemes, model names written
    as one word, and brand names written with a colon."""
    terms = [form for form, _ in tagged_index_terms(toks)]
    return terms + colon_names(text, terms)


@lru_cache(maxsize=4096)
def _cached_terms(text: str) -> tuple[str, ...]:
    return tuple(terms_of(tokens(text)))


def content_morphemes(text: str) -> list[str]:
    """The content morphemes of `text`, lower-cased, in order (cached for short texts),
    then any brand names written with a colon."""
    terms = list(_cached_terms(text)) if len(text) <= 300 else terms_of(tokens(text))
    return terms + colon_names(text, terms)


# Endings a verb stem is seen with in running text; joined to a stem they give the surface
# forms to look for ('오르' -> 오른, 올랐, 올라, ...), irregular stems included.
_ENDINGS = (("ᆫ", "ETM"), ("는", "ETM"), ("ᆯ", "ETM"), ("었", "EP"), ("어", "EC"), ("고", "EC"),
            ("며", "EC"), ("게", "EC"), ("지", "EC"), ("다", "EF"), ("기", "ETN"), ("음", "ETN"))


@lru_cache(maxsize=1024)
def verb_forms(stem: str, tag: str) -> tuple[str, ...]:
    """Surface forms of a verb or adjective stem, two characters or longer (a one-syllable
    form such as 안 or 써 is found inside too many other words to mean anything)."""
    forms = set()
    for ending in _ENDINGS:
        try:
            forms.add(kiwi().join([(stem, tag), ending]))
        except Exception:  # Kiwi refuses some stem/ending pairs; the others still count
            continue
    return tuple(sorted(f for f in forms if len(f) >= 2))


@lru_cache(maxsize=4096)
def _cached_index_terms(text: str) -> tuple[str, ...]:
    return tuple(index_terms(tokens(text), text))


def index_terms_of(text: str) -> list[str]:
    """`index_terms` of a text not analysed yet (cached for short texts)."""
    return list(_cached_index_terms(text)) if len(text) <= 300 else index_terms(tokens(text), text)


@lru_cache(maxsize=8192)
def similar_morphemes(form: str, tag: str, limit: int = 8,
                      floor: float = 0.6) -> tuple[tuple[str, str], ...]:
    """Morphemes of like meaning by Kiwi's CoNg model (사퇴 -> 사임, 퇴진; 출시 -> 발매, 론칭;
    잃 -> 상실), best first, as (form, tag) with Kiwi's irregular marks dropped ('VV-I' ->
    VV); () for a morpheme the model does not know. The neighbours are noisy (some are
    merely words seen in the same places), so callers weigh them low."""
    try:
        found = kiwi().most_similar_morphemes((form, tag), top_n=limit)
    except (ValueError, KeyError, RuntimeError):  # unknown to the model, or not one morpheme
        return ()
    return tuple((m.form.lower(), str(m.tag).split("-")[0]) for m in found
                 if m.score >= floor and m.form.strip() and m.form != form)


class Sentence(NamedTuple):
    text: str
    tokens: list[Token]  # offsets into `text`


_SENTENCE_END = re.compile(r"[.!?。](?=\s)")


def sentences(paragraph: str) -> list[Sentence]:
    """Sentences of one paragraph with their tokens, as Kiwi splits them (quotes spanning a
    period stay whole), mended where Kiwi ends a sentence after a quoted name that the next
    sentence's particle belongs to ('…개봉했다. "다음 날"' + '로 첫 곡을 불렀다')."""
    spans = [(s.start, s.end, list(s.tokens))
             for s in kiwi().split_into_sents(paragraph, return_tokens=True)]
    mended: list[tuple[int, int, list]] = []  # (start, end, Kiwi tokens) in the paragraph
    for start, end, toks in spans:
        if mended and toks and (toks[0].tag.startswith(("J", "E")) or toks[0].tag == "VCP"):
            # A sentence does not start with a particle or an ending: what the previous one
            # holds after its last sentence end belongs here.
            prev_start, prev_end, prev_toks = mended.pop()
            ends = list(_SENTENCE_END.finditer(paragraph, prev_start, prev_end))
            cut = ends[-1].end() if ends else prev_start
            if ends:
                mended.append((prev_start, cut, [t for t in prev_toks if t.start < cut]))
            start, toks = cut, [t for t in prev_toks if t.start >= cut] + toks
        elif mended and toks and toks[0].tag == "SF":
            # '…종료된다.(출처 2003)' + '. 다음 문장': the stray period ends the previous one.
            prev_start, _, prev_toks = mended.pop()
            stray = list(takewhile(lambda t: t.tag == "SF", toks))
            cut = stray[-1].start + stray[-1].len
            mended.append((prev_start, cut, prev_toks + stray))
            start, toks = cut, toks[len(stray):]
            if not toks:
                continue
        mended.append((start, end, toks))
    found = []
    for start, end, toks in mended:
        text = paragraph[start:end]
        base = start + len(text) - len(text.lstrip())
        if text.strip():
            found.append(Sentence(text.strip(), [
                Token(t.form, t.tag, t.start - base, t.start - base + t.len) for t in toks]))
    return found
