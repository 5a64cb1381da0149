"""Every fact extractor over one article's sentences, in one pass: an ArticleFacts.

The sentences arrive already analysed by Kiwi (ingest.prepare), so nothing here analyses
a sentence a second time. Entity spans come from the statistical recogniser (analysis.ner);
people, values, dates and quotes from the modules beside this one. Each fact keeps the
index of its sentence so the store can link it to the sentence row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from analysis import morph, ner
from analysis.abbreviations import find_abbreviations
from analysis.morph import Token
from analysis.quotes import find_quotes
from analysis.reldates import find_dates
from analysis.roles import Person, RoleMention, find_roles, merge_people
from analysis.values import find_amounts
from store.facts import (
    AliasFact,
    ArticleFacts,
    EntityMention,
    PersonFact,
    QuoteFact,
    ValueFact,
)


def entity_key(text: str) -> str:
    """A folded form for grouping mentions: NFC, single spaces, Latin lower-cased."""
    return re.sub(r"\s+", " ", morph.nfc(text)).strip().lower()


def _published_day(published_at: str | None) -> date | None:
    try:
        return date.fromisoformat(published_at[:10]) if published_at else None
    except ValueError:
        return None


def extract_facts(
    texts: Sequence[str],
    paragraphs: Sequence[int],
    published_at: str | None,
    tokens: Sequence[Sequence[Token]] | None = None,
    entities: Sequence[Sequence[ner.Entity]] | None = None,
) -> ArticleFacts:
    """Facts of an article given its sentences (text, paragraph number, Kiwi tokens).

    `tokens[i]` must hold sentence i's tokens with offsets into `texts[i]`, and
    `entities[i]` its entity spans; what is left out is computed here.
    """
    if tokens is None:
        tokens = [morph.tokens(t) for t in texts]
    if entities is None:
        entities = _tag_entities(texts, tokens)
    day = _published_day(published_at)
    facts = ArticleFacts()
    per_sentence: list[list[RoleMention]] = []
    for i, (text, toks, ents) in enumerate(zip(texts, tokens, entities)):
        ps = [(e.start, e.end) for e in ents if e.type == "PS"]
        og = [(e.start, e.end) for e in ents if e.type == "OG"]
        per_sentence.append(find_roles(text, toks, ps, og))
        for a in find_amounts(text, list(toks)):
            facts.values.append(
                ValueFact(i, a.kind, a.text, a.value, a.unit, a.qualifier, a.counted)
            )
        for d in find_dates(text, day):
            facts.values.append(
                ValueFact(i, "date", d.text, None, d.precision, d.qualifier, "", d.iso,
                          d.first.isoformat(), d.last.isoformat())
            )
        if "(" in text:
            facts.aliases.extend(AliasFact(i, a.short, a.full) for a in find_abbreviations(text))
    people = merge_people([(i, m) for i, ms in enumerate(per_sentence) for m in ms])
    _add_bare_names(texts, per_sentence, people)
    people = [p for p in people if p.mentions]
    facts.quotes = [
        QuoteFact(q.sentence, q.last_sentence, q.text, q.kind, q.name, q.org, q.title, q.label)
        for q in find_quotes(paragraphs, texts, per_sentence, people, tokens)
    ]
    facts.mentions = _entity_mentions(entities, people)
    facts.people = [
        PersonFact(p.name, p.org, p.title, list(p.aliases), len(p.mentions),
                   min(i for i, _ in p.mentions))
        for p in people
    ]
    return facts


def _tag_entities(
    texts: Sequence[str], tokens: Sequence[Sequence[Token]]
) -> list[list[ner.Entity]]:
    """The recogniser's spans for each sentence, PRODUCT spans (카나나, 코GPT 2.0) included."""
    return [ner.tag_entities(t, products=True, tokens=list(k)) for t, k in zip(texts, tokens)]


_NAME_END = "은는이가을를의도와과에께랑한"


def _add_bare_names(
    texts: Sequence[str],
    per_sentence: list[list[RoleMention]],
    people: list[Person],
) -> None:
    """Mentions by name alone (김범수는 …) of the people introduced with a title.

    A PS span alone does not make a person: the recogniser's slips (하람랩, 유니콘) would
    become people in /who. Its spans are still kept as entity mentions.
    """
    known = {p.name: p for p in people if len(p.name) >= 2}
    for i, text in enumerate(texts):
        taken = [(m.start, m.end) for m in per_sentence[i]]
        spans: list[tuple[int, int, str]] = []
        for name in known:
            for m in re.finditer(re.escape(name), text):
                spans.append((m.start(), m.end(), name))
        for start, end, name in sorted(spans):
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if "가" <= before <= "힣" or ("가" <= after <= "힣" and after not in _NAME_END):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            tail = text[end : end + 1]
            subject = tail in ("은", "는", "이", "가", "도")
            mention = RoleMention(start, end, name, name, subject=subject)
            known[name].mentions.append((i, mention))
            per_sentence[i].append(mention)
            taken.append((start, end))
        per_sentence[i].sort(key=lambda m: m.start)


def _entity_mentions(
    entities: Sequence[Sequence[ner.Entity]], people: Sequence[Person]
) -> list[EntityMention]:
    """Recogniser spans, plus every person mention keyed by the person's full name."""
    out: list[EntityMention] = []
    person_spans: set[tuple[int, int, int]] = set()
    for p in people:
        for i, m in p.mentions:
            out.append(EntityMention(i, m.start, m.end, "PS", m.text, p.name))
            person_spans.add((i, m.start, m.end))
    for i, ents in enumerate(entities):
        for e in ents:
            if e.type == "PS" and any(
                s == i and a < e.end and e.start < b for s, a, b in person_spans
            ):
                continue  # the person mention above already covers it
            out.append(EntityMention(i, e.start, e.end, e.type, e.text, entity_key(e.text)))
    out.sort(key=lambda m: (m.sentence, m.start))
    return out
