"""/forget: delete what the bot keeps about this chat, and say what went."""

from __future__ import annotations

from handlers.reply import Reply, esc
from handlers.services import ChatContext, Services
from store.chats import OUTBOX_WAITING, forget_chat

# How each kind of kept data is named to people; unknown tables show their own name.
LABELS = {
    "chats": "채팅 설정",
    "subscriptions": "구독",
    "alert_settings": "알림 시간 설정",
    OUTBOX_WAITING: "보내지 않은 알림",
    "outbox": "보낸 알림 기록",
    "followups": "답변 후속 질문 기록",
    "pagers": "목록 페이지 기록",
}


def forget(services: Services, args: str, chat: ChatContext) -> Reply:
    """Delete this chat's subscriptions, settings, pending alerts and follow-up state."""
    deleted = forget_chat(services.db, chat.chat_id)
    if not deleted:
        return Reply("이 채팅에 대해 저장해 둔 것이 없어요.")
    parts = [f"{esc(LABELS.get(table, table))} {count}건" for table, count in deleted.items()]
    return Reply("이 채팅에 대해 저장한 내용을 지웠어요: " + ", ".join(parts) + ".")
