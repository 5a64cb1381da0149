"""Shared fixtures: real SQLite files, the real demo corpus, a loopback Bot API server."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database
from telegram.ext import Application

from handlers.services import Services
from ingest.demo import load_demo_if_empty
from ingest.fetch import make_client
from store import open_db
from tests.botapi import BotAPIServer
from tests.ingest_server import NewsSite, serve_news_site


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled with the demo corpus once per test run (copied for each test)."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = open_db(path)
    load_demo_if_empty(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def demo_db_path(demo_store_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "newsmate.db"
    shutil.copy(demo_store_template, path)
    return path


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[Database]:
    db = open_db(demo_db_path)
    yield db
    db.conn.close()


@pytest.fixture
def demo_services(demo_db: Database) -> Services:
    return Services(db=demo_db)


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "fresh.db")
    yield db
    db.conn.close()


@pytest.fixture(scope="module")
def news_site() -> Iterator[NewsSite]:
    """The loopback news site of the ingest tests (tests/ingest_server.py)."""
    yield from serve_news_site()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """Our HTTP client with a short timeout, so the slow-page tests stay quick."""
    with make_client(timeout=httpx.Timeout(0.4)) as c:
        yield c


@pytest.fixture
def botapi() -> Iterator[BotAPIServer]:
    with BotAPIServer() as server:
        yield server


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """Run `app` long-polling as run_polling would, inside the test's event loop."""
    async with app:
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_shutdown:
                await app.post_shutdown(app)
