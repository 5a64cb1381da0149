"""The Telegram Application: what the bot answers, in one readable table, and its lifecycle."""

from __future__ import annotations

import asyncio
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from telegram import BotCommand, MessageEntity, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import settings
from bot.budget import SendBudget
from bot.delivery import DeliveryConfig, DeliveryLoop
from bot.feed_job import FeedPoller, schedule_feed_polls
from bot.rate_limiter import BudgetRateLimiter
from bot.runtime import close_services, open_services
from bot.updates import PerChatUpdates
from handlers import telegram_edge as edge
from handlers.chart import warm_up
from handlers.commands import COMMANDS

log = logging.getLogger(__name__)


def register_handlers(app: Application) -> None:
    """Every update the bot reacts to, in the order it is tried."""
    for command in COMMANDS:
        app.add_handler(CommandHandler(command.name, edge.command_callback(command.name)))
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.Entity(MessageEntity.MENTION), edge.on_mention))
    app.add_handler(MessageHandler(text & filters.REPLY, edge.on_reply_to_bot))
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, edge.on_private_text))
    app.add_handler(CallbackQueryHandler(edge.on_page_button, pattern=r"^pg:"))
    app.add_handler(CallbackQueryHandler(edge.on_remove_subscription, pattern=r"^unsub:"))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, edge.on_chat_migrated))
    app.add_handler(InlineQueryHandler(edge.on_inline_query))
    app.add_handler(ChatMemberHandler(edge.on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # Everything else (chatter between people in a group) has no handler: the bot stays quiet.
    app.add_error_handler(edge.on_error)


async def post_init(app: Application) -> None:
    """Open the store and load Kiwi once, before the first update; publish the command menu."""
    # One worker thread owns the SQLite connection, so queries never run concurrently on it.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
    services = await asyncio.get_running_loop().run_in_executor(
        executor, open_services, app.bot_data.get("db_path")
    )
    services.bot_username = app.bot.username
    app.bot_data.update(services=services, executor=executor)
    # matplotlib and the chart font load in about a second: now, not on the first /trend.
    await asyncio.get_running_loop().run_in_executor(executor, warm_up)
    await app.bot.set_my_commands(
        [BotCommand(c.name, c.summary) for c in COMMANDS if c.name != "start" and not c.owner_only]
    )
    # Alerts go out from their own loop with its own HTTP client (bot/delivery.py), but
    # draw on the replies' send budget: one bot token has one set of Telegram limits.
    delivery = DeliveryLoop(
        app.bot_data.get("db_path") or settings.get("NEWSMATE_DB"),
        app.bot.token,
        app.bot_data["base_url"],
        app.bot_data.get("delivery_config") or DeliveryConfig.from_settings(),
        budget=app.bot_data["budget"],
    )
    await delivery.start()
    app.bot_data["delivery"] = delivery
    app.bot_data["feed_poller"] = schedule_feed_polls(app)
    log.info("newsmate is up as @%s", app.bot.username)


async def post_shutdown(app: Application) -> None:
    poller: FeedPoller | None = app.bot_data.pop("feed_poller", None)
    if poller is not None:
        await poller.stop()
    delivery: DeliveryLoop | None = app.bot_data.pop("delivery", None)
    if delivery is not None:
        await delivery.stop()
    services = app.bot_data.pop("services", None)
    executor: ThreadPoolExecutor | None = app.bot_data.pop("executor", None)
    if services is not None and executor is not None:
        await asyncio.get_running_loop().run_in_executor(executor, close_services, services)
    if executor is not None:
        executor.shutdown(wait=True)


# Updates handled at once (one at a time per chat, bot/updates.py): a reply waiting for its
# chat's turn under Telegram's limits must not hold up the answers to other chats.
CONCURRENT_UPDATES = 256


def build_application(
    token: str, base_url: str, db_path: str | None = None,
    delivery_config: DeliveryConfig | None = None,
) -> Application:
    # One budget for everything this bot sends; the alert loop is given the same one.
    budget = SendBudget((delivery_config or DeliveryConfig()).limits)
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot", 1))
        .rate_limiter(BudgetRateLimiter(budget))
        .concurrent_updates(PerChatUpdates(CONCURRENT_UPDATES))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["budget"] = budget
    app.bot_data["db_path"] = db_path
    app.bot_data["base_url"] = base_url
    app.bot_data["delivery_config"] = delivery_config  # None: from the settings
    register_handlers(app)
    return app


def webhook_path(webhook_url: str) -> str:
    """The local path to serve: the public URL's path, so a reverse proxy can pass it through."""
    return urlsplit(webhook_url).path.strip("/") or "telegram"


def run_bot(
    db_path: str | None = None,
    webhook_url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
) -> int:
    """Serve Telegram until interrupted (Ctrl+C or SIGTERM): long polling, or a webhook."""
    token = settings.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("TELEGRAM_BOT_TOKEN이 없어요. .env 또는 환경 변수에 봇 토큰을 넣어 주세요.")
        return 2
    app = build_application(token, settings.get("TELEGRAM_API_BASE_URL"), db_path)
    webhook_url = webhook_url or settings.get("NEWSMATE_WEBHOOK_URL")
    if not webhook_url:
        app.run_polling(
            allowed_updates=Update.ALL_TYPES,
            timeout=int(settings.get("NEWSMATE_POLL_TIMEOUT")),
        )
        return 0
    # Telegram sends the secret in a header with every update; the server refuses others.
    secret = settings.get("NEWSMATE_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
    app.run_webhook(
        listen=listen or settings.get("NEWSMATE_WEBHOOK_LISTEN"),
        port=port or int(settings.get("NEWSMATE_WEBHOOK_PORT")),
        url_path=webhook_path(webhook_url),
        webhook_url=webhook_url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )
    return 0
