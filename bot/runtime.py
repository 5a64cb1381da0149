"""Opening what every front end needs: the store (migrated, demo-filled) and Kiwi."""

from __future__ import annotations

import logging

from analysis import morph
from bot import settings
from handlers.services import Services
from ingest.demo import load_demo_if_empty
from store import open_db

log = logging.getLogger(__name__)


def owner_ids(value: str | None = None) -> frozenset[int]:
    """The Telegram user ids in NEWSMATE_OWNER_ID (commas or spaces between them)."""
    ids = set()
    text = value if value is not None else settings.get("NEWSMATE_OWNER_ID")
    for token in text.replace(",", " ").split():
        if token.lstrip("-").isdigit():
            ids.add(int(token))
        else:
            log.warning("NEWSMATE_OWNER_ID: %r is not a Telegram user id; ignored", token)
    return frozenset(ids)


def open_services(db_path: str | None = None, *, load_demo: bool = True) -> Services:
    """The store at `db_path` (or NEWSMATE_DB), with the demo corpus on first run."""
    path = db_path or settings.get("NEWSMATE_DB")
    db = open_db(path)
    if load_demo:
        report = load_demo_if_empty(db)
        if report:
            log.info("loaded the demo corpus into %s: %s", path, report.summary())
    morph.kiwi()  # load now, so the first answer is not the slow one
    return Services(db=db, owner_ids=owner_ids())


def close_services(services: Services) -> None:
    services.db.conn.close()
