"""Hostile and sloppy feeds against the real `newsmate ingest` and the running bot.

    python bench/hostile.py [--before DIR] [--cases a,b,...] [--timeout 900] [--no-bot]
                            [--bot-only] [--bot-rounds 3]

A hostile site on 127.0.0.1 (tests/hostile_site.py, with its real timings: a byte a second
for dripping pages, 25 s for slow ones, 4 GB behind each compression bomb, a 50 MB page,
a 4.5 MB entry, 10,000 entries linking one page) serves each case as a feed; each case is
one `newsmate ingest URL` into a fresh store. Per case it prints the articles stored and
expected, the peak resident memory of the largest process and of all of them (psutil,
tests/memory_watch.py) and the time. Then the sloppy feeds (tests/sloppy_feeds.py), all in
one run: how many are refused at the feed level and how many articles are stored. Then the
bot: /ask latency through the real Application (loopback Bot API server) before and while
its feed poll reads the hostile links, and the bot process's memory meanwhile. For that
part the hostile site runs in a process of its own, as a real site does; each round is a
fresh bot and store, and asks are spaced the same before and during the poll. Each ask is
timed end to end and for the bot's own part (getUpdates answer to sendMessage arrival).

`--before DIR` runs the same cases and sloppy feeds with the code in DIR (a checkout of
main, say `git archive main | tar -x -C DIR`) first, for comparison. Each process is
capped at 6 GB of address space, so a case that would take more fails instead.
The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from tests.hostile_site import HostileSite, Timings  # noqa: E402
from tests.memory_watch import watch  # noqa: E402
from tests.sloppy_feeds import sloppy_cases  # noqa: E402

ADDRESS_SPACE_MB = 6144


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    expected: int  # articles a careful reader stores
    note: str


CASES = (
    Case("double-gzip", "/feed/link/bomb/gzip-gzip", 1, "'gzip, gzip', a few KB on the wire"),
    Case("gzip-bomb", "/feed/link/bomb/gzip", 1, "4 GB of zeros gzipped"),
    Case("page-50mb", "/feed/link/page/huge", 1, "50 MB page, no Content-Length"),
    Case("dripping-page", "/feed/drip.xml", 1, "a byte a second, for ever"),
    Case("dripping-headers", "/feed/link/page/drip-headers", 1, "headers a byte a second"),
    Case("hostile-links", "/feed/hostile-links.xml", 10, "10 teasers: bombs, drips, slow, 403, 404"),
    Case("slow-links", "/feed/slow-links.xml", 12, "12 pages that answer after 25 s"),
    Case("one-page-10000", "/feed/one-page.xml", 1, "10,000 entries linking one page"),
    Case("huge-entry", "/feed/huge-entry.xml", 1, "one 4.5 MB entry"),
    Case("deep-nesting", "/feed/deep.xml", 1, "page nested 256 <span>s deep"),
    Case("teaser-403", "/feed/teaser-403.xml", 1, "teaser whose page answers 403"),
    Case("billion-laughs", "/feed/billion-laughs.xml", 2, "nested entities"),
    Case("external-entity", "/feed/external-entity.xml", 2, "XXE"),
    Case("quadratic-blowup", "/feed/quadratic-blowup.xml", 2, "100 KB entity used 40,000 times"),
)


def _command(code: Path, db: Path, urls: list[str]) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(code), "NEWSMATE_LOG_LEVEL": "WARNING"}
    return [sys.executable, "-m", "bot.cli", "--db", str(db), "ingest", *urls], env


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def run_case(site: HostileSite, case: Case, code: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        argv, env = _command(code, db, [site.url(case.path)])
        run = watch(argv, env=env, cwd=str(code), address_space_mb=ADDRESS_SPACE_MB,
                    timeout=timeout)
        stored = _stored(db)
    failures = [line for line in run.stderr.splitlines() if line.startswith("실패:")]
    ended = "ok" if run.returncode in (0, 1) else f"killed ({run.returncode})"
    if run.seconds >= timeout:
        ended = f"stopped after {timeout:.0f} s"
    elif "MemoryError" in run.stderr:
        ended = f"MemoryError at the {ADDRESS_SPACE_MB} MB cap"
    return {"stored": stored, "expected": case.expected, "largest_mb": round(run.largest_mb),
            "total_mb": round(run.total_mb), "seconds": round(run.seconds, 1),
            "failure_lines": len(failures), "ended": ended}


def run_sloppy(site: HostileSite, code: Path, timeout: float) -> dict:
    cases = sloppy_cases()
    urls = [site.url(f"/sloppy/{c.name}.xml") for c in cases]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        argv, env = _command(code, db, urls)
        run = watch(argv, env=env, cwd=str(code), address_space_mb=ADDRESS_SPACE_MB,
                    timeout=timeout)
        stored = _stored(db)
    refused = sorted(
        c.name for c, url in zip(cases, urls, strict=True)
        if any(line.startswith(f"실패: {url}: ") and " entry " not in line
               for line in run.stderr.splitlines())
    )
    return {"feeds": len(cases), "refused": len(refused), "refused_names": refused,
            "stored": stored, "expected": sum(c.entries for c in cases),
            "seconds": round(run.seconds, 1)}


def print_cases(label: str, results: dict[str, dict]) -> None:
    print(f"\n{label}")
    print(f"{'case':<18} {'stored/expected':>15} {'largest MB':>10} {'all MB':>7} {'seconds':>8}  ended")
    for name, r in results.items():
        print(f"{name:<18} {r['stored']:>7}/{r['expected']:<7} {r['largest_mb']:>10} "
              f"{r['total_mb']:>7} {r['seconds']:>8}  {r['ended']}")


# Seconds between two asks, before the poll and during it alike: asks spaced differently
# meet the bot's long poll in a different phase, which alone moved the median by 40 ms.
ASK_GAP = 0.5
BOT_FEED = "/feed/hostile-links.xml"


def _serve_site(conn: Connection, timings: Timings) -> None:
    """The hostile site's process: build the bombs, say where it listens, serve until told."""
    from tests.hostile_site import double_gzip_bomb, gzip_bomb

    double_gzip_bomb(timings.bomb_bytes)
    gzip_bomb(timings.bomb_bytes)
    with HostileSite(timings) as site:
        conn.send(site.base)
        conn.recv()


@contextmanager
def site_in_own_process(timings: Timings) -> Iterator[str]:
    """The hostile site's base URL, served from a process of its own as a real site is:
    served from the bot's process, its threads (50 MB streamed, bombs written) would share
    the bot's interpreter lock, which no real feed does."""
    ctx = multiprocessing.get_context("spawn")
    mine, theirs = ctx.Pipe()
    server = ctx.Process(target=_serve_site, args=(theirs, timings), daemon=True)
    server.start()
    try:
        yield mine.recv()
    finally:
        mine.send("stop")
        server.join(10)
        if server.is_alive():
            server.kill()


def _quantile_ms(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


def _median_ms(values: list[float]) -> float | None:
    return round(1000 * statistics.median(values), 1) if values else None


async def _bot_round(site_base: str, asks: int) -> dict:
    """One fresh bot and store: `asks` /ask before the poll, then /ask while the poll child
    reads the hostile links, all spaced ASK_GAP apart. Each ask is timed twice: end to end
    (the update queued at the loopback Bot API server until the reply arrives there), and
    the bot's own part (from the getUpdates answer that carried the update to the reply)."""
    from bot.app import build_application
    from ingest.demo import load_demo_if_empty
    from store import feeds as feed_store
    from store import open_db
    from tests.botapi import TOKEN, BotAPIServer
    from tests.conftest import running

    with tempfile.TemporaryDirectory() as tmp, BotAPIServer() as api:
        db_path = str(Path(tmp) / "bot.db")
        db = open_db(db_path)
        load_demo_if_empty(db)
        app = build_application(TOKEN, api.base_url, db_path)
        me = psutil.Process(os.getpid())
        asked = 0

        async def one_ask() -> tuple[float, float]:
            nonlocal asked
            asked += 1
            started = time.monotonic()
            # A new person and chat each time, so the per-person limit never applies.
            api.user_message("/ask 독자 AI 파운데이션 모델 프로젝트 예산은?", chat_type="private",
                             chat_id=10_000 + asked, user_id=10_000 + asked)
            sent = (await asyncio.to_thread(api.wait_sent, asked, 60.0))[-1]
            # One ask at a time: the update handed out last is this one.
            handed_out = api.state.handed_out[max(api.state.handed_out)]
            await asyncio.sleep(ASK_GAP)
            return sent["_at"] - started, sent["_at"] - handed_out

        async with running(app):
            poller = app.bot_data["feed_poller"]
            for _ in range(3):
                await one_ask()  # warm up
            before = [await one_ask() for _ in range(asks)]
            rss_before = me.memory_info().rss
            feed_store.add_feed(db, site_base + BOT_FEED)
            poll = asyncio.create_task(poller.run())
            while poller.child_pid is None and not poll.done():
                await asyncio.sleep(0.05)
            child = poller.child_pid
            during: list[tuple[float, float]] = []
            bot_peak = rss_before
            child_peak = 0
            while poller.child_pid is not None:
                during.append(await one_ask())
                bot_peak = max(bot_peak, me.memory_info().rss)
                try:
                    child_peak = max(child_peak, psutil.Process(child).memory_info().rss)
                except (psutil.Error, TypeError):
                    pass
            await poll
        db.conn.close()
    result = poller.last_result or {}
    return {
        "before": before, "during": during,
        "bot_rss_growth_mb": round((bot_peak - rss_before) / 2**20),
        "poll_child_peak_mb": round(child_peak / 2**20),
        "poll_stored": result.get("new"), "poll_summary_only": result.get("summary_only"),
    }


def _bot_figures(rounds: list[dict]) -> dict:
    """Pooled medians and 95th percentiles, and each round's medians for the spread."""
    figures: dict = {"rounds": len(rounds), "ask_gap_s": ASK_GAP}
    for phase in ("before", "during"):
        pooled = [ask for r in rounds for ask in r[phase]]
        for i, part in ((0, "ask_ms"), (1, "bot_ms")):
            figures[f"{part}_median_{phase}"] = _median_ms([a[i] for a in pooled])
            figures[f"{part}_p95_{phase}"] = _quantile_ms([a[i] for a in pooled], 0.95)
            figures[f"{part}_median_{phase}_per_round"] = [
                _median_ms([a[i] for a in r[phase]]) for r in rounds]
        figures[f"asks_{phase}"] = len(pooled)
    last = rounds[-1]
    figures.update({k: max(r[k] for r in rounds) for k in ("bot_rss_growth_mb", "poll_child_peak_mb")})
    figures.update(poll_stored=last["poll_stored"], poll_summary_only=last["poll_summary_only"])
    return figures


def bot_latency(rounds: int, asks: int = 20) -> dict:
    """/ask through the real bot, before and while its poll reads the hostile links."""
    timings = Timings(bomb_bytes=4 << 30)
    with site_in_own_process(timings) as base:
        results = []
        for n in range(rounds):
            results.append(asyncio.run(_bot_round(base, asks)))
            print(f"  bot round {n + 1}: /ask median "
                  f"{_median_ms([a[0] for a in results[-1]['before']])} ms before the poll, "
                  f"{_median_ms([a[0] for a in results[-1]['during']])} ms during it",
                  flush=True)
    return _bot_figures(results)


def ingest_runs(chosen: list[Case], before: Path | None, timeout: float) -> dict:
    """Every chosen case and the sloppy feeds with `newsmate ingest`: the code in `before`
    first when given, then this checkout."""
    figures: dict = {}
    timings = Timings(bomb_bytes=4 << 30)
    print("building the compression bombs ...", flush=True)
    with HostileSite(timings) as site:
        from tests.hostile_site import double_gzip_bomb, gzip_bomb

        double_gzip_bomb(timings.bomb_bytes)
        gzip_bomb(timings.bomb_bytes)
        runs = [("before", before.resolve())] if before else []
        runs.append(("after", ROOT))
        for label, code in runs:
            results = {}
            for case in chosen:
                results[case.name] = run_case(site, case, code, timeout)
                print(f"  {label} {case.name}: {json.dumps(results[case.name])}", flush=True)
            sloppy = run_sloppy(site, code, timeout)
            print_cases(f"{label}: hostile cases ({code})", results)
            print(f"{label}: sloppy feeds refused at the feed level: {sloppy['refused']} of "
                  f"{sloppy['feeds']} ({', '.join(sloppy['refused_names']) or 'none'}); "
                  f"articles stored {sloppy['stored']} of {sloppy['expected']}")
            figures[label] = {"cases": results, "sloppy": sloppy}
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="also run the code in this directory first")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per case")
    parser.add_argument("--no-bot", action="store_true", help="skip the bot latency part")
    parser.add_argument("--bot-only", action="store_true", help="only the bot latency part")
    parser.add_argument("--bot-rounds", type=int, default=3,
                        help="fresh bots measured one after another (default 3)")
    args = parser.parse_args()
    chosen = [c for c in CASES if not args.cases or c.name in args.cases.split(",")]
    figures = {} if args.bot_only else ingest_runs(chosen, args.before, args.timeout)
    if not args.no_bot:
        bot = bot_latency(args.bot_rounds)
        print(f"\nbot: /ask median {bot['ask_ms_median_before']} ms before the poll, "
              f"{bot['ask_ms_median_during']} ms during it (per round "
              f"{bot['ask_ms_median_before_per_round']} -> {bot['ask_ms_median_during_per_round']});"
              f" the bot's own part {bot['bot_ms_median_before']} -> {bot['bot_ms_median_during']} ms,"
              f" p95 {bot['bot_ms_p95_before']} -> {bot['bot_ms_p95_during']} ms"
              f" ({bot['asks_before']} and {bot['asks_during']} asks);"
              f" bot memory +{bot['bot_rss_growth_mb']} MB, poll child peak "
              f"{bot['poll_child_peak_mb']} MB")
        figures["bot"] = bot
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
