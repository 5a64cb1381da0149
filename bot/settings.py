"""Every setting newsmate reads, declared once.

`.env.example` and README are checked against this list by tests/test_docs.py, so a setting
cannot be added here without being documented there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


def _default_db() -> str:
    # Per-user data directory, following the XDG convention that Linux users expect.
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "newsmate" / "newsmate.db")


SETTINGS: tuple[Setting, ...] = (
    Setting("TELEGRAM_BOT_TOKEN", "", "Bot token from @BotFather; without it `newsmate` starts the terminal chat."),
    Setting("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot", "Bot API base URL; set it when you run your own Bot API server."),
    Setting("NEWSMATE_DB", "", "The store: a SQLite file path (default: ~/.local/share/newsmate/newsmate.db) or a postgresql://user@host/db URL."),
    Setting("NEWSMATE_INGEST_WORKERS", "", "Analysis processes of one `newsmate ingest` (default: one per core, at most 4); 1 analyses in the ingest process itself."),
    Setting("NEWSMATE_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING or ERROR."),
    Setting("NEWSMATE_OWNER_ID", "", "Telegram user id(s) of the bot's owners, comma separated; they may manage the feeds with /feed in a private chat."),
    Setting("NEWSMATE_POLL_TIMEOUT", "30", "Long-polling timeout in seconds for getUpdates."),
    Setting("NEWSMATE_OUTBOX_POLL_SECONDS", "2", "How often the bot looks for new alerts to send, in seconds (articles ingested by another process are alerted within this plus the gather time)."),
    Setting("NEWSMATE_ALERT_GATHER_SECONDS", "5", "Seconds to wait after a chat's newest match before alerting, so a burst becomes one bundled message (never more than 20 s in all)."),
    Setting("NEWSMATE_DELIVERY_CONCURRENCY", "8", "Alert sends in flight at once; the alert HTTP connection pool is 4 larger, so sends never hit 'Pool timeout'."),
    Setting("NEWSMATE_FEED_INTERVAL", "600", "Seconds between two polls of one feed while the bot runs (at least 60)."),
    Setting("NEWSMATE_POLL_MEMORY_MB", "800", "Resident memory in MB the bot's feed-polling child process may take before the bot stops it (at least 300; Kiwi alone takes about 560)."),
    Setting("NEWSMATE_WEBHOOK_URL", "", "Public HTTPS URL Telegram posts updates to; empty means long polling."),
    Setting("NEWSMATE_WEBHOOK_LISTEN", "127.0.0.1", "Address the webhook server listens on (behind your HTTPS proxy)."),
    Setting("NEWSMATE_WEBHOOK_PORT", "8443", "Port the webhook server listens on."),
    Setting("NEWSMATE_WEBHOOK_SECRET", "", "Secret Telegram must send with each webhook call (random per start when empty)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, env: dict[str, str] | None = None) -> str:
    """The value of a declared setting from the environment, or its default."""
    setting = _BY_NAME[name]
    value = (env if env is not None else os.environ).get(name, "").strip()
    if value:
        return value
    if name == "NEWSMATE_DB":
        return _default_db()
    return setting.default
