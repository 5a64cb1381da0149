"""The bot's scheduled feed poll: every minute, when a feed or a page is due, one child
process reads them (bot/poll_child.py).

The child has its own memory, CPU-time and priority limits and its own wall-clock limit,
and the bot stops it when its resident memory passes NEWSMATE_POLL_MEMORY_MB, so a runaway
feed can take down one poll but never the bot: its memory and its event loop stay its own,
and /ask answers as usual while a poll runs. Each feed has its own next check time
(interval, back-off after errors), so the job itself can run often and cheaply.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from telegram.ext import Application, ContextTypes

from bot import settings
from bot.ingest_cli import feed_interval
from store import feeds as feed_store
from store import open_db, page_retries

log = logging.getLogger(__name__)

JOB_EVERY = 60.0  # seconds between looks at which feeds are due
# A poll reads feeds one after another, each bounded (60 s for the feed, 60 s for its
# pages); past this the child is stopped and the next poll picks up where it was.
WALL_SECONDS = 900.0
CPU_SECONDS = 600
# Kiwi and its model take about 1.5 GB of address space before any feed is read; the cap
# leaves room for that and the bounded work, not for a runaway.
ADDRESS_SPACE_MB = 3072
WATCH_EVERY = 0.25  # seconds between two looks at the child's memory
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def poll_memory_mb() -> int:
    """NEWSMATE_POLL_MEMORY_MB, at least 300 (Kiwi alone takes most of that)."""
    try:
        return max(300, int(settings.get("NEWSMATE_POLL_MEMORY_MB")))
    except ValueError:
        return 800


def resident_bytes(pid: int) -> int | None:
    """Resident memory of a process, from /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return None
    return int(fields[1]) * _PAGE_SIZE


class FeedPoller:
    def __init__(self, db_path: str, *, memory_mb: int | None = None,
                 wall_seconds: float = WALL_SECONDS) -> None:
        self.db_path = db_path
        self.memory_mb = memory_mb or poll_memory_mb()
        self.wall_seconds = wall_seconds
        self._db = None
        self._lock = asyncio.Lock()
        self._child: asyncio.subprocess.Process | None = None
        self.last_result: dict | None = None  # the last poll's counts, or why it failed

    @property
    def child_pid(self) -> int | None:
        """The running poll's process id, None between polls."""
        child = self._child
        return child.pid if child is not None and child.returncode is None else None

    def _anything_due(self) -> bool:
        if self._db is None:
            self._db = open_db(self.db_path)
        return bool(feed_store.due_feeds(self._db)) or bool(
            page_retries.due_retries(self._db, limit=1)
        )

    async def run(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """The JobQueue callback; one poll at a time, failures logged and never fatal."""
        if self._lock.locked():
            return
        async with self._lock:
            try:
                if not await asyncio.to_thread(self._anything_due):
                    return
                self.last_result = await self._poll_in_child()
            except Exception:
                log.exception("feed poll failed; the next one runs as scheduled")
                return
        summary = self.last_result.get("summary") if self.last_result else None
        if summary and (self.last_result.get("new") or self.last_result.get("failed")):
            log.info("feeds polled: %s", summary)

    async def _poll_in_child(self) -> dict:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.poll_child", "--db", self.db_path,
            "--interval", str(feed_interval()), "--address-space-mb", str(ADDRESS_SPACE_MB),
            "--cpu-seconds", str(CPU_SECONDS),
            stdout=asyncio.subprocess.PIPE,
            # Fewer malloc arenas: the child's fetch threads would each reserve their own.
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
        self._child = child
        watch = asyncio.create_task(self._watch_memory(child))
        try:
            out, _ = await asyncio.wait_for(child.communicate(), self.wall_seconds)
        except TimeoutError:
            child.kill()
            await child.wait()
            log.warning("the feed poll ran past %.0f s and was stopped", self.wall_seconds)
            return {"stopped": "time"}
        finally:
            watch.cancel()
            self._child = None
        if watch.done() and not watch.cancelled() and watch.result():
            return {"stopped": "memory"}
        if child.returncode != 0:
            log.warning("the feed poll ended with exit status %s", child.returncode)
            return {"stopped": f"exit {child.returncode}"}
        lines = out.decode("utf-8", "replace").strip().splitlines()
        return json.loads(lines[-1]) if lines else {}

    async def _watch_memory(self, child: asyncio.subprocess.Process) -> bool:
        """Stop the child once its resident memory passes the limit; True when it did."""
        limit = self.memory_mb * 1024 * 1024
        while child.returncode is None:
            rss = resident_bytes(child.pid)
            if rss is not None and rss > limit:
                log.warning("the feed poll took %d MB (limit %d MB) and was stopped",
                            rss // (1024 * 1024), self.memory_mb)
                child.kill()
                return True
            await asyncio.sleep(WATCH_EVERY)
        return False

    async def stop(self) -> None:
        """At shutdown: end a poll that is still running, close the store connection."""
        child = self._child
        if child is not None and child.returncode is None:
            child.kill()
            await child.wait()
        if self._db is not None:
            self._db.conn.close()
            self._db = None


def schedule_feed_polls(app: Application) -> FeedPoller:
    poller = FeedPoller(app.bot_data.get("db_path") or settings.get("NEWSMATE_DB"))
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    app.job_queue.run_repeating(poller.run, interval=JOB_EVERY, first=5.0, name="feeds")
    return poller
