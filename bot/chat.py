"""The terminal chat: type commands as you would in Telegram, read the bot's reply."""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from handlers.commands import parse_command, run_command
from handlers.followup import follow_up_command, points_back
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
    return shown(answer_line(services, line, chat), pictures)


def answer_line(services: Services, line: str, chat: ChatContext,
                last: list[int] | None = None) -> Reply:
    """The reply to one typed line. A line that points back at the last reply ('2번 자세히',
    '관련 기사 1', '자세히', '왜 미뤘대?') is taken as a reply to it, its articles `last`: a
    terminal has no reply button (a Telegram private chat does the same with the bot's last
    message; in a group these words reach the bot only as replies)."""
    parsed = parse_command(line)
    if parsed:
        return run_command(services, *parsed, chat)
    if last and points_back(line):
        return run_command(services, follow_up_command(line), line,
                           replace(chat, reply_to_articles=last))
    return run_command(services, "ask", line, chat)


def shown(reply: Reply, pictures: Path | None = None) -> str:
    """A reply as plain text; its picture written to a file in `pictures`."""
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
    last: list[int] = []  # the articles of the last reply that showed some
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
        reply = answer_line(services, line, chat, last)
        last = reply.article_ids or last
        print(shown(reply, pictures), file=stdout)
        if not interactive:
            print(file=stdout)
        stdout.flush()
