"""The terminal chat: type commands as you would in Telegram, read the bot's reply."""

from __future__ import annotations

import sys
from typing import TextIO

from handlers.commands import parse_command, run_command
from handlers.services import ChatContext, Services

BANNER = (
    "뉴스메이트 터미널 채팅이에요. 텔레그램에서처럼 명령을 입력하세요.\n"
    "예: /ask 독자 AI 파운데이션 모델 프로젝트 예산은?   (/help 도움말, /quit 끝내기)"
)


def reply_to_line(services: Services, line: str, chat: ChatContext) -> str:
    """The plain-text reply to one typed line; text without a command is a question."""
    parsed = parse_command(line)
    name, args = parsed if parsed else ("ask", line)
    return run_command(services, name, args, chat).plain


def run_chat(services: Services, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Answer each line until EOF or /quit; a prompt only when a person is typing."""
    interactive = stdin.isatty() and stdout.isatty()
    chat = ChatContext(chat_id=0, user_id=0, chat_type="private")
    if interactive:
        print(BANNER, file=stdout)
    while True:
        if interactive:
            stdout.write("\n> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            break
        print(reply_to_line(services, line, chat), file=stdout)
        if not interactive:
            print(file=stdout)
        stdout.flush()
