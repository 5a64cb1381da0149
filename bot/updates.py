"""Updates of one chat one after another, of different chats at the same time.

PTB handles one update at a time unless told otherwise. Under Telegram's limits a reply may
wait a while for its chat's turn (bot/budget.py), and it must not hold up the answers to
every other chat meanwhile; but in one chat the answers should come in the order the
commands were sent, and a /subscriptions must see the /subscribe sent just before it. So
each update waits for the previous update of its own chat only (an asyncio.Lock per chat,
which serves waiters first come first served); updates without a chat (inline queries)
run at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdates(BaseUpdateProcessor):
    """At most `max_concurrent_updates` updates at once, one at a time per chat."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # updates holding or waiting for each chat's lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:  # nobody left: forget the chat, memory stays bounded
                del self._users[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
