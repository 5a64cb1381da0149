"""Who said what: direct quotes and their speakers.

News quotes in a fixed shape: `정 대표는 "…"라며 "…"고 밝혔다`. The quoted parts of one
statement are joined; a quote Kiwi split into two sentences (a period inside the quote
marks) is put back together; the speaker is the person or anonymous source named in the
statement, or else the one named last before it in the same or the previous paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.morph import Token
from analysis.roles import Person, RoleMention, eojeols

# A quote, in straight or curly double quotes.
_QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”')
# What follows a quote that someone said: "…"라며, "…"이라고, "…"고, "…"며, "…"면서.
_SPEECH = re.compile(r"^\s?(?:이?라(?:며|고|면서)|며|고|면서|하고)(?![가-힣])")
_MIN_QUOTE = 6  # characters; shorter quoted words are names or terms ('"AI 동맹"')


@dataclass(frozen=True, slots=True)
class Quote:
    sentence: int  # index of the sentence the quote starts in
    last_sentence: int
    text: str  # the quoted words, parts of one statement joined with a space
    kind: str  # 'person', 'anonymous', 'organisation'
    name: str = ""  # full name for a person
    org: str = ""
    title: str = ""
    label: str = ""  # how the article names the speaker: '정 대표', '카카오 관계자'


@dataclass(frozen=True, slots=True)
class _Speaker:
    kind: str
    name: str = ""
    org: str = ""
    title: str = ""
    label: str = ""


def quote_before(text: str, at: int) -> str | None:
    """The words of the quote that position `at` of `text` lies in, up to `at`; None when
    `at` is in no quote."""
    for m in _QUOTE.finditer(text):
        if m.start() < at < m.end():
            return text[m.start() + 1:at]
        if m.start() >= at:
            break
    return None


def _unbalanced(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def statements(paragraphs: Sequence[int], texts: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) sentence index of each statement: sentences joined while a quote is open."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(texts):
        j = i
        joined = texts[i]
        while _unbalanced(joined) and j + 1 < len(texts) and paragraphs[j + 1] == paragraphs[i]:
            j += 1
            joined += " " + texts[j]
        out.append((i, j))
        i = j + 1
    return out


def _speech_quotes(text: str) -> list[re.Match[str]]:
    """The quotes in a statement that are speech, not quoted names or terms."""
    found = []
    matches = list(_QUOTE.finditer(text))
    for m in matches:
        words = m.group(1) or m.group(2) or ""
        if len(words.strip()) < _MIN_QUOTE or " " not in words.strip():
            continue
        after = text[m.end() :]
        # A statement that is nothing but a quote continues the speaker before it.
        standalone = not text[: m.start()].strip() and not after.strip(" .")
        if _SPEECH.match(after) or standalone or _followed_by_speech(m, matches, text):
            found.append(m)
    return found


def _followed_by_speech(m: re.Match[str], matches: list[re.Match[str]], text: str) -> bool:
    """'"A." "B"라고 말했다': a quote that runs straight into another spoken one."""
    later = [x for x in matches if x.start() >= m.end()]
    return bool(later) and not text[m.end() : later[0].start()].strip(" .,") and bool(
        _SPEECH.match(text[later[0].end() :])
    )


def find_quotes(
    paragraphs: Sequence[int],
    texts: Sequence[str],
    mentions: Sequence[Sequence[RoleMention]],
    people: Sequence[Person],
    tokens: Sequence[Sequence[Token]] | None = None,
) -> list[Quote]:
    """The article's direct quotes with their speakers.

    `mentions[i]` are the role mentions found in sentence i (roles.find_roles plus bare
    names), `people` what roles.merge_people made of them; `tokens[i]` are sentence i's Kiwi
    tokens, used to recognise an organisation speaking (카카오는 "…"고 밝혔다).
    """
    person_of = {id(m): p for p in people for _, m in p.mentions}
    quotes: list[Quote] = []
    last_speaker: tuple[int, _Speaker] | None = None  # (paragraph, speaker)
    for first, last in statements(paragraphs, texts):
        offsets = []
        text = ""
        for k in range(first, last + 1):
            if text:
                text += " "
            offsets.append(len(text))
            text += texts[k]
        spoken = _speech_quotes(text)
        inside = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
        local: list[tuple[int, RoleMention]] = [
            (offsets[k - first] + m.start, m)
            for k in range(first, last + 1)
            for m in mentions[k]
            if not any(s <= offsets[k - first] + m.start < e for s, e in inside)
        ]
        speaker = None
        if spoken:
            speaker = _speaker_in(local, spoken[0].start(), person_of)
            if speaker is None and tokens is not None:
                speaker = _organisation_speaker(texts[first], tokens[first], inside)
            if speaker is None and last_speaker and paragraphs[first] - last_speaker[0] <= 1:
                speaker = last_speaker[1]
            if speaker is not None:
                words = _joined([(m.group(1) or m.group(2)).strip() for m in spoken])
                quotes.append(
                    Quote(first, last, words, speaker.kind, speaker.name, speaker.org,
                          speaker.title, speaker.label)
                )
        # The latest named subject becomes the speaker of a quote that names nobody.
        named = _speaker_in(local, len(text) + 1, person_of) if local else None
        if speaker is not None:
            last_speaker = (paragraphs[first], speaker)
        elif named is not None:
            last_speaker = (paragraphs[first], named)
    return quotes


# A quoted part that ends a sentence of speech: '…집중하겠다"며' ends at 다 with no stop.
_SPOKEN_END = re.compile(r"[다요죠까네]$")


def _joined(parts: list[str]) -> str:
    """The quoted parts of one statement as one text: a part that ends a spoken sentence
    gets its full stop back ('…집중하겠다. 과태료는…'), the rest run on with a space."""
    return " ".join(p + "." if i < len(parts) - 1 and _SPOKEN_END.search(p) else p
                    for i, p in enumerate(parts))


def _speaker_in(
    local: list[tuple[int, RoleMention]], quote_start: int, person_of: dict[int, Person]
) -> _Speaker | None:
    """The subject named in a statement: before the quote if any, else after it."""
    candidates = [(pos, m) for pos, m in local if m.anonymous or id(m) in person_of]
    if not candidates:
        return None
    before = [c for c in candidates if c[0] < quote_start]
    subjects = [c for c in (before or candidates) if c[1].subject]
    pos, m = (subjects or before or candidates)[-1 if before else 0]
    if m.anonymous:
        return _Speaker("anonymous", org=m.org, title=m.title, label=m.anonymous)
    p = person_of[id(m)]
    return _Speaker("person", p.name, p.org, p.title, m.text)


def _organisation_speaker(
    text: str, tokens: Sequence[Token], inside: list[tuple[int, int]]
) -> _Speaker | None:
    """'카카오는 "…"고 밝혔다': a proper noun subject before the first quote."""
    first_quote = inside[0][0] if inside else len(text)
    for e in eojeols(text, tokens):
        if e.start >= first_quote:
            break
        if e.proper and e.noun and e.tail in ("은", "는", "이", "가"):
            return _Speaker("organisation", org=e.noun, label=e.noun)
    return None
