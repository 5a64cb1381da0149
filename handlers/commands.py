"""The command table: every command the bot answers, its Korean help, and its function.

Both the terminal chat and the Telegram bot run commands through `run_command`, so input
checks (empty, too long) and answers are the same in both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from handlers.ask import ask
from handlers.latest import latest_page
from handlers.paging import parse_callback, with_pager
from handlers.reply import Reply, esc, fit
from handlers.search import search_page
from handlers.services import ChatContext, Services
from store.chats import load_pager

MAX_INPUT = 500  # characters of command text we accept
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

CommandFunc = Callable[[Services, str, ChatContext], Reply]
PageFunc = Callable[[Services, str, int], tuple[Reply, int]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    summary: str  # one line for /help and the Telegram command menu
    example: str
    func: CommandFunc | None = None
    needs_args: bool = True
    page_func: PageFunc | None = None  # for lists shown a page at a time with 이전/다음


def help_text(services: Services, args: str, chat: ChatContext) -> Reply:
    """What the bot does and every command, with examples."""
    lines = [
        "안녕하세요, <b>뉴스메이트</b>예요. 한국 뉴스를 읽고 물어보시는 것에 출처와 함께 짧게 답해요.",
        "",
    ]
    for command in COMMANDS:
        if command.name in ("start", "help"):
            continue
        lines.append(f"/{command.name} — {esc(command.summary)}\n   예: <code>{esc(command.example)}</code>")
    lines.append("")
    lines.append("답에는 늘 기사 출처와 링크를 붙이고, 기사에 없는 내용은 모른다고 말씀드려요.")
    return Reply("\n".join(lines))


COMMANDS: tuple[Command, ...] = (
    Command("ask", "기사에서 답을 찾아 출처와 함께 알려드려요", "/ask 독자 AI 파운데이션 모델 프로젝트 예산은?", ask),
    Command("search", "검색어에 맞는 기사를 5건씩 보여드려요", "/search 코GPT", page_func=search_page),
    Command("latest", "가장 최근 기사를 5건씩 보여드려요", "/latest", needs_args=False,
            page_func=latest_page),
    Command("help", "명령어와 사용법을 알려드려요", "/help", help_text, needs_args=False),
    Command("start", "뉴스메이트를 소개해요", "/start", help_text, needs_args=False),
)

BY_NAME = {c.name: c for c in COMMANDS}


def usage(command: Command) -> Reply:
    return Reply(
        f"/{command.name} 뒤에 내용을 함께 적어 주세요.\n예: <code>{esc(command.example)}</code>"
    )


def run_command(services: Services, name: str, args: str, chat: ChatContext) -> Reply:
    """Check the input, then run the command; every path returns a reply."""
    command = BY_NAME.get(name.lower())
    if command is None:
        return Reply(f"/{esc(name)} 은(는) 모르는 명령이에요. /help 로 명령어를 확인해 보세요.")
    # NFC once at the edge: Korean typed on some keyboards arrives as decomposed jamo.
    # Control characters are dropped: they mean nothing in a question and upset some clients.
    args = _CONTROL.sub(" ", unicodedata.normalize("NFC", args)).strip()
    if len(args) > MAX_INPUT:
        return Reply(f"입력이 너무 길어요. {MAX_INPUT}자 이내로 줄여서 다시 보내 주세요.")
    if command.needs_args and not args:
        return usage(command)
    if command.page_func is not None:
        reply, pages = command.page_func(services, args, 0)
        reply = with_pager(reply, services.db, chat.chat_id, command.name, args, 0, pages)
    else:
        assert command.func is not None
        reply = command.func(services, args, chat)
    return fit(reply)


def turn_page(services: Services, chat: ChatContext, data: str) -> Reply | None:
    """The page an 이전/다음 button asks for; None when the button is stale or not ours."""
    parsed = parse_callback(data)
    if parsed is None:
        return None
    pager_id, page = parsed
    saved = load_pager(services.db, chat.chat_id, pager_id)
    if saved is None or saved[0] not in BY_NAME or BY_NAME[saved[0]].page_func is None:
        return None
    name, args = saved
    reply, pages = BY_NAME[name].page_func(services, args, page)  # type: ignore[misc]
    if pages == 0:
        return None
    return fit(with_pager(reply, services.db, chat.chat_id, name, args, page, pages, pager_id))


def parse_command(text: str, bot_username: str = "") -> tuple[str, str] | None:
    """('ask', '질문') from '/ask@bot 질문'; None when the text is not a command for us."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    head, newline, rest = head.partition("\n")
    if newline:
        args = rest + (" " + args if args else "")
    name, _, target = head.partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return name, args.strip()
