"""How a subscription term is kept and compared: NFC, single spaces, content morphemes.

Shared by /subscribe (which stores the term) and alert matching at ingest (which looks for
it), so both read a term the same way.
"""

from __future__ import annotations

import re

from analysis import morph

_SPACES = re.compile(r"\s+")


def normalize_term(text: str) -> str:
    """How a subscription is kept and shown: NFC, single spaces, trimmed."""
    return _SPACES.sub(" ", morph.nfc(text)).strip()


def subscription_key(term: str) -> str:
    """The match key of a term: its content morphemes, lower-cased, space separated."""
    return " ".join(morph.content_morphemes(normalize_term(term)))


def entity_key(text: str) -> str:
    """The folded form entity mentions are keyed by (the same fold as analysis.facts)."""
    return normalize_term(text).lower()
