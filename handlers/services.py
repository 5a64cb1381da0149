"""What the command functions work with: the store, and per-chat context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from store.engine import Database


@dataclass(slots=True)
class Services:
    """Shared by every command; the bot owns one for its lifetime (post_init/post_shutdown)."""

    db: Database
    bot_username: str = ""
    owner_ids: frozenset[int] = frozenset()  # Telegram users who may manage the feeds


@dataclass(slots=True)
class ChatContext:
    """Who asked, where, and about what earlier reply (for follow-ups)."""

    chat_id: int = 0
    user_id: int = 0
    chat_type: str = "private"
    reply_to_articles: list[int] = field(default_factory=list)
    asked_at: datetime | None = None  # when the message was sent (None: now)
    thread_id: int | None = None  # the forum topic it was asked in (None: General, no forum)
    at_terminal: bool = False  # the terminal chat: the person at the keyboard owns the store
