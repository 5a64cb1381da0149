"""/subscribe, /unsubscribe, /subscriptions, /quiet, /digest: what a chat follows and when.

Plain command functions `(services, args, chat) -> Reply`. In groups only administrators
may change these; the Telegram edge asks `handlers.commands.needs_admin` and checks the person with
getChatMember (cached briefly in an `AdminCache`) before running the command.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.grammar import has_final_consonant
from analysis.terms import normalize_term, subscription_key
from handlers.format import trim
from handlers.reply import Button, Reply, esc
from handlers.services import ChatContext, Services
from ingest.matching import entity_aliases
from store.subscriptions import (
    ADDED,
    EXISTS,
    FULL,
    MAX_PER_CHAT,
    MOVED,
    AlertSettings,
    add_subscription,
    alert_settings,
    list_subscriptions,
    remove_subscription,
    remove_subscription_by_id,
    set_digest,
    set_quiet,
)

MAX_TERM = 30  # characters of one subscription
MAX_AT_ONCE = 10  # subscriptions added by one command (comma separated)
REMOVE_PREFIX = "unsub"  # callback data 'unsub:<subscription id>', far under 64 bytes
OFF_WORDS = frozenset({"끄기", "끔", "해제", "취소", "off", "none", "없음"})

ADMIN_STATUSES = frozenset({"creator", "administrator"})
ADMIN_ONLY = (
    "그룹에서는 관리자만 구독·알림 설정을 바꾸거나 기록을 지울 수 있어요. "
    "구독 목록은 누구나 /subscriptions 로 볼 수 있어요."
)
_SPLIT = re.compile(r"[,，、\n]+")


# -- who may change subscriptions ----------------------------------------------------------


@dataclass
class AdminCache:
    """getChatMember answers kept for a minute: a burst of commands costs one API call, and
    someone who lost admin rights loses them here within `ttl` seconds."""

    ttl: float = 60.0
    clock: Callable[[], float] = time.monotonic
    entries: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)

    def get(self, chat_id: int, user_id: int) -> bool | None:
        entry = self.entries.get((chat_id, user_id))
        if entry is None or self.clock() - entry[0] > self.ttl:
            return None
        return entry[1]

    def put(self, chat_id: int, user_id: int, status: str) -> bool:
        """Remember a member's status from getChatMember; returns whether they are admin."""
        if len(self.entries) > 10_000:  # a bound, not an LRU: stale entries are cheap to refetch
            self.entries.clear()
        is_admin = status in ADMIN_STATUSES
        self.entries[(chat_id, user_id)] = (self.clock(), is_admin)
        return is_admin


# -- helpers -----------------------------------------------------------------------------


def _object(word: str) -> str:
    """‘word’ with 을/를."""
    return f"‘{esc(word)}’" + ("을" if has_final_consonant(word) else "를")


def _topic(word: str) -> str:
    return f"‘{esc(word)}’" + ("은" if has_final_consonant(word) else "는")


def _terms(args: str) -> list[str]:
    return [t for t in (normalize_term(p) for p in _SPLIT.split(args)) if t]


def timing_line(settings: AlertSettings) -> str:
    """When alerts arrive, said plainly (people should not have to guess)."""
    if settings.digest_at:
        return f"매일 {settings.digest_at}(한국 시간)에 하루치를 한 번에 모아 보내드려요."
    line = "새 기사가 들어오면 보통 30초 안에 알려드리고, 여러 건이 한꺼번에 오면 한 메시지로 묶어요."
    if settings.quiet:
        line += (
            f" {settings.quiet_start:02d}시~{settings.quiet_end:02d}시(한국 시간)에는 모아 두었다가"
            " 끝나면 한 번에 보내드려요."
        )
    return line


# -- commands ----------------------------------------------------------------------------


def subscribe(services: Services, args: str, chat: ChatContext) -> Reply:
    """/subscribe 키워드[, 키워드…]: follow keywords, people or organisations."""
    if chat.chat_id == 0:  # the terminal chat: there is nowhere to send alerts to
        return Reply("알림은 텔레그램 채팅에서 받을 수 있어요. 봇에게 이 명령을 보내 주세요.")
    terms = _terms(args)[:MAX_AT_ONCE]
    lines: list[str] = []
    added = 0
    held = {s.match_key for s in list_subscriptions(services.db, chat.chat_id)}
    for term in terms:
        if len(term) > MAX_TERM:
            lines.append(f"‘{esc(trim(term, 20))}’는 너무 길어요. {MAX_TERM}자 안으로 적어 주세요.")
            continue
        key = subscription_key(term)
        if not key:
            lines.append(f"‘{esc(term)}’에서 알아볼 수 있는 낱말을 찾지 못했어요.")
            continue
        if key not in held and len(held) >= MAX_PER_CHAT:
            status = FULL
        else:  # the store checks both again, atomically; this only spares the alias lookup
            aliases = entity_aliases(services.db.conn, term) if key not in held else None
            # Already held: asked again in another forum topic moves its alerts there.
            status = add_subscription(services.db, chat.chat_id, term, key, aliases,
                                      chat.thread_id)
        held.add(key)
        if status == ADDED:
            added += 1
            lines.append(f"{_object(term)} 구독했어요.")
        elif status == EXISTS:
            lines.append(f"{_topic(term)} 이미 구독 중이에요.")
        elif status == MOVED:
            lines.append(f"{_topic(term)} 이미 구독 중이에요. 이제 이 주제로 알려드려요.")
        else:
            lines.append(
                f"구독은 한 채팅에 {MAX_PER_CHAT}개까지예요. {_object(term)} 더하려면"
                " /subscriptions 에서 안 쓰는 구독을 지워 주세요."
            )
            break
    if not lines:
        return Reply("구독할 키워드를 적어 주세요.\n예: <code>/subscribe 카카오</code>")
    if added:
        lines.append(timing_line(alert_settings(services.db, chat.chat_id)))
    return Reply("\n".join(lines))


def unsubscribe(services: Services, args: str, chat: ChatContext) -> Reply:
    """/unsubscribe 키워드[, 키워드…]: stop following."""
    lines = []
    for term in _terms(args)[:MAX_AT_ONCE]:
        removed = remove_subscription(services.db, chat.chat_id, subscription_key(term))
        if removed is not None:
            lines.append(f"{_object(removed)} 더는 알려드리지 않아요.")
        else:
            lines.append(f"{_object(term)} 구독하고 있지 않아요. /subscriptions 로 목록을 볼 수 있어요.")
    return Reply("\n".join(lines) or "그만 받을 키워드를 적어 주세요.\n예: <code>/unsubscribe 카카오</code>")


def subscriptions(services: Services, args: str, chat: ChatContext) -> Reply:
    """/subscriptions: the list, each with a button that removes it."""
    subs = list_subscriptions(services.db, chat.chat_id)
    settings = alert_settings(services.db, chat.chat_id)
    if not subs:
        return Reply(
            "아직 구독이 없어요. 키워드나 사람, 회사 이름으로 구독해 보세요.\n"
            "예: <code>/subscribe 카카오</code>"
        )
    lines = [f"🔔 <b>구독 {len(subs)}개</b> (최대 {MAX_PER_CHAT}개)"]
    lines += [f"{i}. {esc(s.term)}" for i, s in enumerate(subs, 1)]
    lines += ["", timing_line(settings), "지우려면 아래 버튼을 누르세요."]
    buttons = [Button(f"✕ {trim(s.term, 16)}", callback=f"{REMOVE_PREFIX}:{s.id}") for s in subs]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return Reply("\n".join(lines), buttons=rows)


def parse_remove_callback(data: str) -> int | None:
    """The subscription id in a 삭제 button's callback data, or None if it is not ours."""
    prefix, _, rest = data.partition(":")
    return int(rest) if prefix == REMOVE_PREFIX and rest.isdigit() else None


def remove_by_button(services: Services, chat: ChatContext, data: str) -> tuple[str, Reply] | None:
    """A 삭제 button was pressed: (a short notice, the updated list); None if not ours."""
    subscription_id = parse_remove_callback(data)
    if subscription_id is None:
        return None
    removed = remove_subscription_by_id(services.db, chat.chat_id, subscription_id)
    notice = f"‘{trim(removed, 20)}’ 구독을 지웠어요." if removed else "이미 지워진 구독이에요."
    return notice, subscriptions(services, "", chat)


_HOURS = re.compile(r"^(\d{1,2})\s*시?\s*[-~–]\s*(\d{1,2})\s*시?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:\s*[:시]\s*(\d{2})?\s*분?)?$")


def quiet(services: Services, args: str, chat: ChatContext) -> Reply:
    """/quiet 23-07: hold alerts during those KST hours, then send them as one digest."""
    text = args.strip().lower()
    if not text:
        return Reply(timing_line(alert_settings(services.db, chat.chat_id))
                     + "\n예: <code>/quiet 23-07</code> · 끄려면 <code>/quiet 끄기</code>")
    if text in OFF_WORDS:
        set_quiet(services.db, chat.chat_id, None, None, chat.thread_id)
        return Reply("조용한 시간을 껐어요. 알림을 바로바로 보내드려요.")
    m = _HOURS.match(text)
    if not m or not (0 <= int(m[1]) <= 23 and 0 <= int(m[2]) <= 23) or int(m[1]) == int(m[2]):
        return Reply("시간은 0~23시로 적어 주세요. 예: <code>/quiet 23-07</code>")
    start, end = int(m[1]), int(m[2])
    set_quiet(services.db, chat.chat_id, start, end, chat.thread_id)
    return Reply(
        f"{start:02d}시~{end:02d}시(한국 시간)에는 알림을 모아 두었다가 {end:02d}시에 한 번에 보내드려요."
    )


def digest(services: Services, args: str, chat: ChatContext) -> Reply:
    """/digest 09:00: one daily digest at that KST time instead of immediate alerts."""
    text = args.strip().lower()
    if not text:
        return Reply(timing_line(alert_settings(services.db, chat.chat_id))
                     + "\n예: <code>/digest 09:00</code> · 끄려면 <code>/digest 끄기</code>")
    if text in OFF_WORDS:
        set_digest(services.db, chat.chat_id, None, chat.thread_id)
        return Reply("하루 모아 보기를 껐어요. 새 기사는 들어오는 대로 알려드려요.")
    m = _CLOCK.match(text)
    hour, minute = (int(m[1]), int(m[2] or 0)) if m else (-1, -1)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return Reply("시각은 00:00~23:59로 적어 주세요. 예: <code>/digest 09:00</code>")
    at = f"{hour:02d}:{minute:02d}"
    set_digest(services.db, chat.chat_id, at, chat.thread_id)
    return Reply(f"매일 {at}(한국 시간)에 그날까지 들어온 구독 기사를 한 번에 모아 보내드려요.")
