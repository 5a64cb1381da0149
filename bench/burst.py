"""Benchmark of a group chat under load: a burst of commands, alone and beside 1,000 alerts.

    python bench/burst.py [--members 10] [--commands 2] [--alerts 1000] [--scale 1]

A supergroup of `--members` people, each sending `--commands` commands within one second,
to the real bot (bot/app.py: the Application, its send budget and its alert loop, default
settings) over the demo corpus, against a loopback Bot API server that ENFORCES Telegram's
flood limits (1 message/s per chat, 20/min per group, 30/s overall, 429 + retry_after past
them). Run twice: the burst alone, then the same burst while `--alerts` alerts (one each to
that many other chats, half of them groups) are being delivered. `--scale N` runs the
limits' clock N times faster, for a quick look; the figures to quote use 1.

Prints per run: commands answered, seconds from the burst to the first and the last answer,
429s received (limit breaches), replies dropped, and for the second run alerts delivered,
lost and doubled. The targets: every command answered within 90 s, no 429, no alert lost
or doubled. The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import morph  # noqa: E402
from analysis.terms import subscription_key  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.budget import Limits  # noqa: E402
from bot.delivery import DeliveryConfig  # noqa: E402
from ingest.demo import load_demo_if_empty  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store import open_db  # noqa: E402
from store.subscriptions import add_subscription  # noqa: E402
from tests.alerts_data import COMPANIES, delivered, make_article  # noqa: E402
from tests.botapi import TOKEN, BotAPIServer, FloodLimits  # noqa: E402
from tests.conftest import running  # noqa: E402

GROUP = -100200300
COMMANDS = ["/latest", "/search 카카오", "/who 정신아", "/ask 카나나 하위 모델은 몇 종이야?",
            "/quote 카카오", "/search 네이버", "/subscriptions", "/summary 코GPT",
            "/ask 독자 AI 파운데이션 모델 프로젝트 예산은?", "/who 최수연", "/trend 카카오 2025년",
            "/help"]


class Dropped(logging.Handler):
    """Counts the one-line 'dropped' reports of replies the send path gave up on."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.tracebacks = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "dropped" in record.getMessage():
            self.count += 1
        if record.exc_info:
            self.tracebacks += 1


def prepare(db_path: Path, alert_chats: int) -> set[tuple[int, str]]:
    """The demo store, and `alert_chats` chats each following one company that one new
    article names: the (chat, url) alerts that must arrive, once each."""
    db = open_db(db_path)
    load_demo_if_empty(db)
    expected: set[tuple[int, str]] = set()
    if alert_chats:
        chats = [n + 1 for n in range(alert_chats // 2)]
        chats += [-(10_000 + n) for n in range(alert_chats - len(chats))]
        follows = {chat: COMPANIES[i % len(COMPANIES)] for i, chat in enumerate(chats)}
        for chat, company in follows.items():
            add_subscription(db, chat, company, subscription_key(company))
        articles = {c: make_article(900 + i, (c,), random.Random(i)).item
                    for i, c in enumerate(COMPANIES)}
        report = ingest_items(db, list(articles.values()))
        assert report.new == len(articles), report.summary()
        expected = {(chat, articles[company].url) for chat, company in follows.items()}
    db.conn.close()
    return expected


async def one_run(workdir: Path, members: int, per_member: int, alert_chats: int,
                  limits: Limits) -> dict:
    db_path = workdir / f"burst-{alert_chats}.db"
    expected = prepare(db_path, alert_chats)
    dropped = Dropped()
    logging.getLogger().addHandler(dropped)
    with BotAPIServer() as api:
        api.enforce_limits(FloodLimits(limits.per_chat_interval, limits.group_max,
                                       limits.group_window, limits.global_max, limits.global_window))
        app = build_application(TOKEN, api.base_url, str(db_path), DeliveryConfig(limits=limits))
        async with running(app):
            if expected:  # the alerts are flowing before the burst comes
                await asyncio.to_thread(api.wait_for, lambda s: len(s.sent) >= 50, 120)
            started = time.monotonic()
            asked: list[int] = []
            for n in range(per_member):
                for member in range(members):
                    text = COMMANDS[(member * per_member + n) % len(COMMANDS)]
                    asked.append(api.user_message(text, chat_id=GROUP, user_id=1000 + member,
                                                  title="부하 시험방"))
                    await asyncio.sleep(0.9 / (members * per_member))  # all within a second

            def answers(state) -> dict[int, list[float]]:
                """When each asked command got its answer (a reply to it), so far."""
                got: dict[int, list[float]] = {}
                for m in state.sent:
                    target = (m["_params"].get("reply_parameters") or {}).get("message_id")
                    if target in asked:
                        got.setdefault(target, []).append(m["_at"])
                return got

            for wait_for, timeout in ((lambda s: len(answers(s)) == len(asked), 180),
                                      (lambda s: set(delivered(s.sent)) >= expected, 600)):
                try:
                    await asyncio.to_thread(api.wait_for, wait_for, timeout)
                except TimeoutError:
                    pass  # what did arrive is counted below
            await asyncio.sleep(2.0)  # anything sent twice would show now
            got = answers(api.state)
            sent = list(api.state.sent)
            flooded = Counter(which for _, which in api.state.flooded)
    logging.getLogger().removeHandler(dropped)
    counts = delivered([m for m in sent if m["_params"]["chat_id"] != GROUP])
    firsts = sorted(min(times) - started for times in got.values())
    alert_times = [m["_at"] - started for m in sent if m["_params"]["chat_id"] != GROUP]
    return {
        "commands": len(asked),
        "answered": len(got),
        "answered_twice": sum(1 for times in got.values() if len(times) > 1),
        "first_answer_seconds": round(firsts[0], 2) if firsts else None,
        "last_answer_seconds": round(firsts[-1], 2) if firsts else None,
        "http_429_received": sum(flooded.values()),
        "http_429_by_limit": dict(flooded),
        "replies_dropped": dropped.count,
        "tracebacks_logged": dropped.tracebacks,
        "alerts_expected": len(expected),
        "alerts_delivered": sum(1 for pair in counts if pair in expected),
        "alerts_lost": len(expected - set(counts)),
        "alerts_doubled": sum(n - 1 for n in counts.values()),
        "alerts_last_seconds": round(max(alert_times), 2) if alert_times else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--commands", type=int, default=2, help="commands each member sends")
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="run the flood limits' clock this many times faster (1 = real)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    morph.kiwi()  # loaded before any clock starts
    limits = Limits().scaled(args.scale)
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, alerts in (("burst_alone", 0), ("burst_with_alerts", args.alerts)):
            runs[name] = asyncio.run(one_run(Path(tmp), args.members, args.commands, alerts, limits))
            r = runs[name]
            print(f"{name}: answered {r['answered']}/{r['commands']}, first {r['first_answer_seconds']}"
                  f" s, last {r['last_answer_seconds']} s, 429s {r['http_429_received']},"
                  f" dropped {r['replies_dropped']}"
                  + (f"; alerts {r['alerts_delivered']}/{r['alerts_expected']}, lost"
                     f" {r['alerts_lost']}, doubled {r['alerts_doubled']}, last at"
                     f" {r['alerts_last_seconds']} s" if alerts else ""))
    ok = all(r["answered"] == r["commands"] and (r["last_answer_seconds"] or 1e9) <= 90 / args.scale
             and r["http_429_received"] == 0 and r["alerts_lost"] == 0 and r["alerts_doubled"] == 0
             for r in runs.values())
    print(json.dumps({"members": args.members, "commands_each": args.commands,
                      "limits_scale": args.scale, **runs, "targets_met": ok}, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
