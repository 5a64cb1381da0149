"""The one send path: every Bot API request that sends something waits in the SendBudget.

python-telegram-bot calls `process_request` for each request of an ExtBot that has a rate
limiter (getUpdates excepted), so handing this limiter to the Application and to the alert
loop's bot puts replies, edits, callback answers, alerts and digests under one budget
without any of them knowing.

Replies (the default) are never dropped for being early: they wait their turn, and a 429
pauses only the chat it names before the same request is sent again. A reply that cannot
go within `Limits.reply_deadline` raises `Undelivered` (the error handler logs one line).
Alerts (`rate_limit_args=ALERT_ARGS`) wait behind replies; their 429 pauses the chat too
but is raised to the alert loop, which records it in the outbox and reschedules the row.
"""

from __future__ import annotations

import asyncio
import logging
import math
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.budget import ALERT, REPLY, DeadlinePassed, SendBudget
from handlers.reply import Undelivered

log = logging.getLogger(__name__)

ALERT_ARGS = "alert"  # rate_limit_args of the alert loop's sends

# Requests that put something in front of people; the rest (getMe, getChatMember,
# setMyCommands, ...) are not messages and pass straight through.
_SENDING_PREFIXES = ("send", "edit", "copy", "forward")
_SENDING = frozenset({"answerCallbackQuery", "answerInlineQuery"})


def is_sending(endpoint: str) -> bool:
    return endpoint.startswith(_SENDING_PREFIXES) or endpoint in _SENDING


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (PTB 22 warns that the attribute becomes a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(seconds, 0.0)


def chat_of(data: dict[str, Any]) -> int | None:
    """The numeric chat a request goes to; None for answers that name no chat."""
    value = data.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # '@channelname': counted against the global limit only


class BudgetRateLimiter(BaseRateLimiter[str]):
    """A python-telegram-bot rate limiter drawing on one shared SendBudget."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        """Nothing to open: the budget lives as long as the Application that made it."""

    async def shutdown(self) -> None:
        """Nothing to close (the Application's and the alert loop's bots share it)."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not is_sending(endpoint):
            return await callback(*args, **kwargs)
        alert = rate_limit_args == ALERT_ARGS
        chat_id = chat_of(data)
        budget = self.budget
        deadline = (math.inf if alert
                    else budget.clock() + budget.limits.reply_deadline)
        while True:
            try:
                await budget.take(chat_id, ALERT if alert else REPLY, deadline)
            except DeadlinePassed:
                raise Undelivered(
                    f"{endpoint} to chat {chat_id} dropped: no room within"
                    f" {budget.limits.reply_deadline:.0f} s of Telegram's limits"
                ) from None
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                if chat_id is not None:
                    budget.block(chat_id, seconds)
                if alert:
                    raise  # the alert loop records the wait in the outbox
                log.info("%s to chat %s: Telegram asked to wait %.0f s; it waits",
                         endpoint, chat_id, seconds)
                if chat_id is None:  # nothing to pause but this request
                    if budget.clock() + seconds > deadline:
                        raise Undelivered(f"{endpoint} dropped: told to wait {seconds:.0f} s") from None
                    await asyncio.sleep(seconds)
            finally:
                budget.done(chat_id)
