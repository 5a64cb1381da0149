"""Named-entity mentions in Korean news sentences (KLUE-NER types plus PRODUCT).

`tag_entities(text)` returns PS, LC, OG, DT, TI and QT spans from a syllable-level
linear-chain CRF (python-crfsuite) over Kiwi features, fitted to part of KLUE-NER
(see bench/train_ner.py), followed by a few rules. `products=True` adds PRODUCT spans
(AI models and services) from a gazetteer and patterns; they are kept apart because the
KLUE labels have no such type.

The model file ships in analysis/data/ner.crfsuite; nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pycrfsuite

from analysis import morph
from analysis.ner.entity import Entity
from analysis.ner.features import sentence_items
from analysis.ner.products import find_products
from analysis.ner.rules import postprocess

__all__ = ["Entity", "KLUE_TYPES", "load", "tag_entities"]

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "ner.crfsuite"
KLUE_TYPES = ("PS", "LC", "OG", "DT", "TI", "QT")

_lock = threading.Lock()
_tagger: pycrfsuite.Tagger | None = None


def _load_tagger() -> pycrfsuite.Tagger:
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                tagger = pycrfsuite.Tagger()
                tagger.open(str(MODEL_PATH))
                log.info("loaded NER model %s", MODEL_PATH)
                _tagger = tagger
    return _tagger


def load() -> None:
    """Load Kiwi and the CRF now (so the first sentence is not slow)."""
    morph.kiwi()
    _load_tagger()


def decode(text: str, positions: list[int], labels: list[str]) -> list[Entity]:
    """BIO labels over non-space characters -> entity spans (spaces inside a span are kept)."""
    out: list[Entity] = []
    cur_type: str | None = None
    cur_start = cur_end = 0
    for p, lab in zip(positions, labels):
        if lab.startswith("I-") and cur_type == lab[2:]:
            cur_end = p + 1
            continue
        if cur_type is not None:
            out.append(Entity(cur_start, cur_end, cur_type, text[cur_start:cur_end]))
            cur_type = None
        if lab != "O":
            # An I- without its B- starts a span: the CRF rarely does this, but be lenient.
            cur_type, cur_start, cur_end = lab[2:], p, p + 1
    if cur_type is not None:
        out.append(Entity(cur_start, cur_end, cur_type, text[cur_start:cur_end]))
    return out


def tag_entities(
    text: str, products: bool = False, tokens: list[morph.Token] | None = None
) -> list[Entity]:
    """Entity mentions in one sentence, in order of start offset.

    Offsets index `text` as given (callers normalise to NFC first if they need to).
    `tokens`: the sentence's Kiwi tokens with offsets into `text`, when the caller already
    has them (ingest.prepare does), which saves re-analysing: Kiwi is half the cost.
    """
    if not text.strip():
        return []
    toks = tokens if tokens is not None else morph.tokens(text)
    positions, items = sentence_items(text, toks)
    labels = _load_tagger().tag(items)
    ents = decode(text, positions, labels)
    ents = postprocess(text, ents)
    if products:
        ents = merge_products(ents, find_products(text))
    return ents


def merge_products(ents: list[Entity], prods: list[Entity]) -> list[Entity]:
    """PRODUCT spans win over the CRF spans they overlap (the CRF often calls them OG)."""
    if not prods:
        return ents
    kept = [e for e in ents if not any(e.start < p.end and p.start < e.end for p in prods)]
    return sorted(kept + prods, key=lambda e: (e.start, e.end))
