"""Shared fixtures: real SQLite files, a real PostgreSQL server, the real demo corpus, a
loopback Bot API server.

Tests marked `both_engines` run once on a SQLite file and once on a PostgreSQL database
(the `store_engine` parameter); the others on SQLite. The PostgreSQL server is a throwaway
cluster (tests/pgserver.py) started once per run, on 127.0.0.1, stopped at the end.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from handlers.services import Services
from ingest.demo import load_demo_if_empty
from ingest.fetch import make_client
from store import open_db
from store.engine import Database
from tests.botapi import BotAPIServer
from tests.ingest_server import NewsSite, serve_news_site
from tests.pgserver import PostgresServer, find_bindir

ENGINES = ("sqlite", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
            "both_engines"):
        metafunc.parametrize("store_engine", ENGINES, indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine: install Debian's"
                    " postgresql package to run the PostgreSQL half of the tests")
    server = PostgresServer(bindir)
    server.start()
    yield server
    server.stop()


_databases = itertools.count(1)


@pytest.fixture
def store_engine(request: pytest.FixtureRequest) -> str:
    """'sqlite', or 'postgres' for the PostgreSQL half of a both_engines test."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_store(store_engine: str, tmp_path: Path,
              request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Makes the location of a new, empty store: a file path, or a new database's URL."""
    def make(name: str = "store") -> str:
        if store_engine == "sqlite":
            return str(tmp_path / f"{name}.db")
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.create_database(f"t{next(_databases)}_{name}")

    return make


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled with the demo corpus once per test run (copied for each test)."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = open_db(path)
    load_demo_if_empty(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_server: PostgresServer) -> str:
    """A PostgreSQL database filled with the demo corpus once per run (the template of
    each test's copy)."""
    url = postgres_server.create_database("demo_template")
    db = open_db(url)
    load_demo_if_empty(db)
    db.conn.close()
    return "demo_template"


@pytest.fixture
def demo_db_path(store_engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where a demo-filled store for this test is: a SQLite file, or a PostgreSQL URL."""
    if store_engine == "postgres":
        template = request.getfixturevalue("postgres_demo_template")
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.create_database(f"t{next(_databases)}_demo", template=template)
    path = tmp_path / "newsmate.db"
    shutil.copy(request.getfixturevalue("demo_store_template"), path)
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
def fresh_db(new_store: Callable[[str], str]) -> Iterator[Database]:
    db = open_db(new_store("fresh"))
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
