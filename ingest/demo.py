"""The demo corpus shipped with the package: Korean AI and IT news written for newsmate."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ingest.corpus import read_corpus
from ingest.pipeline import IngestReport, ingest_items
from store.articles import count_articles
from store.engine import Database


def demo_corpus_path() -> Path:
    return Path(str(resources.files("ingest") / "data" / "demo_corpus.jsonl"))


def load_demo_if_empty(db: Database) -> IngestReport | None:
    """Fill a fresh store with the demo corpus; a store that has articles is left alone."""
    if count_articles(db):
        return None
    return ingest_items(db, read_corpus(demo_corpus_path()))
