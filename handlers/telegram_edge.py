"""The one place where Telegram types meet the command functions.

Each callback reads the update into plain values, runs the shared command code in the
store's worker thread (SQLite and Kiwi are blocking), and sends the Reply as Bot API HTML.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.ext import ContextTypes

from handlers.commands import run_command
from handlers.reply import Reply
from handlers.services import ChatContext, Services
from store.chats import articles_of_answer, remember_answer, touch_chat

log = logging.getLogger(__name__)

T = TypeVar("T")
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

SORRY = "잠시 문제가 생겨서 답하지 못했어요. 조금 뒤에 다시 시도해 주세요."


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


async def in_worker(context: ContextTypes.DEFAULT_TYPE, func: Callable[..., T], *args: Any) -> T:
    """Run blocking store/Kiwi work on the single store thread, off the event loop."""
    executor: ThreadPoolExecutor = context.bot_data["executor"]
    return await asyncio.get_running_loop().run_in_executor(executor, func, *args)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, url=b.url, callback_data=b.callback) for b in row]
            for row in reply.buttons
        ]
    )


async def send_reply(message: Message, reply: Reply) -> Message:
    """Send `reply` as an answer to `message`, in its forum topic if it has one."""
    return await message.reply_html(
        reply.html,
        reply_markup=markup(reply),
        link_preview_options=LinkPreviewOptions(is_disabled=not reply.link_preview),
        do_quote=True,
    )


def chat_context(update: Update, services: Services, reply_to: list[int]) -> ChatContext:
    chat, user = update.effective_chat, update.effective_user
    return ChatContext(
        chat_id=chat.id if chat else 0,
        user_id=user.id if user else 0,
        chat_type=chat.type if chat else "private",
        reply_to_articles=reply_to,
    )


def _followup_articles(services: Services, message: Message) -> list[int]:
    """Articles cited by the bot's answer that `message` replies to, if any."""
    replied = message.reply_to_message
    if replied is None:
        return []
    return articles_of_answer(services.db, message.chat_id, replied.message_id)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str, args: str) -> None:
    """Run command `name` with `args` for this update and send the reply."""
    message = update.effective_message
    if message is None:
        return
    services = services_of(context)
    chat = update.effective_chat

    def work() -> Reply:
        if chat is not None:
            touch_chat(services.db, chat.id, chat.type, chat.title or "")
        ctx = chat_context(update, services, _followup_articles(services, message))
        return run_command(services, name, args, ctx)

    reply = await in_worker(context, work)
    sent = await send_reply(message, reply)
    if reply.article_ids:
        await in_worker(context, remember_answer, services.db, sent.chat_id, sent.message_id,
                        reply.article_ids)


def command_callback(name: str) -> Callback:
    """A CommandHandler callback that runs command `name` from the shared table."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        text = message.text if message and message.text else ""
        # Everything after the command word, newlines kept (context.args would split them).
        args = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
        await answer(update, context, name, args)

    callback.__name__ = f"on_{name}"
    callback.__doc__ = f"/{name}"
    return callback


async def on_reply_to_bot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text reply to one of the bot's messages is a follow-up question."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return
    author = message.reply_to_message.from_user
    if author is None or author.id != context.bot.id:
        return  # a reply between people is not meant for us
    await answer(update, context, "ask", message.text or "")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback, then apologise once to the user."""
    log.error("error while handling an update: %s", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text(SORRY)
        except Exception:  # the apology itself failed: the log already has the cause
            log.warning("could not send the apology", exc_info=True)
