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
from handlers.forget import forget
from handlers.latest import latest_page
from handlers.paging import parse_callback, with_pager
from handlers.quote import quote
from handlers.reply import MAX_CAPTION, MAX_MESSAGE, Reply, esc, fit
from handlers.search import search_page
from handlers.services import ChatContext, Services
from handlers.subscribe import digest, quiet, subscribe, subscriptions, unsubscribe
from handlers.summary import summary
from handlers.trend import trend
from handlers.who import who
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
    admin_in_groups: bool = False  # in groups only administrators may run it


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
    Command("summary", "기사·주제를 세 문장으로 요약하거나, 지난 요약 뒤 새 기사를 정리해 드려요",
            "/summary 코GPT", summary, needs_args=False),
    Command("who", "인물의 소속·직함과 최근 언급 기사를 알려드려요", "/who 정신아", who),
    Command("quote", "인물이나 회사 쪽의 최근 발언을 출처와 함께 보여드려요", "/quote 정신아", quote),
    Command("trend", "낱말이 나온 기사 수를 날짜별 그래프로 보여드려요", "/trend 카카오 90일", trend),
    Command("subscribe", "키워드·인물·회사를 구독하면 새 기사를 알려드려요", "/subscribe 카카오",
            subscribe, admin_in_groups=True),
    Command("unsubscribe", "구독을 그만해요", "/unsubscribe 카카오", unsubscribe,
            admin_in_groups=True),
    Command("subscriptions", "이 채팅의 구독 목록을 보여드려요(버튼으로 삭제)", "/subscriptions",
            subscriptions, needs_args=False),
    Command("quiet", "정한 시간에는 알림을 모았다가 끝나면 한 번에 보내요", "/quiet 23-07", quiet,
            needs_args=False, admin_in_groups=True),
    Command("digest", "알림을 하루 한 번 정한 시각에 모아 보내요", "/digest 09:00", digest,
            needs_args=False, admin_in_groups=True),
    Command("forget", "이 채팅의 구독·설정·대기 알림·대화 기록을 지워요", "/forget", forget,
            needs_args=False, admin_in_groups=True),
    Command("help", "명령어와 사용법을 알려드려요", "/help", help_text, needs_args=False),
    Command("start", "뉴스메이트를 소개해요", "/start", help_text, needs_args=False),
)

BY_NAME = {c.name: c for c in COMMANDS}


def needs_admin(name: str, chat_type: str) -> bool:
    """Whether running command `name` in a chat of `chat_type` needs an administrator."""
    command = BY_NAME.get(name)
    return bool(command and command.admin_in_groups) and chat_type in ("group", "supergroup")


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
    return fit(reply, MAX_CAPTION if reply.photo else MAX_MESSAGE)


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
