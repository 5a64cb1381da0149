"""`newsmate bot` killed with SIGKILL in the middle of delivering alerts, then restarted:
no alert is lost, and only messages in flight at the kill can arrive twice (see the
guarantee in bot/delivery.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.delivery import DeliveryConfig
from store import open_db
from tests.alerts_data import delivered
from tests.botapi import TOKEN, BotAPIServer
from tests.test_delivery import ingest, subscribe

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.both_engines  # on a SQLite file and on PostgreSQL
CHATS = list(range(1, 41))


def start_bot(api: BotAPIServer, db_path: Path | str, cwd: Path,
              poll: str = "0.2") -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "NEWSMATE_OUTBOX_POLL_SECONDS": poll,
        "NEWSMATE_ALERT_GATHER_SECONDS": "0.1",
        "NEWSMATE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--db", str(db_path), "bot"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def kill_mid_delivery(api: BotAPIServer, db_path: Path | str, cwd: Path) -> None:
    """Start the bot with slow sends, and SIGKILL it once 20 messages have gone out."""
    # Every answer takes a while, so sends are in flight when the kill comes.
    api.fail("sendMessage", 200, "", delay=0.25, times=10**6)
    bot = start_bot(api, db_path, cwd)
    try:
        api.wait_for(lambda s: len(s.sent) >= 20, timeout=60)
    finally:
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, as a supervisor stops the bot; SIGKILL if it has not ended in 20 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def restart_until_delivered(api: BotAPIServer, db_path: Path | str, cwd: Path,
                            expected: set[tuple[int, str]]) -> None:
    """Start the bot again, wait for every expected alert, then stop it with SIGTERM."""
    bot = start_bot(api, db_path, cwd)
    try:
        api.wait_for(lambda s: set(delivered(s.sent)) >= expected, timeout=60)
        time.sleep(1.0)  # anything sent twice would show now
    finally:
        stop(bot)


def test_sigkill_mid_delivery_loses_nothing(
    botapi: BotAPIServer, demo_db_path: Path | str, tmp_path: Path
) -> None:
    db = open_db(demo_db_path)
    subscribe(db, {chat: ["누리봇"] for chat in CHATS})
    urls = ingest(db, [1, 2])  # two alerts a chat: two messages, a second apart
    expected = {(chat, url) for chat in CHATS for url in urls}
    kill_mid_delivery(botapi, demo_db_path, tmp_path)
    in_flight = db.execute("SELECT count(*) FROM outbox WHERE status = 'sending'").fetchone()[0]
    assert 0 < len(delivered(botapi.state.sent)) < len(expected)  # killed mid-delivery
    assert in_flight <= DeliveryConfig().concurrency
    time.sleep(0.5)  # the server finishes the requests the dead bot had sent

    restart_until_delivered(botapi, demo_db_path, tmp_path, expected)
    counts = delivered(botapi.state.sent)
    assert set(counts) == expected  # nothing lost
    duplicates = sum(n - 1 for n in counts.values())
    print(f"in flight at the kill: {in_flight}; duplicates after the restart: {duplicates}")
    assert duplicates <= in_flight  # only what was in flight at the kill
    statuses = dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    assert statuses == {"sent": len(expected)}
    db.conn.close()


def test_sigkill_mid_delivery_alerts_each_story_once_per_chat(
    botapi: BotAPIServer, new_store, tmp_path: Path
) -> None:
    from datetime import datetime, timedelta

    from ingest.pipeline import ingest_items
    from tests.story_data import KST, article

    base = datetime.now(KST) - timedelta(minutes=2880 + 620)  # the ferry an hour ago
    db_path = new_store("stories")
    db = open_db(db_path)
    subscribe(db, {chat: ["보증금", "바람섬"] for chat in CHATS})
    first = [article("cup-wire", base), article("ferry-wrap", base)]
    assert ingest_items(db, first).new == 2
    expected = {(chat, a.url) for chat in CHATS for a in first}
    kill_mid_delivery(botapi, db_path, tmp_path)
    in_flight = db.execute("SELECT count(*) FROM outbox WHERE status = 'sending'").fetchone()[0]
    assert 0 < len(delivered(botapi.state.sent)) < len(expected)
    # While the bot is down, the rest of both stories arrives: other outlets, the 속보 line
    # read late, a photo caption.
    later = ["cup-garam", "cup-nuri", "cup-dasom", "ferry-flash", "ferry-photo", "ferry-rewrite"]
    assert ingest_items(db, [article(k, base) for k in later]).new == len(later)
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == len(expected)
    time.sleep(0.5)

    restart_until_delivered(botapi, db_path, tmp_path, expected)
    counts = delivered(botapi.state.sent)
    assert set(counts) == expected  # each chat got each story, and no later article of it
    assert sum(n - 1 for n in counts.values()) <= in_flight
    statuses = dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    assert statuses == {"sent": len(expected)}
    db.conn.close()
