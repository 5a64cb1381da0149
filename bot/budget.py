"""One send budget for everything the bot sends: Telegram's flood limits, replies first.

Telegram allows a bot about one message a second in one chat, twenty a minute in one group
and thirty a second overall; past that it answers 429 with a `retry_after`. Command
replies, page edits, callback answers, alerts and digests all draw on the same allowance, so
they all wait here, in one `SendBudget` per bot (bot/rate_limiter.py puts every sending
Bot API request through it, the Application's and the alert loop's alike).

Who goes first: a waiting request is served in priority order (REPLY before ALERT), and in
arrival order within a priority. In one chat nothing overtakes an earlier request of the
same or a higher priority, so a chat sees its replies in order and before its alerts; a
request whose chat must still wait never holds up a request to another chat. Alerts thus
fill whatever the replies leave of the global budget, which is spent at an even pace (one
send every 40 ms at the real limits, at most 3 at once after a pause) rather than in bursts
of 30. A 429 for a chat pauses that
chat only (`block`), for the time Telegram named.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

REPLY, ALERT = 0, 1  # priorities: the lower number goes first


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits (the defaults are the real ones)."""

    per_chat_interval: float = 1.0  # about one message a second in one chat
    group_max: int = 20  # messages a minute in one group
    group_window: float = 60.0
    global_max: int = 30  # messages a second overall
    global_window: float = 1.0
    margin: float = 0.1  # added to per-chat intervals and group windows: requests jitter
    # ...and never less than this many seconds: jitter does not shrink with the interval
    # (a test's 50 ms interval has 5 ms of margin, less than one pause of a busy loop).
    min_margin: float = 0.05
    # Concurrent sends can reach Telegram in another order than they left; a wider margin
    # on the global limit (30 per 1.2 s: one send every 40 ms) keeps that from tripping it.
    global_margin: float = 0.2
    # A reply that cannot be sent within this many seconds of being asked for is dropped:
    # by then the conversation has moved on, and the asker can simply ask again.
    reply_deadline: float = 120.0

    def scaled(self, factor: float) -> Limits:
        """The same limits with time running `factor` times faster (tests, benchmarks)."""
        return replace(
            self,
            per_chat_interval=self.per_chat_interval / factor,
            group_window=self.group_window / factor,
            global_window=self.global_window / factor,
            reply_deadline=self.reply_deadline / factor,
        )


def with_margin(seconds: float, lim: Limits) -> float:
    return seconds + max(seconds * lim.margin, lim.min_margin)


class DeadlinePassed(Exception):
    """The budget could not give a slot before the request's deadline."""


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat_id: int | None = field(compare=False)


class SendBudget:
    """Per chat, per group and global send spacing, on the monotonic clock.

    `chat_id` None stands for a request that counts only against the global limit
    (callback and inline query answers name no chat).
    """

    SWEEP_EVERY = 1024  # sends between two sweeps of chats idle long enough to forget

    def __init__(self, limits: Limits | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self.clock = clock
        self.last: dict[int, float] = {}
        self.group: dict[int, deque[float]] = {}
        self.blocked: dict[int, float] = {}
        # The global pace as a virtual schedule (GCRA): the time the next send would be due
        # at an even pace; a send may go up to `burst - 1` spacings before that.
        self.due = -math.inf
        self.sends = 0
        self._waiting: list[_Waiter] = []  # sorted: priority, then arrival
        self._seq = itertools.count()
        self._changed = asyncio.Event()

    @property
    def spacing(self) -> float:
        """Seconds between two sends overall. An even pace rather than bursts of 30 at the
        window's edge: a burst's requests reach Telegram spread out by the event loop and
        the network, and its tail would share a second with the next burst's head."""
        lim = self.limits
        return lim.global_window * (1 + lim.global_margin) / lim.global_max

    @property
    def burst(self) -> int:
        """Sends that may go at once after a pause: a few, so that sends finishing
        together start again together, but so few that a burst and a second of the even
        pace stay under the limit (3 + 25 of 30 at the real limits)."""
        lim = self.limits
        return max(1, int(lim.global_max * lim.global_margin / 2))

    # -- what a chat may do -----------------------------------------------------------
    def ready_at(self, chat_id: int | None) -> float:
        """When `chat_id` may get its next message (monotonic time), as far as its own
        limits go; -inf for a request without a chat."""
        if chat_id is None:
            return -math.inf
        lim = self.limits
        at = max(self.last.get(chat_id, -math.inf) + with_margin(lim.per_chat_interval, lim),
                 self.blocked.get(chat_id, -math.inf))
        sends = self.group.get(chat_id)
        if chat_id < 0 and sends and len(sends) >= lim.group_max:
            at = max(at, sends[-lim.group_max] + with_margin(lim.group_window, lim))
        return at

    def done(self, chat_id: int | None) -> None:
        """A request to `chat_id` has been answered. Its chat's next message is spaced from
        now, not only from when this one left: a request held up on its way (a busy event
        loop, a slow connection) must not reach Telegram right before the next one."""
        if chat_id is not None and chat_id in self.last:
            self.last[chat_id] = max(self.last[chat_id], self.clock())
            self._notify()

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: nothing more to it for `seconds`."""
        until = self.clock() + seconds
        self.blocked[chat_id] = max(self.blocked.get(chat_id, -math.inf), until)
        self._notify()

    # -- taking a slot ----------------------------------------------------------------
    async def take(self, chat_id: int | None, priority: int = REPLY,
                   deadline: float = math.inf) -> None:
        """Wait for this request's turn and record a send to `chat_id` now; raises
        DeadlinePassed when the turn cannot come before `deadline` (monotonic time)."""
        waiter = _Waiter(priority, next(self._seq), chat_id)
        bisect.insort(self._waiting, waiter)
        try:
            while True:
                now = self.clock()
                at = self._turn_at(waiter, now)
                if at <= now:
                    self._record(chat_id, now)
                    return
                if now >= deadline or (at > deadline and at < math.inf):
                    raise DeadlinePassed()
                changed = self._changed
                try:  # woken by any change, or when the turn may have come
                    await asyncio.wait_for(changed.wait(), timeout=min(at, deadline) - now)
                except TimeoutError:
                    pass
        finally:
            self._waiting.remove(waiter)
            self._notify()

    def _turn_at(self, waiter: _Waiter, now: float) -> float:
        """`now` (or earlier) when `waiter` may go now, else the earliest moment it might
        (math.inf: when an earlier request to the same chat has gone)."""
        own = self.ready_at(waiter.chat_id)
        ahead = 0  # earlier requests that may go now, each taking a global slot first
        seen: set[int] = set()
        for other in self._waiting:
            if other is waiter:
                break
            if other.chat_id is not None:
                if other.chat_id == waiter.chat_id:
                    return math.inf
                if other.chat_id in seen:
                    continue  # not the first of its chat: it waits for that one
                seen.add(other.chat_id)
            if self.ready_at(other.chat_id) <= now:
                ahead += 1
        if own > now:
            return own
        # Each earlier request that may go now takes the next global slot before this one.
        early = (self.burst - 1) * self.spacing
        return max(now, max(self.due, now) + ahead * self.spacing - early)

    def _record(self, chat_id: int | None, now: float) -> None:
        self.due = max(self.due, now) + self.spacing
        self.sends += 1
        if chat_id is not None:
            self.last[chat_id] = now
            if chat_id < 0:
                sends = self.group.setdefault(chat_id, deque(maxlen=self.limits.group_max))
                sends.append(now)
        if self.sends % self.SWEEP_EVERY == 0:
            self._sweep(now)
        self._notify()

    def _sweep(self, now: float) -> None:
        """Forget chats whose every limit has run out, so memory stays bounded."""
        lim = self.limits
        horizon = now - with_margin(max(lim.group_window, lim.per_chat_interval), lim)
        for chat_id in [c for c, at in self.last.items() if at < horizon]:
            del self.last[chat_id]
            self.group.pop(chat_id, None)
        for chat_id in [c for c, at in self.blocked.items() if at < now]:
            del self.blocked[chat_id]

    def _notify(self) -> None:
        """Wake every waiter to look again (the budget or the queue changed)."""
        self._changed.set()
        self._changed = asyncio.Event()
