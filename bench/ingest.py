"""Ingest throughput: N articles served as RSS feeds and pages over loopback HTTP.

    python bench/ingest.py [--articles 10000] [--per-feed 100]

A server process on 127.0.0.1 serves RSS 2.0 feeds whose items link to article pages made
from the demo corpus (paragraphs of three demo articles recombined, numbers and names
varied, so every page is a distinct article at its own URL). The real `newsmate ingest`
command reads all feeds into a fresh store. Prints articles per second, peak memory (RSS)
of the ingest process and its children, and the store's size; the last line is JSON.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.demo import demo_corpus_path  # noqa: E402

NUMBER = re.compile(r"\d+")


def load_demo() -> list[dict]:
    return [json.loads(line) for line in demo_corpus_path().read_text(encoding="utf-8").splitlines()]


def make_article(demo: list[dict], n: int) -> dict:
    """Article n: paragraphs from three demo articles, numbers shifted, deterministic."""
    rng = random.Random(n)
    picks = rng.sample(demo, 3)
    paragraphs = [p for a in picks for p in a["body"].split("\n\n")]
    rng.shuffle(paragraphs)
    body = "\n\n".join(paragraphs[: rng.randint(4, 7)])
    body = NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), body)
    title = NUMBER.sub(lambda m: str(int(m.group()) + n % 97), picks[0]["title"]) + f" ({n})"
    day = 1 + n % 28
    return {"title": title, "body": body, "publisher": picks[0]["publisher"],
            "published": f"2025-{1 + n % 12:02d}-{day:02d}T{n % 24:02d}:{n % 60:02d}:00+09:00"}


def page_html(article: dict, url: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["body"].split("\n\n"))
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
        f"<title>{html.escape(article['title'])}</title>"
        f"<meta property='og:title' content='{html.escape(article['title'], quote=True)}'>"
        f"<meta property='og:site_name' content='{html.escape(article['publisher'], quote=True)}'>"
        f"<meta property='article:published_time' content='{article['published']}'>"
        f"<link rel='canonical' href='{url}'></head><body><header>메뉴 | 로그인</header>"
        f"<article><h1>{html.escape(article['title'])}</h1>{paragraphs}</article>"
        "<footer>무단 전재 및 재배포 금지</footer></body></html>"
    ).encode()


def feed_xml(base: str, feed: int, per_feed: int, total: int) -> bytes:
    items = []
    for n in range(feed * per_feed, min(total, (feed + 1) * per_feed)):
        items.append(f"<item><title>기사 {n}</title><link>{base}/a/{n}</link>"
                     f"<guid>{base}/a/{n}</guid></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>벤치 피드 {feed}</title><link>{base}</link>{''.join(items)}"
            "</channel></rss>").encode()


def serve(port_file: Path, total: int, per_feed: int, recent: bool = False) -> None:
    """The site; `recent`: every article published within the last ten hours (so it alerts)."""
    demo = load_demo()
    now = datetime.now(timezone(timedelta(hours=9)))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path.startswith("/feed/"):
                body = feed_xml(base, int(self.path[6:].split(".")[0]), per_feed, total)
                ctype = "application/rss+xml; charset=utf-8"
            elif self.path.startswith("/a/"):
                n = int(self.path[3:])
                article = make_article(demo, n)
                if recent:
                    article["published"] = (now - timedelta(minutes=n % 600)).isoformat(
                        timespec="seconds")
                body, ctype = page_html(article, base + self.path), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


def _watch_memory(process: subprocess.Popen) -> float:
    """Peak total RSS in MB of a process and its children (the analysis workers), sampled."""
    import psutil

    peak = 0.0
    try:
        root = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
            except psutil.Error:
                total = 0
            peak = max(peak, total / 2**20)
            time.sleep(0.5)
    except psutil.Error:
        pass
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-feed", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        server = Process(target=serve, args=(port_file, args.articles, args.per_feed), daemon=True)
        server.start()
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port_file.read_text()}"
        feeds = [f"{base}/feed/{k}.xml" for k in range(-(-args.articles // args.per_feed))]
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--db", str(db), "ingest", *feeds],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        peak_total = _watch_memory(process)
        stdout, stderr = process.communicate()
        result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server.terminate()
        peak_mb = after.ru_maxrss / 1024
        cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 2**20
        import sqlite3

        conn = sqlite3.connect(db)
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        duplicates = conn.execute("SELECT count(*) FROM articles WHERE dup_of IS NOT NULL").fetchone()[0]
        conn.close()
    summary_line = (result.stdout.strip().splitlines() or [""])[-1]
    print(f"ingest said: {summary_line}")
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
    figures = {
        "articles_served": args.articles,
        "articles_stored": stored,
        "near_duplicates_linked": duplicates,
        "seconds": round(seconds, 1),
        "articles_per_s": round(stored / seconds, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_all_processes_mb": round(peak_total, 1),
        "cpu_ms_per_article": round(cpu_s / max(stored, 1) * 1000, 1),
        "store_mb": round(size_mb, 1),
        "exit_status": result.returncode,
    }
    print(f"{stored} articles in {seconds:.1f}s = {figures['articles_per_s']}/s, "
          f"{figures['cpu_ms_per_article']} ms of CPU an article (all processes), "
          f"peak RSS {figures['peak_rss_mb']} MB in the largest process, "
          f"{figures['peak_rss_all_processes_mb']} MB in all, store {figures['store_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
