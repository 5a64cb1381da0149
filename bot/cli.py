"""The `newsmate` command line: chat, bot, ingest, article."""

from __future__ import annotations

import argparse
import logging
import sys

from dotenv import load_dotenv

from bot import settings


def _setup_logging() -> None:
    logging.basicConfig(
        level=settings.get("NEWSMATE_LOG_LEVEL").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsmate",
        description="Korean news in your chat: ask, search, follow. "
        "Without a command: the bot when TELEGRAM_BOT_TOKEN is set, else the terminal chat.",
    )
    parser.add_argument("--db", help="SQLite store path (default: NEWSMATE_DB)")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("chat", help="talk to the bot in the terminal (reads stdin when piped)")
    sub.add_parser("bot", help="run the Telegram bot (long polling)")
    ingest = sub.add_parser("ingest", help="read articles into the store")
    ingest.add_argument("sources", nargs="*", help="JSONL corpus files")
    article = sub.add_parser("article", help="show what the store holds for one article")
    article.add_argument("ref", help="store id, corpus id or URL")
    return parser


def main(argv: list[str] | None = None) -> int:
    load_dotenv(override=False)
    args = build_parser().parse_args(argv)
    _setup_logging()
    command = args.command or ("bot" if settings.get("TELEGRAM_BOT_TOKEN") else "chat")
    if command == "chat":
        from bot.chat import run_chat
        from bot.runtime import close_services, open_services

        services = open_services(args.db)
        try:
            run_chat(services)
        finally:
            close_services(services)
        return 0
    if command == "bot":
        from bot.app import run_bot

        return run_bot(db_path=args.db)
    if command == "ingest":
        from bot.ingest_cli import run_ingest

        return run_ingest(args.db, args.sources)
    if command == "article":
        from bot.ingest_cli import show_article

        return show_article(args.db, args.ref)
    return 2


if __name__ == "__main__":
    sys.exit(main())
