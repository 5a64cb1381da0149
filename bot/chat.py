"""The terminal chat: type commands as you would in Telegram, read the bot's reply."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from handlers.commands import parse_command, run_command
from handlers.reply import Reply
from handlers.services import ChatContext, Services

_UNSAFE = re.compile(r"[^\w.-]+")  # what a file name keeps of a keyword (\w: Hangul too)

BANNER = (
    "뉴스메이트 터미널 채팅이에요. 텔레그램에서처럼 명령을 입력하세요.\n"
    "예: /ask 독자 AI 파운데이션 모델 프로젝트 예산은?   (/help 도움말, /quit 끝내기)"
)


def chart_dir() -> Path:
    """Where the terminal chat writes the pictures it cannot show."""
    return Path(tempfile.gettempdir()) / "newsmate"


def save_photo(reply: Reply, folder: Path) -> Path:
    """Write the reply's PNG into `folder`; returns the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (_UNSAFE.sub("_", reply.photo_name or "chart.png").strip("_") or "chart.png")
    path.write_bytes(reply.photo or b"")
    return path


def reply_to_line(services: Services, line: str, chat: ChatContext,
                  pictures: Path | None = None) -> str:
    """The plain-text reply to one typed line; text without a command is a question. A
    picture is written to a file in `pictures` and its path printed instead."""
    parsed = parse_command(line)
    name, args = parsed if parsed else ("ask", line)
    reply = run_command(services, name, args, chat)
    if reply.photo is None:
        return reply.plain
    lines = [reply.plain, f"🖼 그래프를 파일로 저장했어요: {save_photo(reply, pictures or chart_dir())}"]
    lines += [f"{b.text} {b.url}" for row in reply.buttons for b in row if b.url]
    return "\n".join(lines)


def run_chat(services: Services, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
             pictures: Path | None = None) -> None:
    """Answer each line until EOF or /quit; a prompt only when a person is typing.
    Pictures go to files in `pictures` (default: chart_dir())."""
    interactive = stdin.isatty() and stdout.isatty()
    chat = ChatContext(chat_id=0, user_id=0, chat_type="private", at_terminal=True)
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
        print(reply_to_line(services, line, chat, pictures), file=stdout)
        if not interactive:
            print(file=stdout)
        stdout.flush()
