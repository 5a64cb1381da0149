"""Latin spellings a Hangul word may stand for: 카나나 -> kanana, 나노 -> nano.

People type a product's name the way it sounds in Korean (카나나 나노) while articles write
it in Latin letters (Kanana Nano). Each syllable is read letter by letter, and each letter
gives the Latin letters it is commonly written with in names (ㄱ as g or k, ㄹ as r or l,
ㅓ as eo or u, ㅡ as nothing); every combination is one spelling to look up. Words
that are transcriptions of a foreign name come out right this way; most native words come
out as strings no article writes in Latin letters, so looking them up costs nothing wrong.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

_FIRST = (("g", "k"), ("kk", "k"), ("n",), ("d", "t"), ("tt", "t"), ("r", "l"), ("m",),
          ("b", "p"), ("pp", "p"), ("s",), ("ss", "s"), ("",), ("j", "z"), ("jj", "j"),
          ("ch", "c"), ("k", "c"), ("t",), ("p", "f"), ("h",))
_VOWEL = (("a",), ("ae", "e", "a"), ("ya",), ("yae",), ("eo", "u", "o"), ("e",), ("yeo", "yo"),
          ("ye",), ("o",), ("wa",), ("wae",), ("oe", "we"), ("yo",), ("u", "oo"), ("wo",),
          ("we",), ("wi",), ("yu",), ("eu", "u"), ("ui",), ("i", "ee"))
_LAST = (("",), ("k", "g", "c"), ("kk", "k"), ("k",), ("n",), ("n",), ("n",), ("t", "d"),
         ("l", "r"), ("k",), ("m",), ("l",), ("l",), ("l",), ("p",), ("l",), ("m",), ("p", "b"),
         ("p",), ("t", "s"), ("t", "s"), ("ng",), ("t", "j"), ("t", "ch"), ("k",), ("t",),
         ("p",), ("t",))
_LIMIT = 256  # spellings of one word at most: a word of six or more syllables stops there


@lru_cache(maxsize=4096)
def latin_spellings(word: str) -> tuple[str, ...]:
    """The Latin spellings of a Hangul word of two or more syllables, most literal first;
    () for anything else."""
    if len(word) < 2 or not all("가" <= ch <= "힣" for ch in word):
        return ()
    pieces: list[tuple[str, ...]] = []
    for i, ch in enumerate(word):
        code = ord(ch) - ord("가")
        first, vowel, last = code // 588, (code % 588) // 28, code % 28
        vowels = _VOWEL[vowel]
        if vowel == 18:
            vowels = ("eu", "u", "")  # 시드 / seed, 클라우드 / cloud: a vowel only Korean says
        # Between vowels a final ㄹ and the next ㄹ are one sound (솔라 / sola).
        lasts = _LAST[last]
        if last == 8 and i + 1 < len(word) and (ord(word[i + 1]) - ord("가")) // 588 == 5:
            lasts = ("l", "")
        pieces.append(tuple(f + v + e for f in _FIRST[first] for v in vowels for e in lasts))
    spellings: list[str] = []
    for combination in product(*pieces):
        spellings.append("".join(combination))
        if len(spellings) >= _LIMIT:
            break
    return tuple(dict.fromkeys(spellings))
