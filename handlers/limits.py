"""Abuse limits: how many commands a person and a chat may send in a short time.

Past the limit the bot says so once, politely, then stays silent until the window cools
down, so a flood of commands cannot turn the bot into a flood of replies.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

ALLOW, WARN, SILENT = "allow", "warn", "silent"
LIMITED_MESSAGE = "요청이 너무 잦아요. 잠시 뒤에 다시 물어봐 주세요."


@dataclass
class Window:
    limit: int
    seconds: float
    hits: dict[int, deque[float]] = field(default_factory=dict)
    warned: set[int] = field(default_factory=set)

    def check(self, key: int, now: float) -> str:
        hits = self.hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.seconds:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            self.warned.discard(key)
            return ALLOW
        if key in self.warned:
            return SILENT
        self.warned.add(key)
        return WARN


@dataclass
class CommandLimiter:
    """5 commands per 10 s per user and 20 per minute per chat, unless told otherwise."""

    per_user: Window = field(default_factory=lambda: Window(5, 10.0))
    per_chat: Window = field(default_factory=lambda: Window(20, 60.0))
    clock: Callable[[], float] = time.monotonic

    def check(self, user_id: int, chat_id: int) -> str:
        now = self.clock()
        user = self.per_user.check(user_id, now)
        if user != ALLOW:
            return user
        return self.per_chat.check(chat_id, now)
