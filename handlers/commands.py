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
from handlers.feed import feed, is_owner
from handlers.forget import forget
from handlers.latest import latest_page
from handlers.paging import parse_callback, with_pager
from handlers.quote import quote
from handlers.reply import MAX_CAPTION, MAX_MESSAGE, Reply, esc, fit
from handlers.search import search_page
from handlers.services import ChatContext, Services
from handlers.story import story
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
    summary: str  # one line for the Telegram command menu and `/help 명령`
    example: str
    func: CommandFunc | None = None
    needs_args: bool = True
    page_func: PageFunc | None = None  # for lists shown a page at a time with 이전/다음
    admin_in_groups: bool = False  # in groups only administrators may run it
    label: str = ""  # a main command: its word in /help's one-screen list
    detail: str = ""  # what `/help 명령` adds to the summary (Bot API HTML)
    owner_only: bool = False  # for the bot's owners; left out of others' /help and menu


def help_text(services: Services, args: str, chat: ChatContext) -> Reply:
    """One screen: the main commands with one example each, the others by name;
    `/help 명령` tells more about one command."""
    wanted = args.strip().lstrip("/").split("@")[0].lower()
    if wanted:
        command = BY_NAME.get(wanted)
        if command is None:
            return Reply(f"/{esc(wanted)} 은(는) 모르는 명령이에요. /help 로 명령어를 확인해 보세요.")
        lines = [f"<b>/{command.name}</b> — {esc(command.summary)}"]
        if command.detail:
            lines.append(command.detail)
        lines.append(f"예: <code>{esc(command.example)}</code>")
        return Reply("\n".join(lines))
    lines = ["안녕하세요, <b>뉴스메이트</b>예요. 물어보시면 기사 출처와 함께 짧게 답해요."]
    lines += [f"• {c.label}: <code>{esc(c.example)}</code>" for c in COMMANDS if c.label]
    others = " ".join(f"/{c.name}" for c in COMMANDS
                      if not c.label and c.name not in ("help", "start")
                      and (not c.owner_only or is_owner(services, chat)))
    lines.append(f"그 밖에 {others}")
    lines.append("명령마다 자세히: <code>/help 명령</code> (예: <code>/help subscribe</code>)")
    return Reply("\n".join(lines))


COMMANDS: tuple[Command, ...] = (
    Command("ask", "기사에서 답을 찾아 출처와 함께 알려드려요", "/ask 카나나 하위 모델은 몇 종이야?",
            ask, label="묻기",
            detail="답이 되는 문장을 매체·날짜·링크와 함께 보여드려요. 금액·날짜·사람을 물으면 그 값을"
                   " 맨 앞에 적고, 기사에 없는 내용은 모른다고 말씀드려요. 제 답에 답장하면 그 기사들로"
                   " 이어서 물을 수 있고, 그룹에서는 저를 @멘션해서 물어도 돼요."),
    Command("search", "검색어에 맞는 기사를 5건씩 보여드려요", "/search 코GPT",
            page_func=search_page, label="찾기",
            detail="관련도 순으로, 같으면 새 기사부터 보여드리고 이전/다음 버튼으로 넘겨요."),
    Command("latest", "가장 최근 기사를 5건씩 보여드려요", "/latest", needs_args=False,
            page_func=latest_page, label="최신"),
    Command("summary", "기사·주제를 세 문장으로 요약하거나, 지난 요약 뒤 새 기사를 정리해 드려요",
            "/summary 코GPT", summary, needs_args=False, label="요약",
            detail="<code>/summary 링크</code>나 목록의 번호(<code>/summary 12</code>)는 그 기사를,"
                   " <code>/summary 주제</code>는 그 주제를 링크 달린 세 문장으로 요약해요."
                   " <code>/summary</code>만 보내면 지난 요약 뒤 들어온 기사를 정리해요."),
    Command("story", "한 사건의 관련 기사를 시간순으로, 바뀐 수치와 함께 보여드려요", "/story #12",
            story,
            detail="목록의 번호(<code>/story #12</code>)로 그 기사와 같은 사건을 다룬 기사를 매체별로"
                   " 시간순으로 보여드리고, 기사 사이에 바뀐 수치도 적어요. 목록에 <code>관련 기사 2</code>"
                   "라고 답장해도 돼요."),
    Command("who", "인물의 소속·직함과 최근 언급 기사를 알려드려요", "/who 정신아", who, label="인물",
            detail="오타가 있거나 조사가 붙어도 찾고, 이름이 같은 사람이 둘이면 그렇다고 말씀드려요."),
    Command("quote", "인물이나 회사 쪽의 최근 발언을 출처와 함께 보여드려요", "/quote 정신아", quote,
            detail="말한 사람·날짜·링크와 함께 보여드려요. 회사 이름이면 그 회사 사람들의 발언이에요."),
    Command("trend", "낱말이 나온 소식 수를 날짜별 그래프로 보여드려요", "/trend 카카오 90일", trend,
            label="추이",
            detail="기간은 <code>7일</code>, <code>90일</code>, <code>3개월</code>, <code>2025년</code>,"
                   " <code>2025년 3월</code>처럼 적어요(기본 30일). 가장 많이 나온 날의 제목과 자주"
                   " 함께 나온 이름도 그래프에 적어요."),
    Command("subscribe", "키워드·인물·회사를 구독하면 새 기사를 알려드려요", "/subscribe 카카오",
            subscribe, admin_in_groups=True, label="알림",
            detail="쉼표로 여러 개, 한 채팅에 50개까지예요. 포럼 그룹의 주제 안에서 구독하면 그 주제로"
                   " 알려드려요. 그룹에서는 관리자만 바꿀 수 있어요."),
    Command("unsubscribe", "구독을 그만해요", "/unsubscribe 카카오", unsubscribe,
            admin_in_groups=True, detail="/subscriptions 목록의 ✕ 버튼으로도 지울 수 있어요."),
    Command("subscriptions", "이 채팅의 구독 목록을 보여드려요(버튼으로 삭제)", "/subscriptions",
            subscriptions, needs_args=False, detail="알림이 언제 오는지도 함께 알려드려요."),
    Command("quiet", "정한 시간에는 알림을 모았다가 끝나면 한 번에 보내요", "/quiet 23-07", quiet,
            needs_args=False, admin_in_groups=True,
            detail="시간은 한국 시간이에요. 끄려면 <code>/quiet 끄기</code>."),
    Command("digest", "알림을 하루 한 번 정한 시각에 모아 보내요", "/digest 09:00", digest,
            needs_args=False, admin_in_groups=True,
            detail="시각은 한국 시간이에요. 바로바로 받으려면 <code>/digest 끄기</code>."),
    Command("forget", "이 채팅의 구독·설정·대기 알림·대화 기록을 지워요", "/forget", forget,
            needs_args=False, admin_in_groups=True,
            detail="지운 것을 종류별로 알려드려요. 그룹에서는 관리자만 쓸 수 있어요."),
    Command("feed", "봇이 읽는 피드를 추가·확인·삭제해요 (봇 주인만, 개인 채팅에서)",
            "/feed add https://news.example.com/rss.xml", feed, needs_args=False, owner_only=True,
            detail="<code>/feed list</code>는 피드마다 마지막 확인 시각과 오류를, <code>/feed remove 주소</code>"
                   "(또는 목록 번호)는 피드를 지워요. 추가한 피드는 다음 확인 때(보통 1분 안) 읽어 와요."),
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
