"""One entity mention: a typed span of a sentence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entity:
    start: int  # character offset into the sentence
    end: int  # exclusive
    type: str
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "type": self.type, "text": self.text}
