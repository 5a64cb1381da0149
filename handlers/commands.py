"""The command table: every command the bot answers, its Korean help, and its function.

Both the terminal chat and the Telegram bot run commands through `run_command`, so input
checks (empty, too long) and answers are the same in both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from handlers.ask import ask
from handlers.latest import latest
from handlers.reply import Reply, esc
from handlers.search import search
from handlers.services import ChatContext, Services

MAX_INPUT = 500  # characters of command text we accept

CommandFunc = Callable[[Services, str, ChatContext], Reply]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    summary: str  # one line for /help and the Telegram command menu
    example: str
    func: CommandFunc
    needs_args: bool = True


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
    Command("search", "검색어에 맞는 기사 5건을 보여드려요", "/search 코GPT", search),
    Command("latest", "가장 최근 기사 5건을 보여드려요", "/latest", latest, needs_args=False),
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
    args = unicodedata.normalize("NFC", args).strip()
    if len(args) > MAX_INPUT:
        return Reply(f"입력이 너무 길어요. {MAX_INPUT}자 이내로 줄여서 다시 보내 주세요.")
    if command.needs_args and not args:
        return usage(command)
    return command.func(services, args, chat)


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
