"""The bot's scheduled feed poll: every minute it reads the stored feeds that are due.

Each feed has its own next check time (interval, back-off after errors), so the job itself
can run often and cheaply. It works in a thread with its own SQLite connection and HTTP
client: a slow feed must never hold up answers, which use the store's own worker thread.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application, ContextTypes

from bot import settings
from bot.ingest_cli import feed_interval
from ingest.fetch import make_client
from ingest.sources import poll_due_feeds
from store import open_db

log = logging.getLogger(__name__)

JOB_EVERY = 60.0  # seconds between looks at which feeds are due


class FeedPoller:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._db = None
        self._client = None
        self._lock = asyncio.Lock()

    def _poll(self) -> str:
        if self._db is None:
            self._db = open_db(self.db_path)
            self._client = make_client()
        report = poll_due_feeds(self._db, self._client, interval=feed_interval())
        return report.summary() if (report.new or report.updated or report.failed) else ""

    async def run(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The JobQueue callback; one poll at a time, failures logged and never fatal."""
        if self._lock.locked():
            return
        async with self._lock:
            try:
                summary = await asyncio.to_thread(self._poll)
            except Exception:
                log.exception("feed poll failed; the next one runs as scheduled")
                return
        if summary:
            log.info("feeds polled: %s", summary)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._db is not None:
            self._db.conn.close()


def schedule_feed_polls(app: Application) -> FeedPoller:
    poller = FeedPoller(app.bot_data.get("db_path") or settings.get("NEWSMATE_DB"))
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    app.job_queue.run_repeating(poller.run, interval=JOB_EVERY, first=5.0, name="feeds")
    return poller
