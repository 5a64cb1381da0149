"""The alert delivery loop of `newsmate bot`: outbox rows -> Telegram messages.

Delivery guarantee (the text README should carry)
-----------------------------------------------
Every (chat, article) match is one outbox row (UNIQUE), written in the article's own
transaction, so nothing matched is ever lost by a crash: rows wait in the store until sent.
Telegram has no idempotency key, so no bot can be exactly-once; newsmate chooses
AT-LEAST-ONCE and keeps the window for a second copy as small as the Bot API allows:

1. A row is committed as 'sending' just before its sendMessage request and as 'sent' just
   after the answer. A crash (kill -9, power loss) between the two leaves it 'sending'; the
   next loop retries it. Only requests in flight at that moment can repeat: at most
   `concurrency` messages (8 by default) per crash, each at most once more.
2. Retries are decided per error, by whether Telegram can have delivered the message:
   - 429 RetryAfter, 400 (bad request, chat migrated), 403, any error answer from the
     server (5xx included), a refused connection or a full connection pool ("Pool
     timeout": PTB never sent it): NOT delivered, so a retry is safe.
   - a timeout or a dropped connection after the request was written: MAY have been
     delivered (python-telegram-bot #1045). We retry once per back-off step (never
     several blind retries in a row), and the read timeout is long (20 s), so a slow
     answer is waited for instead of being sent again. This is the second, rarer place a
     duplicate can come from.
3. Two bot processes never deliver at once: the loop holds a lease row in the store (a
   heartbeat). A second instance waits; a restart takes over at once when the previous
   holder's process is gone (same host) or after the lease expires (30 s). 'sending' rows
   are recovered only by the lease holder, so a live loop's sends are never duplicated.
   On PostgreSQL the standby may run on another machine, rows are claimed with FOR UPDATE
   SKIP LOCKED, and a NOTIFY from whichever process wrote a new row wakes the sender.

Flood limits: alerts draw on the bot's one SendBudget (bot/budget.py), shared with the
command replies through the rate limiter both bots carry (bot/rate_limiter.py): every chat
under 1 message/s and every group under 20/min with a 10 % margin, the bot at 25/s, and
replies before alerts. PTB's AIORateLimiter is not used: on one RetryAfter it pauses ALL
requests (one flooded chat would stall every other chat and the command replies), it
retries inside the request where we cannot record what happened, and it knows no
priorities. A 429 here pauses only the chat it names, for the retry_after Telegram gives,
and the row waits in the outbox meanwhile. Sends use their own HTTP client whose
connection pool (concurrency + 4) is larger than the number of concurrent sends, so
"Pool timeout" cannot happen, and command replies never wait for alert connections.

Bursts: alerts for a chat wait `gather_seconds` after the newest match (at most
`max_hold_seconds` after the oldest); 3 or more waiting become ONE bundled message, and so
do alerts that would make 3 or more messages to one chat within a minute (a steady stream
is gathered for up to `max_hold_seconds`, so latency stays under 30 s).
Quiet hours hold alerts and send one digest when they end; a daily digest goes out at
its time. One bad chat never stops the others, and no exception ends the loop.

Forum topics: an alert goes to the topic its subscription was made in, a digest to the
topic /quiet or /digest was set in (one message, one topic: a chat's alerts for two topics
are two messages). When Telegram refuses the topic as closed or deleted, that chat's
subscriptions and settings leave it for General, and the alert is sent there at once with
a first line saying why.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot import settings
from bot.budget import Limits, SendBudget
from bot.rate_limiter import ALERT_ARGS, BudgetRateLimiter, retry_seconds
from handlers.alerts import (
    BUNDLE_MAX,
    BURST,
    DAILY,
    QUIET,
    TOPIC_GONE_NOTE,
    bundle,
    single_alert,
)
from handlers.reply import to_plain
from store import open_db, outbox
from store.articles import KST
from store.engine import Listener, listener
from store.outbox import OutboxItem, PendingChat
from store.subscriptions import AlertSettings, leave_topic

log = logging.getLogger(__name__)
T = TypeVar("T")


# -- configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryConfig:
    poll_seconds: float = 2.0  # how often the outbox is read (another process may write it)
    gather_seconds: float = 5.0  # quiet time after the newest match before sending
    max_hold_seconds: float = 20.0  # but never hold the oldest alert longer than this
    bundle_min: int = 3  # this many waiting alerts of one chat go as one bundled message
    concurrency: int = 8  # sends in flight at once (the connection pool is 4 larger)
    send_timeout: float = 20.0  # read timeout: a slow answer is waited for, not re-sent
    backoff_base: float = 2.0  # first retry after this many seconds, doubling
    backoff_max: float = 300.0
    max_attempts: int = 12  # then the row is 'failed' (about half an hour of 5xx)
    lease_ttl: float = 30.0
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_settings(cls) -> DeliveryConfig:
        return cls(
            poll_seconds=float(settings.get("NEWSMATE_OUTBOX_POLL_SECONDS")),
            gather_seconds=float(settings.get("NEWSMATE_ALERT_GATHER_SECONDS")),
            concurrency=max(1, int(settings.get("NEWSMATE_DELIVERY_CONCURRENCY"))),
        )


# -- when a chat's alerts may go --------------------------------------------------------------


def _kst(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, KST)


def in_quiet(epoch: float, s: AlertSettings) -> bool:
    if not s.quiet:
        return False
    hour = _kst(epoch).hour
    start, end = s.quiet_start, s.quiet_end
    return start <= hour < end if start < end else hour >= start or hour < end  # type: ignore[operator]


def _next_at(epoch: float, hour: int, minute: int = 0) -> float:
    """The first moment strictly after `epoch` when the KST clock shows hour:minute."""
    moment = _kst(epoch)
    candidate = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= moment:
        candidate += timedelta(days=1)
    return candidate.timestamp()


def release(p: PendingChat, now: float, cfg: DeliveryConfig) -> tuple[float, str]:
    """When a chat's waiting alerts may go out, and as what (BURST, QUIET or DAILY)."""
    s = p.settings
    if s.digest_at:
        hour, minute = (int(x) for x in s.digest_at.split(":"))
        return _next_at(p.oldest, hour, minute), DAILY
    if s.quiet:
        if in_quiet(now, s):
            return _next_at(now, s.quiet_end), QUIET  # type: ignore[arg-type]
        if in_quiet(p.oldest, s):
            return now, QUIET  # held through quiet hours: one digest now
    if p.count < cfg.bundle_min and p.recent + p.count >= cfg.bundle_min:
        # A steady stream: this chat just had alerts, so gather the next ones into one
        # bundle instead of a message each (held at most max_hold_seconds).
        return p.oldest + cfg.max_hold_seconds, BURST
    return min(p.newest + cfg.gather_seconds, p.oldest + cfg.max_hold_seconds), BURST


# -- what an error means ---------------------------------------------------------------------

SENT_OK, RETRY, AMBIGUOUS, FLOOD, MIGRATED, GONE, PLAIN, REJECTED, NO_TOPIC = (
    "sent", "retry", "ambiguous", "flood", "migrated", "gone", "plain", "rejected", "no topic"
)
# How Telegram refuses a message to a forum topic that was closed or deleted.
_TOPIC_GONE = ("topic_closed", "topic_deleted", "message thread not found")
_GONE = ("chat not found", "bot was kicked", "bot was blocked", "user is deactivated",
         "not enough rights", "have no rights", "chat_write_forbidden", "group chat was deleted",
         "bot is not a member")
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""
    retry_after: float = 0.0
    new_chat_id: int = 0


def classify(exc: BaseException) -> Outcome:
    """What a failed sendMessage means for the message: see the module docstring."""
    detail = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, RetryAfter):
        return Outcome(FLOOD, detail, retry_after=retry_seconds(exc))
    if isinstance(exc, ChatMigrated):
        return Outcome(MIGRATED, detail, new_chat_id=int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return Outcome(GONE, detail)
    if isinstance(exc, BadRequest):
        text = str(exc).lower()
        if any(marker in text for marker in _TOPIC_GONE):
            return Outcome(NO_TOPIC, detail)
        if any(marker in text for marker in _GONE):
            return Outcome(GONE, detail)
        if "can't parse entities" in text:
            return Outcome(PLAIN, detail)
        return Outcome(REJECTED, detail)
    if isinstance(exc, NetworkError):  # TimedOut included
        cause = exc.__cause__
        if "Pool timeout" in str(exc) or isinstance(cause, _NOT_SENT):
            return Outcome(RETRY, detail)  # the request never left this process
        if isinstance(exc, TimedOut) or isinstance(cause, httpx.TransportError):
            return Outcome(AMBIGUOUS, detail)  # written, then no answer: maybe delivered
        return Outcome(RETRY, detail)  # the server answered with an error (5xx): not sent
    if isinstance(exc, TelegramError):
        return Outcome(RETRY, detail)
    return Outcome(RETRY, detail)


# -- the loop --------------------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child not yet reaped by its parent is a zombie: gone for our purposes
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


@dataclass
class DeliveryStats:
    sent_messages: int = 0
    sent_alerts: int = 0
    flood_waits: int = 0  # 429 answers
    retries: int = 0
    ambiguous: int = 0
    dropped_chats: int = 0
    migrated_chats: int = 0
    failed: int = 0


class DeliveryLoop:
    """Start with `await loop.start()` (post_init), stop with `await loop.stop()`."""

    def __init__(self, db_path: str, token: str, base_url: str,
                 config: DeliveryConfig | None = None,
                 wall_clock: Callable[[], float] = time.time,
                 budget: SendBudget | None = None) -> None:
        self.db_path = db_path
        self.config = config or DeliveryConfig()
        self.clock = wall_clock
        # The Application's budget when the bot runs, so alerts and replies share one.
        self.budget = budget or SendBudget(self.config.limits)
        self.stats = DeliveryStats()
        self._host, self._pid = socket.gethostname(), os.getpid()
        self.owner = f"{self._host}:{self._pid}:{uuid.uuid4().hex[:8]}"
        self.bot = ExtBot(
            token,
            base_url=base_url,
            rate_limiter=BudgetRateLimiter(self.budget),
            request=HTTPXRequest(
                connection_pool_size=self.config.concurrency + 4,
                read_timeout=self.config.send_timeout,
                write_timeout=10.0,
                connect_timeout=10.0,
                pool_timeout=10.0,
            ),
        )
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="delivery-db")
        self._db: Any = None
        self._sem = asyncio.Semaphore(self.config.concurrency)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._sends: set[asyncio.Task[None]] = set()
        self._in_flight: set[int] = set()
        self._plain: set[int] = set()  # outbox ids whose HTML Telegram refused
        self._topic_gone: set[int] = set()  # outbox ids whose forum topic was closed or deleted
        self._has_lease = False
        self._lease_renewed = 0.0
        self._swept = 0.0
        self._pruned = 0.0
        self._listener: Listener | None = None
        self._listening: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        await self.bot.initialize()
        self._db = await self._run(open_db, self.db_path)
        self._task = asyncio.create_task(self._forever(), name="alert-delivery")
        self._listener = await asyncio.to_thread(listener, self.db_path, outbox.CHANNEL)
        if self._listener is not None:
            loop = asyncio.get_running_loop()
            self._listening = threading.Thread(
                target=self._listen, args=(loop,), name="outbox-listen", daemon=True)
            self._listening.start()
        log.info("alert delivery started (poll every %.1fs)", self.config.poll_seconds)

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """PostgreSQL: a NOTIFY from whichever process wrote a new outbox row wakes the loop."""
        assert self._listener is not None
        while not self._stopping:
            try:
                if self._listener.wait(timeout=1.0):
                    loop.call_soon_threadsafe(self._wake.set)
            except Exception:  # the poll still finds the rows; the listener tries again
                if self._stopping:
                    return
                log.warning("outbox listener failed; reconnecting", exc_info=True)
                time.sleep(1.0)
                try:
                    self._listener.close()
                    self._listener = listener(self.db_path, outbox.CHANNEL)
                except Exception:
                    log.warning("outbox listener could not reconnect", exc_info=True)

    async def stop(self, timeout: float = 10.0) -> None:
        """Let sends in flight finish (bounded), then give up the lease and close."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=1.0)
        if self._sends:
            await asyncio.wait(self._sends, timeout=timeout)
        for task in (self._task, *self._sends):
            if task is not None and not task.done():
                task.cancel()  # a row cut off mid-send stays 'sending': retried on restart
        if self._listening is not None:
            await asyncio.to_thread(self._listening.join, 3.0)
        if self._listener is not None:
            await asyncio.to_thread(self._listener.close)
        if self._db is not None:
            if self._has_lease:
                await self._run(outbox.release_lease, self._db, self.owner)
            await self._run(self._db.conn.close)
        self._executor.shutdown(wait=True)
        await self.bot.shutdown()

    def wake(self) -> None:
        """Look at the outbox now (e.g. after this process ingested something)."""
        self._wake.set()

    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)

    # -- the loop ------------------------------------------------------------------------
    async def _forever(self) -> None:
        while not self._stopping:
            delay = self.config.poll_seconds
            try:
                if await self._hold_lease():
                    delay = await self._tick()
            except Exception:  # the loop must never die: log, wait, go on
                log.exception("alert delivery: one round failed; trying again")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(delay, 0.02))
            except TimeoutError:
                pass

    async def _hold_lease(self) -> bool:
        now = self.clock()
        if self._has_lease:
            if now - self._lease_renewed < self.config.lease_ttl / 3:
                return True
            self._has_lease = await self._run(outbox.renew_lease, self._db, self.owner, now)
            if not self._has_lease:
                log.warning("another newsmate took over alert delivery; this one stops sending")
            self._lease_renewed = now
            return self._has_lease
        got = await self._run(outbox.acquire_lease, self._db, self.owner, self._host, self._pid, now,
                              self.config.lease_ttl, _process_alive)
        if got:
            self._has_lease, self._lease_renewed = True, now
            recovered = await self._run(outbox.recover_sending, self._db, self.owner)
            if recovered:
                log.warning("re-sending %d alert(s) a stopped bot left in flight", recovered)
        else:
            log.info("another newsmate process is delivering alerts; waiting for its lease")
        return got

    async def _tick(self) -> float:
        """Start a send for every chat whose alerts are due and allowed; returns how long
        to sleep before the next look."""
        cfg = self.config
        now = self.clock()
        if now - self._swept >= cfg.poll_seconds:  # a write: not on every wake-up
            self._swept = now
            await self._run(outbox.drop_inactive, self._db)
        if now - self._pruned >= 3600:
            self._pruned = now
            await self._run(outbox.prune, self._db, now)
        waiting: list[PendingChat] = await self._run(outbox.pending_chats, self._db, now)
        next_look = now + cfg.poll_seconds
        retry_at = await self._run(outbox.next_retry_at, self._db)
        if retry_at is not None and retry_at > now:
            next_look = min(next_look, retry_at)
        mono = self.budget.clock()
        for chat in waiting:
            if chat.chat_id in self._in_flight or self._stopping:
                continue
            due, kind = release(chat, now, cfg)
            if due > now:
                next_look = min(next_look, due)
                continue
            ready = self.budget.ready_at(chat.chat_id)
            if ready > mono:
                next_look = min(next_look, now + (ready - mono))
                continue
            self._in_flight.add(chat.chat_id)
            task = asyncio.create_task(self._deliver(chat, kind))
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)
        return next_look - now

    # -- one message ---------------------------------------------------------------------
    async def _deliver(self, chat: PendingChat, kind: str) -> None:
        chat_id = chat.chat_id
        try:
            async with self._sem:
                if self._stopping:
                    return
                many = kind != BURST or chat.count + chat.recent >= self.config.bundle_min
                # An alert goes to its subscription's topic, a digest to the settings' one.
                items = await self._run(outbox.claim, self._db, chat_id,
                                        BUNDLE_MAX if many else 1, self.owner, self.clock(),
                                        kind == BURST)
                if not items:
                    return
                if len(items) == 1 and kind == BURST:
                    text = single_alert(items[0])
                else:
                    text = bundle(items, kind)
                thread = items[0].thread_id if kind == BURST else chat.settings.thread_id
                outcome, message_id = await self._send(chat_id, text, items, thread)
                await self._settle(chat_id, items, outcome, message_id, thread)
        except Exception:
            log.exception("alert delivery to chat %s failed unexpectedly", chat_id)
        finally:
            self._in_flight.discard(chat_id)
            self._wake.set()

    async def _send(self, chat_id: int, text: str, items: list[OutboxItem],
                    thread: int | None) -> tuple[Outcome, int | None]:
        plain = any(item.id in self._plain for item in items)
        if any(item.id in self._topic_gone for item in items):
            text = TOPIC_GONE_NOTE + "\n" + text
        try:
            message = await self.bot.send_message(
                chat_id,
                to_plain(text) if plain else text,
                message_thread_id=thread,
                parse_mode=None if plain else ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=len(items) > 1),
                rate_limit_args=ALERT_ARGS,  # waits in the budget behind replies
            )
        except Exception as exc:  # every failure is classified; none escapes the loop
            return classify(exc), None
        return Outcome(SENT_OK), message.message_id

    async def _settle(self, chat_id: int, items: list[OutboxItem], outcome: Outcome,
                      message_id: int | None, thread: int | None = None) -> None:
        """Record what happened to a send, durably; decide the rows' next step."""
        ids = [item.id for item in items]
        now = self.clock()
        kind = outcome.kind
        if kind == SENT_OK:
            await self._write(outbox.mark_sent, self._db, ids, message_id, now)
            self._plain.difference_update(ids)
            self._topic_gone.difference_update(ids)
            self.stats.sent_messages += 1
            self.stats.sent_alerts += len(ids)
            return
        log.warning("alert to chat %s: %s", chat_id, outcome.detail)
        if kind == FLOOD:
            self.stats.flood_waits += 1  # the rate limiter has paused the chat already
            await self._write(outbox.release, self._db, ids, now + outcome.retry_after,
                              outcome.detail, True)
        elif kind == MIGRATED:
            self.stats.migrated_chats += 1
            moved = await self._write(outbox.move_chat, self._db, chat_id, outcome.new_chat_id)
            log.info("chat %s became %s: %s alert(s) moved there", chat_id, outcome.new_chat_id, moved)
        elif kind == NO_TOPIC and thread is not None:
            # Closed or deleted: this chat's alerts go to General from now on, these at once,
            # with a line that says why.
            moved = await self._write(leave_topic, self._db, chat_id, thread)
            log.info("chat %s: topic %s is gone; %s subscription(s) and settings now alert"
                     " into General", chat_id, thread, moved)
            self._topic_gone.update(ids)
            await self._write(outbox.release, self._db, ids, now, outcome.detail, True)
        elif kind == GONE:
            self.stats.dropped_chats += 1
            await self._write(outbox.drop_chat, self._db, chat_id, outcome.detail)
        elif kind == PLAIN and not any(i in self._plain for i in ids):
            self._plain.update(ids)  # refused before delivery: send again as plain text
            await self._write(outbox.release, self._db, ids, now, outcome.detail, True)
        elif kind in (REJECTED, PLAIN):
            self.stats.failed += len(ids)
            await self._write(outbox.finish, self._db, ids, outbox.FAILED, outcome.detail)
        else:  # RETRY or AMBIGUOUS: back off, then once more
            attempts = max(item.attempts for item in items) + 1
            if kind == AMBIGUOUS:
                self.stats.ambiguous += 1
            if attempts >= self.config.max_attempts:
                self.stats.failed += len(ids)
                await self._write(outbox.finish, self._db, ids, outbox.FAILED,
                                  f"gave up after {attempts} attempts: {outcome.detail}")
                return
            self.stats.retries += 1
            wait = min(self.config.backoff_base * 2 ** (attempts - 1), self.config.backoff_max)
            await self._write(outbox.release, self._db, ids, now + wait, outcome.detail)

    async def _write(self, func: Callable[..., T], *args: Any) -> T:
        """A state change that must reach the store: retried a few times (a busy store)."""
        for attempt in range(3):
            try:
                return await self._run(func, *args)
            except Exception:
                if attempt == 2:
                    raise
                log.warning("alert delivery: store write failed, retrying", exc_info=True)
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")
