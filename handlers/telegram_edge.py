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
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.commands import needs_admin, run_command, turn_page
from handlers.followup import follow_up_command, points_back
from handlers.inline import inline_articles
from handlers.limits import ALLOW, LIMITED_MESSAGE, WARN, CommandLimiter
from handlers.reply import Reply, Undelivered
from handlers.services import ChatContext, Services
from handlers.subscribe import ADMIN_ONLY, AdminCache, remove_by_button
from store.chats import (
    articles_of_answer,
    last_answer_articles,
    remember_answer,
    set_chat_active,
    touch_chat,
)
from store.outbox import move_chat

log = logging.getLogger(__name__)

T = TypeVar("T")
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

SORRY = "잠시 문제가 생겨서 답하지 못했어요. 조금 뒤에 다시 시도해 주세요."
STALE_BUTTON = "이 목록은 만료됐어요. 명령을 다시 보내 주세요."
GREETING = (
    "안녕하세요, <b>뉴스메이트</b>예요. 한국 뉴스에 대해 물어보시면 기사 출처와 함께 짧게 답해요.\n"
    "예: <code>/ask 독자 AI 파운데이션 모델 프로젝트 예산은?</code> · 명령어는 /help 에서 볼 수 있어요.\n"
    "@멘션으로 물으시려면 저를 관리자로 지정하거나 BotFather에서 privacy mode를 꺼 주세요."
    " 명령과 제 답에 단 답장은 그대로도 보여요."
)


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
    if reply.photo is not None:  # a chart: the reply's text is its caption
        return await message.reply_photo(
            reply.photo,
            caption=reply.html,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            filename=reply.photo_name or None,
            do_quote=True,
        )
    return await message.reply_html(
        reply.html,
        reply_markup=markup(reply),
        link_preview_options=LinkPreviewOptions(is_disabled=not reply.link_preview),
        do_quote=True,
    )


def chat_context(update: Update, services: Services, reply_to: list[int]) -> ChatContext:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    # message_thread_id names a forum topic only on topic messages; elsewhere it is the
    # start of a reply chain, which is no place to send anything to.
    topic = message.message_thread_id if message is not None and message.is_topic_message else None
    return ChatContext(
        chat_id=chat.id if chat else 0,
        user_id=user.id if user else 0,
        chat_type=chat.type if chat else "private",
        reply_to_articles=reply_to,
        asked_at=message.date if message else None,
        thread_id=topic,
    )


# The commands that read a follow-up's articles (ChatContext.reply_to_articles).
FOLLOWING_UP = ("ask", "story")


def _followup_articles(services: Services, message: Message, name: str, text: str) -> list[int]:
    """Articles cited by the bot's answer that `message` replies to; for a question that
    points back ('2번 자세히') sent without a reply, those of the bot's last message there."""
    replied = message.reply_to_message
    if replied is not None:
        return articles_of_answer(services.db, message.chat_id, replied.message_id)
    if name in FOLLOWING_UP and points_back(text):
        return last_answer_articles(services.db, message.chat_id)
    return []


def limiter_of(context: ContextTypes.DEFAULT_TYPE) -> CommandLimiter:
    return context.bot_data.setdefault("limiter", CommandLimiter())


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str, args: str) -> None:
    """Run command `name` with `args` for this update and send the reply."""
    message = update.effective_message
    if message is None:
        return
    services = services_of(context)
    chat = update.effective_chat
    user = update.effective_user
    verdict = limiter_of(context).check(user.id if user else 0, chat.id if chat else 0)
    if verdict != ALLOW:
        if verdict == WARN:
            await send_reply(message, Reply(LIMITED_MESSAGE))
        return
    if chat is not None and needs_admin(name, chat.type):
        if not await is_chat_admin(context, chat, user, message):
            await send_reply(message, Reply(ADMIN_ONLY))
            return

    def work() -> Reply:
        if chat is not None:
            touch_chat(services.db, chat.id, chat.type, chat.title or "")
        ctx = chat_context(update, services, _followup_articles(services, message, name, args))
        return run_command(services, name, args, ctx)

    reply = await in_worker(context, work)
    sent = await send_reply(message, reply)
    if reply.article_ids:
        await in_worker(context, remember_answer, services.db, sent.chat_id, sent.message_id,
                        reply.article_ids)


async def is_chat_admin(
    context: ContextTypes.DEFAULT_TYPE, chat: Chat, user: User | None, message: Message | None = None
) -> bool:
    """In groups: whether the sender is an administrator (getChatMember, cached a minute)."""
    if chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator writes as the group itself
    if user is None:
        return False
    cache: AdminCache = context.bot_data.setdefault("admins", AdminCache())
    known = cache.get(chat.id, user.id)
    if known is not None:
        return known
    member = await context.bot.get_chat_member(chat.id, user.id)
    return cache.put(chat.id, user.id, member.status)


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
    text = message.text or ""
    # '관련 기사 2' to a list: that item's story; anything else is a question.
    await answer(update, context, follow_up_command(text), text)


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat every message is for the bot: a question, as /ask would take it,
    or a follow-up on its last message ('2번 자세히', '관련 기사 1')."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer(update, context, follow_up_command(message.text), message.text)


def _mentions_me(message: Message, username: str) -> str | None:
    """The text without the @mention of this bot, or None when the bot is not mentioned."""
    units = (message.text or "").encode("utf-16-le")  # entity offsets count UTF-16 units
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value[1:].lower() == username.lower():
            before = units[: entity.offset * 2].decode("utf-16-le")
            after = units[(entity.offset + entity.length) * 2:].decode("utf-16-le")
            return (before + " " + after).strip()
    return None


async def on_mention(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot 질문` works like /ask; a mention of someone else is not for us."""
    message = update.effective_message
    if message is None:
        return
    question = _mentions_me(message, context.bot.username)
    if question is None:
        return
    if not question:
        await send_reply(message, Reply("무엇이 궁금하세요? 예: <code>@{} 카카오 예산은?</code>".format(
            context.bot.username)))
        return
    await answer(update, context, "ask", question)


async def on_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """이전/다음: show the asked page in place; stale buttons get a polite note."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    services = services_of(context)
    chat = ChatContext(chat_id=query.message.chat.id)
    reply = await in_worker(context, turn_page, services, chat, query.data or "")
    if reply is None:
        await query.answer(STALE_BUTTON)
        return
    await query.answer()
    try:
        await query.edit_message_text(
            reply.html,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # pressing the current page again is fine
            raise


async def on_remove_subscription(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """✕ under /subscriptions: remove that subscription (in groups, administrators only)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    chat = query.message.chat
    if not await is_chat_admin(context, chat, query.from_user):
        await query.answer(ADMIN_ONLY, show_alert=True)
        return
    ctx = ChatContext(chat_id=chat.id, user_id=query.from_user.id, chat_type=chat.type)
    result = await in_worker(context, remove_by_button, services_of(context), ctx, query.data or "")
    if result is None:
        await query.answer(STALE_BUTTON)
        return
    notice, reply = result
    await query.answer(notice)
    try:
        await query.edit_message_text(
            reply.html, parse_mode=ParseMode.HTML, reply_markup=markup(reply),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def on_chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its subscriptions and waiting alerts follow the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await in_worker(context, move_chat, services_of(context).db, old, new)


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer up to ten matching articles; picking one posts its title and link."""
    query = update.inline_query
    if query is None:
        return
    found = await in_worker(context, inline_articles, services_of(context), query.query)
    results = [
        InlineQueryResultArticle(
            id=item.id,
            title=item.title,
            description=item.description,
            url=item.url,
            input_message_content=InputTextMessageContent(item.message_html, parse_mode=ParseMode.HTML),
        )
        for item in found
    ]
    await query.answer(results, cache_time=30, is_personal=False)


async def on_my_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Introduce the bot once when added to a group; stop its alerts when removed."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    was_in = change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR,
                                                ChatMember.OWNER, ChatMember.RESTRICTED)
    is_in = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR,
                                               ChatMember.OWNER, ChatMember.RESTRICTED)
    services = services_of(context)
    if is_in and not was_in:
        await in_worker(context, touch_chat, services.db, chat.id, chat.type, chat.title or "")
        if chat.type != chat.PRIVATE:
            await context.bot.send_message(chat.id, GREETING, parse_mode=ParseMode.HTML)
    elif was_in and not is_in:
        await in_worker(context, set_chat_active, services.db, chat.id, False)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback, then apologise once to the user."""
    if isinstance(context.error, Undelivered):
        # Telegram's limits, not a fault: one line, and no apology (it could not go either).
        log.warning("%s", context.error)
        return
    log.error("error while handling an update: %s", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text(SORRY)
        except Undelivered as exc:
            log.warning("apology not sent: %s", exc)
        except Exception:  # the apology itself failed: the log already has the cause
            log.warning("could not send the apology", exc_info=True)
