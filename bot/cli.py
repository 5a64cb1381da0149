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
    parser.add_argument("--db", help="the store: a SQLite file path or a postgresql:// URL"
                        " (default: NEWSMATE_DB)")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("chat", help="talk to the bot in the terminal (reads stdin when piped)")
    bot = sub.add_parser("bot", help="run the Telegram bot (long polling, or a webhook)")
    bot.add_argument("--webhook", metavar="URL", help="public HTTPS URL for webhook mode")
    bot.add_argument("--listen", metavar="HOST", help="address the webhook server listens on")
    bot.add_argument("--port", type=int, metavar="N", help="port the webhook server listens on")
    ingest = sub.add_parser("ingest", help="read articles into the store")
    ingest.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="RSS/Atom feed URL, article page URL, .html/.txt/.jsonl file, or a folder of those;"
        " none: poll the stored feeds",
    )
    feeds = sub.add_parser("feeds", help="the feeds `newsmate ingest` and the bot poll")
    feeds_sub = feeds.add_subparsers(dest="feeds_action", required=True)
    feeds_add = feeds_sub.add_parser("add", help="check that URL is an RSS/Atom feed and keep it")
    feeds_add.add_argument("url")
    feeds_sub.add_parser("list", help="show the stored feeds and their state")
    feeds_sub.add_parser("remove", help="stop following a feed").add_argument("url")
    feeds_import = feeds_sub.add_parser("import", help="add every feed of an OPML file")
    feeds_import.add_argument("path", metavar="FILE.opml")
    feeds_export = feeds_sub.add_parser(
        "export", help="write the stored feeds as OPML 2.0 (to FILE, or to stdout)"
    )
    feeds_export.add_argument("path", metavar="FILE.opml", nargs="?")
    article = sub.add_parser("article", help="show what the store holds for one article")
    article.add_argument("ref", help="store id, corpus id or URL")
    copy = sub.add_parser(
        "migrate-store", help="copy a whole store to another engine (SQLite <-> PostgreSQL);"
        " resumable, row counts checked at the end")
    copy.add_argument("source", help="SQLite file path or postgresql:// URL to copy from")
    copy.add_argument("target", help="SQLite file path or postgresql:// URL to copy into")
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

        return run_bot(
            db_path=args.db,
            webhook_url=getattr(args, "webhook", None),
            listen=getattr(args, "listen", None),
            port=getattr(args, "port", None),
        )
    if command == "ingest":
        from bot.ingest_cli import run_ingest

        return run_ingest(args.db, args.sources)
    if command == "feeds":
        from bot.ingest_cli import run_feeds

        return run_feeds(args.db, args.feeds_action, getattr(args, "url", None) or
                         getattr(args, "path", None))
    if command == "article":
        from bot.ingest_cli import show_article

        return show_article(args.db, args.ref)
    if command == "migrate-store":
        from bot.ingest_cli import run_migrate_store

        return run_migrate_store(args.source, args.target)
    return 2


if __name__ == "__main__":
    sys.exit(main())
