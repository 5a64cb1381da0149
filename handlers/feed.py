"""/feed add URL, /feed list, /feed remove URL: the owner manages the feeds from the chat.

Only the owners (NEWSMATE_OWNER_ID), and only in a private chat with the bot, so a feed
list is never shown in a group; everyone else is told politely who may. In the terminal
chat the person at the keyboard owns the store, as with `newsmate feeds`.

Adding does not fetch the feed here: that would hold up every other command while a slow
or hostile server answers. The feed is stored as due, the bot's next poll (within a minute,
in its own process) reads it, and /feed list shows how that went.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from handlers.format import trim
from handlers.reply import Reply, esc
from handlers.services import ChatContext, Services
from store import feeds as feed_store

OWNER_ONLY = "피드 관리는 봇 주인만 할 수 있어요. 질문과 검색은 누구나 쓸 수 있으니 /help 를 참고해 주세요."
PRIVATE_ONLY = "피드 관리는 봇과의 개인 채팅에서 해 주세요. 그룹에는 피드 목록을 보여 드리지 않아요."
USAGE = (
    "이렇게 써 주세요.\n"
    "<code>/feed add 주소</code> — 피드를 추가해요\n"
    "<code>/feed list</code> — 피드 목록과 상태를 보여 드려요\n"
    "<code>/feed remove 주소</code> — 피드를 지워요 (목록의 번호도 돼요)"
)
MAX_URL = 2000
LIST_MAX = 30  # feeds shown in one reply; more would not fit a phone screen anyway


def is_owner(services: Services, chat: ChatContext) -> bool:
    return chat.at_terminal or chat.user_id in services.owner_ids


def feed(services: Services, args: str, chat: ChatContext) -> Reply:
    """Add, list or remove the feeds the bot reads; owners only, in a private chat."""
    if not is_owner(services, chat):
        return Reply(OWNER_ONLY)
    if chat.chat_type != "private":
        return Reply(PRIVATE_ONLY)
    action, _, rest = args.strip().partition(" ")
    action, rest = action.lower(), rest.strip()
    if action in ("add", "추가") and rest:
        return _add(services, rest)
    if action in ("list", "목록") and not rest:
        return _list(services)
    if action in ("remove", "delete", "삭제") and rest:
        return _remove(services, rest)
    return Reply(USAGE)


def _clean_url(text: str) -> str | None:
    url = text.strip().strip("<>").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if any(ch.isspace() for ch in url):
        return None
    return url


def _add(services: Services, text: str) -> Reply:
    url = _clean_url(text)
    if url is None:
        return Reply("http:// 또는 https:// 로 시작하는 피드 주소를 적어 주세요.\n"
                     "예: <code>/feed add https://news.example.com/rss.xml</code>")
    found, new = feed_store.add_feed(services.db, url)
    if not new:
        return Reply(f"이미 있는 피드예요: {esc(found.title or found.url)}")
    return Reply(
        f"추가했어요: {esc(url)}\n"
        "봇이 다음에 피드를 확인할 때(보통 1분 안) 처음 읽어 와요. 결과는 /feed list 에서 볼 수 있어요."
    )


def _when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%m-%d %H:%M")
    except ValueError:
        return value


def _state(found: feed_store.Feed) -> str:
    if found.last_checked_at is None:
        return "아직 읽지 않았어요"
    state = f"{_when(found.last_checked_at)} 확인"
    if found.errors:
        error = trim(found.last_error or "", 80)
        state += f" · 연속 {found.errors}회 실패 ({esc(error)}), 다음 시도 {_when(found.next_check_at)}"
    return state


def _list(services: Services) -> Reply:
    feeds = feed_store.list_feeds(services.db)
    if not feeds:
        return Reply("저장된 피드가 없어요. <code>/feed add 주소</code> 로 추가해 보세요.")
    lines = [f"피드 {len(feeds)}개예요."]
    for number, found in enumerate(feeds[:LIST_MAX], 1):
        title = esc(trim(found.title, 40)) if found.title else "(제목 아직 모름)"
        lines.append(f"{number}. {title}\n   {esc(found.url)}\n   {_state(found)}")
    if len(feeds) > LIST_MAX:
        lines.append(f"…그리고 {len(feeds) - LIST_MAX}개 더 있어요. 전체 목록은 "
                     "<code>newsmate feeds export</code> 로 받을 수 있어요.")
    return Reply("\n".join(lines))


def _remove(services: Services, text: str) -> Reply:
    target = text.strip().strip("<>").strip()
    if target.lstrip("#").isdigit():
        feeds = feed_store.list_feeds(services.db)
        number = int(target.lstrip("#"))
        if not 1 <= number <= len(feeds):
            return Reply(f"{number}번 피드는 없어요. /feed list 로 번호를 확인해 주세요.")
        target = feeds[number - 1].url
    found = feed_store.get_feed(services.db, target)
    if found is None or not feed_store.remove_feed(services.db, target):
        return Reply(f"그런 피드가 없어요: {esc(trim(target, 100))}")
    return Reply(f"지웠어요: {esc(found.title or found.url)}")
