"""One poll of the stored feeds, in a process of its own (bot/feed_job.py starts it).

`python -m bot.poll_child --db PATH --interval SECONDS --address-space-mb N --cpu-seconds N`

The limits are set first, before anything large is loaded: an address-space cap (a runaway
allocation fails here with MemoryError instead of growing the bot), a CPU-time cap, and the
lowest scheduling priority (polling is background work), so the bot's own replies come
first on a busy machine. The poll
writes what it reads to the store like `newsmate ingest` does (SQLite in WAL mode, so the
bot keeps reading meanwhile) and prints its counts as one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys

log = logging.getLogger(__name__)


def limit_resources(address_space_mb: int, cpu_seconds: int) -> None:
    """Caps for this process and anything it starts; they can only be lowered later."""
    space = address_space_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (space, space))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    os.nice(19)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.poll_child")
    parser.add_argument("--db", required=True)
    parser.add_argument("--interval", type=float, required=True)
    parser.add_argument("--address-space-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    args = parser.parse_args(argv)
    limit_resources(args.address_space_mb, args.cpu_seconds)

    # Imported after the limits, so that they hold for everything these load.
    from bot import settings
    from ingest.fetch import make_client
    from ingest.sources import poll_due_feeds
    from store import open_db

    logging.basicConfig(
        level=settings.get("NEWSMATE_LOG_LEVEL").upper(),
        format="%(asctime)s %(levelname)s %(name)s[poll]: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    db = open_db(args.db)
    try:
        with make_client() as client:
            report = poll_due_feeds(db, client, interval=args.interval)
    finally:
        db.conn.close()
    print(json.dumps({
        "new": report.new, "updated": report.updated, "summary_only": report.summary_only,
        "failed": report.failed, "errors": report.errors[:20], "summary": report.summary(),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
