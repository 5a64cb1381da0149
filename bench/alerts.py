"""Benchmark of alert delivery under Telegram's flood limits.

    python bench/alerts.py [--chats 1000] [--articles 100] [--scale 1]

1,000 chats (half private, half groups) follow one or two of ten made-up companies; 100 new
articles about them are ingested through the real pipeline (one transaction each, the
matcher inside it) while the real delivery loop (bot/delivery.py, default settings) sends
the alerts to a loopback Bot API server that ENFORCES Telegram's limits: 1 message/s per
chat, 20/min per group, 30/s overall, answering 429 with retry_after past them. `--scale N`
runs the limits' clock N times faster, for a quick look; the figures to quote use 1.

Prints the time from the first ingest to the last delivery, messages and alerts per second,
alert latency (article committed -> its alert arrived), 429s received, duplicates and
losses (both must be 0). The last printed line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import morph  # noqa: E402
from analysis.terms import subscription_key  # noqa: E402
from bot.delivery import DeliveryConfig, DeliveryLoop, Limits  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store import open_db  # noqa: E402
from store.outbox import status_counts  # noqa: E402
from store.subscriptions import add_subscription  # noqa: E402
from tests.alerts_data import (  # noqa: E402
    _HREF,
    delivered,
    expected_pairs,
    plan_articles,
    plan_subscriptions,
)
from tests.botapi import TOKEN, BotAPIServer, FloodLimits  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def run(chats: int, articles: int, scale: float, workdir: Path) -> dict:
    db_path = workdir / "bench.db"
    db = open_db(db_path)
    chat_ids = [n + 1 for n in range(chats // 2)] + [-(10_000 + n) for n in range(chats - chats // 2)]
    subs = plan_subscriptions(chat_ids)
    for chat, names in subs.items():
        for name in names:
            add_subscription(db, chat, name, subscription_key(name))
    planned = plan_articles(articles)
    expected = expected_pairs(subs, planned)
    limits = Limits().scaled(scale)
    config = DeliveryConfig(limits=limits)  # the defaults `newsmate bot` runs with

    with BotAPIServer() as api:
        api.enforce_limits(FloodLimits(limits.per_chat_interval, limits.group_max,
                                       limits.group_window, limits.global_max, limits.global_window))
        loop = DeliveryLoop(str(db_path), TOKEN, api.base_url, config)
        await loop.start()
        committed: dict[str, float] = {}
        items = [a.item for a in planned]

        def ingest_all() -> None:
            writer = open_db(db_path)  # its own connection, as `newsmate ingest` would have
            for item in items:
                ingest_items(writer, [item])
                committed[item.url] = time.monotonic()
            writer.conn.close()

        started = time.monotonic()
        await asyncio.to_thread(ingest_all)
        ingest_seconds = time.monotonic() - started
        deadline = time.monotonic() + 3600
        while set(delivered(api.state.sent)) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # anything sent twice would show now
        await loop.stop()
        sent = list(api.state.sent)
        flooded = Counter(which for _, which in api.state.flooded)

    counts = delivered(sent)
    last = max(m["_at"] for m in sent)
    latencies = []
    for message in sent:
        for url in set(_HREF.findall(str(message["_params"]["text"]))):
            if url in committed:
                latencies.append(message["_at"] - committed[url])
    total = last - started
    dup_articles = db.execute("SELECT count(*) FROM articles WHERE dup_of IS NOT NULL").fetchone()[0]
    figures = {
        "chats": chats,
        "articles": articles,
        "limits_scale": scale,
        "expected_alerts": len(expected),
        "delivered_alerts": sum(1 for pair in counts if pair in expected),
        "messages": len(sent),
        "bundled_messages": sum(1 for m in sent if "건이에요" in m["text"]),
        "ingest_seconds": round(ingest_seconds, 2),
        "ingest_to_last_delivery_seconds": round(total, 2),
        "messages_per_second": round(len(sent) / total, 2),
        "alerts_per_second": round(len(expected) / total, 2),
        "latency_p50_seconds": round(statistics.median(latencies), 2),
        "latency_p95_seconds": round(percentile(latencies, 0.95), 2),
        "latency_max_seconds": round(max(latencies), 2),
        "http_429_received": sum(flooded.values()),
        "http_429_by_limit": dict(flooded),  # which limit the server saw crossed
        "duplicates": sum(n - 1 for n in counts.values()),
        "losses": len(expected - set(counts)),
        "unexpected": len(set(counts) - expected),
        "near_duplicate_articles": dup_articles,
        "outbox": status_counts(db),
    }
    db.conn.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="run the flood limits' clock this many times faster (1 = real)")
    args = parser.parse_args()
    morph.kiwi()  # loaded before the clock starts
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(run(args.chats, args.articles, args.scale, Path(tmp)))
    print(f"chats {figures['chats']}, articles {figures['articles']},"
          f" expected alerts {figures['expected_alerts']}")
    print(f"messages sent {figures['messages']} ({figures['bundled_messages']} bundled)")
    print(f"ingest {figures['ingest_seconds']} s; ingest to last delivery"
          f" {figures['ingest_to_last_delivery_seconds']} s")
    print(f"{figures['messages_per_second']} messages/s, {figures['alerts_per_second']} alerts/s")
    print(f"alert latency p50 {figures['latency_p50_seconds']} s, p95"
          f" {figures['latency_p95_seconds']} s, max {figures['latency_max_seconds']} s")
    print(f"429s received {figures['http_429_received']} {figures['http_429_by_limit']},"
          f" duplicates {figures['duplicates']},"
          f" losses {figures['losses']}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["duplicates"] == 0 and figures["losses"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
