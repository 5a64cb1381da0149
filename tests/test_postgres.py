"""What PostgreSQL adds: several bot processes (one sends, the others stand by and take over),
NOTIFY waking the sender, claims that skip rows another process holds, and copying a whole
store between the engines. Real processes against the throwaway cluster of conftest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import open_db, outbox
from store.copy import copy_store
from store.engine import connect
from tests.alerts_data import delivered
from tests.botapi import BotAPIServer
from tests.test_alerts_kill import start_bot, stop
from tests.test_delivery import ingest, subscribe

ROOT = Path(__file__).resolve().parent.parent
on_postgres = pytest.mark.parametrize("store_engine", ["postgres"], indirect=True)


def lease_pid(db) -> int | None:
    row = db.execute("SELECT pid FROM delivery_lease").fetchone()
    return row[0] if row else None


def wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@on_postgres
def test_a_second_bot_stands_by_and_takes_over_when_the_first_dies(
        botapi: BotAPIServer, demo_db_path: str, tmp_path: Path) -> None:
    db = open_db(demo_db_path)
    chats = list(range(1, 21))
    subscribe(db, {chat: ["누리봇"] for chat in chats})
    urls = ingest(db, [1, 2])
    expected = {(chat, url) for chat in chats for url in urls}
    botapi.fail("sendMessage", 200, "", delay=0.25, times=10**6)  # slow answers: sends in flight
    first = start_bot(botapi, demo_db_path, tmp_path)
    second = None
    try:
        wait_until(lambda: lease_pid(db) == first.pid)
        second = start_bot(botapi, demo_db_path, tmp_path)
        wait_until(lambda: len(botapi.state.sent) >= 8)
        assert lease_pid(db) == first.pid  # the second one waits: one bot token, one sender
        owners = {r[0] for r in db.execute("SELECT DISTINCT owner FROM outbox WHERE owner IS NOT NULL")}
        assert all(o.split(":")[1] == str(first.pid) for o in owners)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        wait_until(lambda: set(delivered(botapi.state.sent)) >= expected)
        time.sleep(1.0)  # a second copy would show now
        assert lease_pid(db) == second.pid
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        if second is not None:
            stop(second)
    counts = delivered(botapi.state.sent)
    assert set(counts) == expected
    # Only what was in flight at the kill can arrive twice (at most `concurrency`).
    assert sum(n - 1 for n in counts.values()) <= 8
    assert dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()) == {
        "sent": len(expected)}
    db.close()


@on_postgres
def test_notify_wakes_the_sender_long_before_its_next_poll(
        botapi: BotAPIServer, demo_db_path: str, tmp_path: Path) -> None:
    db = open_db(demo_db_path)
    subscribe(db, {7: ["누리봇"]})
    bot = start_bot(botapi, demo_db_path, tmp_path, poll="60")
    try:
        wait_until(lambda: lease_pid(db) == bot.pid)
        time.sleep(1.5)  # the first round is over: the next poll is a minute away
        started = time.monotonic()
        [url] = ingest(db, [3])  # from this process: only a NOTIFY can tell the bot
        wait_until(lambda: (7, url) in delivered(botapi.state.sent), timeout=20)
        waited = time.monotonic() - started
    finally:
        stop(bot)
    assert waited < 10, waited
    db.close()


@on_postgres
def test_a_claim_skips_rows_another_transaction_holds(demo_db_path: str) -> None:
    db = open_db(demo_db_path)
    subscribe(db, {5: ["누리봇"]})
    ingest(db, [4, 5])
    other = connect(demo_db_path)
    with other.transaction():
        held = other.execute("SELECT id FROM outbox WHERE chat_id = 5 ORDER BY id LIMIT 1"
                             " FOR UPDATE").fetchone()[0]
        started = time.monotonic()
        items = outbox.claim(db, 5, 10, "me", time.time() + 60)
        assert time.monotonic() - started < 2  # not blocked by the other transaction
        assert held not in [i.id for i in items] and len(items) == 1
    other.close()
    db.close()


@on_postgres
def test_migrate_store_copies_both_ways_and_resumes(demo_db_path: str, tmp_path: Path,
                                                     new_store) -> None:
    source, lite, back = demo_db_path, str(tmp_path / "copy.db"), new_store("back")
    # PostgreSQL -> SQLite, stopped after its third batch, then run again.
    calls = []

    def stop_early(table: str, rows: int) -> None:
        calls.append(table)
        if len(calls) == 3:
            raise KeyboardInterrupt

    src, dst = open_db(source), open_db(lite)
    with pytest.raises(KeyboardInterrupt):
        copy_store(src, dst, stop_early, batch=50)
    counts = copy_store(src, dst, batch=50)
    assert all(c.ok for c in counts) and {c.table for c in counts} >= {"articles", "sentences"}
    src.close()
    dst.close()
    # ... and back into PostgreSQL by the command line.
    done = subprocess.run([sys.executable, "-m", "bot.cli", "migrate-store", lite, back],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "다름" not in done.stdout
    question = "/ask 독자 AI 파운데이션 모델 프로젝트 예산은?\n/who 정신아\n/search 코GPT\n"
    replies = [subprocess.run([sys.executable, "-m", "bot.cli", "--db", where, "chat"],
                              cwd=ROOT, input=question, capture_output=True, text=True,
                              timeout=120, env={**os.environ, "TELEGRAM_BOT_TOKEN": ""}).stdout
               for where in (source, lite, back)]
    assert replies[0] == replies[1] == replies[2] and "2100억원" in replies[0]
    db = open_db(back)  # new rows get new ids after the copied ones
    ingest(db, [9])
    assert db.execute("SELECT count(DISTINCT id) = count(*) FROM articles").fetchone()[0]
    db.close()
