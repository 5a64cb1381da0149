"""Scale benchmark: PostgreSQL and SQLite side by side, several ingest workers, the bot running.

    python bench/scale.py [--articles 10000] [--workers 1,2] [--big 100000] [--engines postgresql,sqlite]
    python bench/scale.py --engines postgresql --big 0 --articles 2000 --repeat 3   # workers only

Part 1, per engine and per number of workers: a server on 127.0.0.1 serves --articles
article pages in RSS feeds (bench/ingest.py's pages, dated today so that they alert);
that many `newsmate ingest` processes (NEWSMATE_INGEST_WORKERS=1: one core each) read
disjoint shares of the feeds into one fresh store while `newsmate bot` runs against the
loopback Bot API server (tests/botapi.py) and delivers the alerts of four chats, and this
process asks /ask questions (answer_question, on its own connection) all along. Figures:
articles/s, CPU per article of the workers and of the PostgreSQL server (less noisy than
wall time on a shared machine), the load average when the run ended and the cores other
processes on the machine used during the run (what this run did not have), /ask median and p95
during ingest, and the alerts: outbox rows, delivered, duplicates and losses (both must
be 0). --repeat runs the worker counts again, back to back (the speedup is then the median).

Part 2: /ask latency at --big articles, on both engines: the KorQuAD dev corpus
(../shared/data) through real ingest, then generated articles up to --big (sentences of
bench/distractors.py articles, analysed once by Kiwi, recombined into new articles and
written through the store's one write path); PostgreSQL's store is a copy of SQLite's by
`newsmate migrate-store`, whose time is printed too. The KorQuAD questions are then asked
on both stores, and the replies compared.

PostgreSQL runs as a throwaway cluster (tests/pgserver.py) with fsync on and
synchronous_commit off, the counterpart of SQLite's synchronous=NORMAL in WAL mode.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from multiprocessing import Process
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.terms import subscription_key  # noqa: E402
from bench.ingest import serve  # noqa: E402
from bench.qa import percentile  # noqa: E402
from handlers.ask import answer_question  # noqa: E402
from handlers.services import Services  # noqa: E402
from store import open_db  # noqa: E402
from store.subscriptions import add_subscription  # noqa: E402
from tests.alerts_data import delivered  # noqa: E402
from tests.botapi import TOKEN, BotAPIServer  # noqa: E402
from tests.pgserver import PostgresServer, find_bindir  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
FOLLOWED = {1: "뤼튼", 2: "퓨리오사", 3: "하람랩", 4: "리벨리온"}  # chat -> what it follows
ASKED = ["하람랩 AI 행정비서 출시는 언제야?", "독자 AI 파운데이션 모델 프로젝트 예산은?",
         "코GPT 2.0 매개변수는 몇 개야?", "리벨리온 투자 규모는?", "퓨리오사AI 칩 이름은?"]


def start_site(tmp: Path, articles: int, per_feed: int) -> tuple[Process, list[str]]:
    port_file = tmp / "port"
    site = Process(target=serve, args=(port_file, articles, per_feed, True), daemon=True)
    site.start()
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port_file.read_text()}"
    return site, [f"{base}/feed/{k}.xml" for k in range(-(-articles // per_feed))]


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's ended and waited-for children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def machine_busy() -> float:
    """CPU seconds the machine's cores were busy since boot (all processes; time the
    hypervisor gave to other machines, steal, counts as busy too: this run did not get it)."""
    import psutil

    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    counted_twice = getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)  # also in user
    return sum(t) - idle - counted_twice


def process_cpu(*pids: int) -> float:
    """CPU seconds (user + system) the running processes `pids` have used so far."""
    import psutil

    total = 0.0
    for pid in pids:
        t = psutil.Process(pid).cpu_times()
        total += t.user + t.system
    return total


def ingest_run(target: str, feeds: list[str], workers: int, api: BotAPIServer,
               server_cpu: Callable[[], float], site_pid: int) -> dict:
    """N ingest workers and the bot on one fresh store; /ask asked meanwhile. `server_cpu`
    reads the CPU seconds PostgreSQL's processes have used so far (0 for SQLite)."""
    db = open_db(target)
    for chat, term in FOLLOWED.items():
        add_subscription(db, chat, term, subscription_key(term))
    env = {**os.environ, "NEWSMATE_DB": target, "NEWSMATE_INGEST_WORKERS": "1",
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
           "NEWSMATE_OUTBOX_POLL_SECONDS": "1", "NEWSMATE_ALERT_GATHER_SECONDS": "1",
           "NEWSMATE_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "bot"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # the bot fills a new store with the demo corpus first
    while db.execute("SELECT count(*) FROM delivery_lease").fetchone()[0] == 0:
        assert time.monotonic() < deadline and bot.poll() is None, "the bot did not start"
        time.sleep(0.2)
    demo = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    shares = [feeds[k::workers] for k in range(workers)]
    cpu_before, server_before = children_cpu(), server_cpu()
    ours_before = process_cpu(os.getpid(), bot.pid, site_pid)
    busy_before = machine_busy()
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", *share], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for share in shares]
    latencies: list[float] = []
    done = threading.Event()

    def ask_meanwhile() -> None:
        asker = open_db(target)
        services, k = Services(asker), 0
        while not done.is_set():
            t = time.perf_counter()
            answer_question(services, ASKED[k % len(ASKED)])
            latencies.append((time.perf_counter() - t) * 1000)
            k += 1
            time.sleep(0.5)
        asker.close()

    asking = threading.Thread(target=ask_meanwhile, daemon=True)
    asking.start()
    outputs = [p.communicate() for p in procs]
    seconds = time.perf_counter() - started
    # Only the workers ended meanwhile (the bot and the site still run): their CPU alone.
    worker_cpu, server_used = children_cpu() - cpu_before, server_cpu() - server_before
    ours = worker_cpu + server_used + process_cpu(os.getpid(), bot.pid, site_pid) - ours_before
    # What the rest of the machine used meanwhile (other people's work on a shared
    # machine): the cores this run did not have.
    others = machine_busy() - busy_before - ours
    load = os.getloadavg()[0]
    done.set()
    asking.join()
    stored = db.execute("SELECT count(*) FROM articles").fetchone()[0] - demo
    rows = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and db.execute(
            "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')").fetchone()[0]:
        time.sleep(1.0)
    time.sleep(3.0)  # a second copy would show now
    bot.terminate()
    bot.wait(timeout=30)
    expected = Counter()
    for chat, url in db.execute(
            "SELECT o.chat_id, a.canonical_url FROM outbox o JOIN articles a ON a.id = o.article_id"
            " WHERE o.status = 'sent'"):
        expected[(chat, url)] += 1
    statuses = dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    got = delivered(api.state.sent)
    api.state.sent.clear()
    db.close()
    failed = [out[1][-500:] for p, out in zip(procs, outputs) if p.returncode]
    if failed:
        print("ingest failed:", *failed, sep="\n", file=sys.stderr)
    return {
        "workers": workers,
        "articles_stored": stored,
        "seconds": round(seconds, 1),
        "articles_per_s": round(stored / seconds, 2),
        "worker_cpu_ms_per_article": round(worker_cpu / max(stored, 1) * 1000, 1),
        # Every backend's: the workers', the bot's and the asking connection's.
        "server_cpu_ms_per_article": round(server_used / max(stored, 1) * 1000, 1),
        "load_average_1min": round(load, 2),
        "other_processes_cores": round(max(others, 0.0) / seconds, 2),
        "ask_during_ingest_ms_median": round(statistics.median(latencies), 2) if latencies else 0,
        "ask_during_ingest_ms_p95": round(percentile(latencies, 0.95), 2),
        "asks": len(latencies),
        "outbox_rows": rows,
        "outbox": statuses,
        "alerts_delivered": sum(1 for pair in got if pair in expected),
        "alert_duplicates": sum(n - 1 for n in got.values()),
        "alert_losses": len(set(expected) - set(got)),
        "ingest_failures": sum(1 for p in procs if p.returncode),
    }


def part_one(args: argparse.Namespace, targets: dict[str, callable], tmp: Path,
             server_cpu: Callable[[], float]) -> dict:
    site, feeds = start_site(tmp, args.articles, args.per_feed)
    results: dict[str, dict] = {}
    try:
        with BotAPIServer() as api:
            for engine in args.engines:
                # Repeats run 1, 2, 1, 2 ... workers back to back, so that one noisy spell
                # of a shared machine shows as one run off the others.
                for run in range(args.repeat):
                    for workers in args.workers:
                        target = targets[engine](f"ingest{workers}")
                        print(f"{engine}: {workers} worker(s), {args.articles} articles ...",
                              file=sys.stderr, flush=True)
                        cpu = server_cpu if engine == "postgresql" else (lambda: 0.0)
                        figures = ingest_run(target, feeds, workers, api, cpu, site.pid)
                        print(f"  {json.dumps(figures, ensure_ascii=False)}", file=sys.stderr)
                        results[f"{engine}_{workers}w" + (f"_run{run + 1}" if run else "")] = figures
    finally:
        site.terminate()
    for engine in args.engines:
        speedups = []
        for run in range(args.repeat):
            suffix = f"_run{run + 1}" if run else ""
            one, two = results.get(f"{engine}_1w{suffix}"), results.get(f"{engine}_2w{suffix}")
            if one and two:
                speedups.append(round(two["articles_per_s"] / one["articles_per_s"], 2))
        if speedups:
            results[f"{engine}_speedup_2w"] = (speedups[0] if len(speedups) == 1
                                               else statistics.median(speedups))
        if len(speedups) > 1:
            results[f"{engine}_speedups_2w"] = speedups
    return results


def postgres_cpu(server: PostgresServer) -> Callable[[], float]:
    """CPU seconds the PostgreSQL server's processes have used so far: the postmaster's,
    its ended backends' (reaped by it) and its live processes'."""
    import psutil

    root = psutil.Process(int((server.data / "postmaster.pid").read_text().split()[0]))

    def used() -> float:
        t = root.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        for child in root.children(recursive=True):
            try:
                c = child.cpu_times()
            except psutil.Error:  # a backend that ended meanwhile is in children_* now
                continue
            total += c.user + c.system
        return total

    return used


def generated_articles(count: int, pool_size: int, seed: int = 5):
    """`count` articles recombined from the sentences of `pool_size` analysed distractors."""
    from bench.distractors import distractors
    from ingest.pipeline import _prepare_or_error
    from store.articles import PreparedArticle

    pool = [p for p in map(_prepare_or_error, distractors(pool_size, seed=seed))
            if isinstance(p, PreparedArticle) and p.sentences]
    sentences = [s for p in pool for s in p.sentences]
    rng = random.Random(seed)
    for n in range(count):
        base = pool[n % len(pool)]
        picked = rng.sample(sentences, rng.randint(5, 10))
        body = "\n".join(s.text for s in picked)
        yield PreparedArticle(
            article_key=f"id:gen-{n}", source_id=f"gen-{n}", url=f"https://gen.example.com/{n}",
            canonical_url=f"https://gen.example.com/{n}", title=base.title, publisher=base.publisher,
            published_at=base.published_at, body=body, content_hash=f"gen-{n}",
            title_morphs=base.title_morphs,
            sentences=[type(s)(i, i, s.text, s.morphs) for i, s in enumerate(picked)],
        )


def ask_all(target: str, questions: list[dict]) -> tuple[list[float], list[str]]:
    db = open_db(target)
    services = Services(db)
    answer_question(services, "준비 질문이에요?")
    latencies, replies = [], []
    for q in questions:
        t = time.perf_counter()
        reply = answer_question(services, q["question"])
        latencies.append((time.perf_counter() - t) * 1000)
        replies.append(reply.visible)
    db.close()
    return latencies, replies


def part_two(args: argparse.Namespace, targets: dict[str, callable]) -> dict:
    from ingest.corpus import read_corpus
    from ingest.pipeline import ingest_items
    from store.articles import write_article
    from store.copy import copy_store

    lite = targets["sqlite"]("big")
    db = open_db(lite)
    t0 = time.perf_counter()
    report = ingest_items(db, read_corpus(SHARED / "korquad_dev_corpus.jsonl"), workers=2)
    stored = report.new + report.duplicate
    for prepared in generated_articles(max(0, args.big - stored), args.pool):
        write_article(db, prepared)
    build = time.perf_counter() - t0
    documents = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    figures: dict = {"documents": documents, "sqlite_build_s": round(build, 1)}
    questions = [json.loads(line) for line in
                 (SHARED / "korquad_dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()][: args.questions]
    lat, lite_replies = ask_all(lite, questions)
    figures.update(sqlite_ask_ms_median=round(statistics.median(lat), 2),
                   sqlite_ask_ms_p95=round(percentile(lat, 0.95), 2))
    if "postgresql" in args.engines:
        pg = targets["postgresql"]("big")
        t0 = time.perf_counter()
        source, target = open_db(lite), open_db(pg)
        counts = copy_store(source, target)
        source.close()
        target.close()
        figures["postgresql_copy_s"] = round(time.perf_counter() - t0, 1)
        figures["copy_counts_equal"] = all(c.ok for c in counts)
        lat, pg_replies = ask_all(pg, questions)
        figures.update(postgresql_ask_ms_median=round(statistics.median(lat), 2),
                       postgresql_ask_ms_p95=round(percentile(lat, 0.95), 2),
                       replies_compared=len(questions),
                       replies_different=sum(a != b for a, b in zip(lite_replies, pg_replies)))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="part 1: articles served")
    parser.add_argument("--per-feed", type=int, default=100)
    parser.add_argument("--workers", default="1,2", help="part 1: worker counts to run")
    parser.add_argument("--engines", default="postgresql,sqlite")
    parser.add_argument("--big", type=int, default=100_000, help="part 2: documents (0: skip)")
    parser.add_argument("--pool", type=int, default=3000, help="part 2: analysed distractors")
    parser.add_argument("--questions", type=int, default=500, help="part 2: questions asked")
    parser.add_argument("--skip-ingest", action="store_true", help="part 2 only")
    parser.add_argument("--repeat", type=int, default=1,
                        help="part 1: run the worker counts this many times, back to back")
    args = parser.parse_args()
    args.engines = [e for e in args.engines.split(",") if e]
    args.workers = [int(w) for w in args.workers.split(",") if w]

    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if "postgresql" in args.engines:
            bindir = find_bindir()
            if bindir is None:
                print("no PostgreSQL binaries: install Debian's postgresql package",
                      file=sys.stderr)
                return 2
            server = PostgresServer(bindir, durable=True)
            server.start()
        made = Counter()

        def sqlite_target(name: str) -> str:
            made[name] += 1
            return str(Path(tmp) / f"{name}{made[name]}.db")

        def postgres_target(name: str) -> str:
            made["pg" + name] += 1
            assert server is not None
            return server.create_database(f"{name}{made['pg' + name]}")

        targets = {"sqlite": sqlite_target, "postgresql": postgres_target}
        figures: dict = {}
        try:
            if not args.skip_ingest:
                cpu = postgres_cpu(server) if server is not None else (lambda: 0.0)
                figures["ingest"] = part_one(args, targets, Path(tmp), cpu)
            if args.big:
                figures["ask_at_scale"] = part_two(args, targets)
        finally:
            if server is not None:
                server.stop()
    for section, values in figures.items():
        print(f"{section}: {json.dumps(values, ensure_ascii=False)}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
