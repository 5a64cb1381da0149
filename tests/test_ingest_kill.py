"""An ingest killed with SIGKILL at any moment, then run again, ends with every article once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ingest.demo import demo_corpus_path

ARTICLES = 80


def write_corpus(path: Path) -> None:
    """Demo articles, each made distinct by its id, title and a numbered closing line."""
    demo = [json.loads(line) for line in demo_corpus_path().read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(ARTICLES):
            base = demo[n % len(demo)]
            record = {**base, "id": f"kill-{n}", "title": f"{base['title']} ({n}호)",
                      "url": f"https://kill.example.com/{n}",
                      "body": base["body"] + f"\n\n이 기사는 시험용 {n}번째 사본이다."}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def start_ingest(db: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "NEWSMATE_DB": str(db)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(corpus)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        conn.close()


def kill_after(db: Path, corpus: Path, at_least: int) -> None:
    process = start_ingest(db, corpus)
    deadline = time.monotonic() + 120
    while count(db, "SELECT count(*) FROM articles") < at_least:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_killed_ingest_resumes_without_loss_or_half_rows(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "store.db"
    write_corpus(corpus)
    kill_after(db, corpus, 10)
    kill_after(db, corpus, 35)  # the second run skips what is there and dies again later on
    final = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(corpus)],
                           env={**os.environ, "NEWSMATE_DB": str(db)}, capture_output=True,
                           text=True, timeout=300)
    assert final.returncode == 0, final.stderr

    assert count(db, "SELECT count(*) FROM articles") == ARTICLES
    assert count(db, "SELECT count(DISTINCT source_id) FROM articles") == ARTICLES
    # No article without its sentences, no sentence without its article or index row.
    assert count(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS"
                     " (SELECT 1 FROM sentences s WHERE s.article_id = a.id)") == 0
    assert count(db, "SELECT count(*) FROM sentences s WHERE NOT EXISTS"
                     " (SELECT 1 FROM articles a WHERE a.id = s.article_id)") == 0
    assert count(db, "SELECT count(*) FROM articles_fts") == ARTICLES
    # No article without its story, and every story counts its articles.
    assert count(db, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
    assert count(db, "SELECT sum(articles) FROM stories") == ARTICLES
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_workers_do_not_outlive_a_killed_ingest(tmp_path: Path) -> None:
    import psutil

    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "store.db"
    write_corpus(corpus)
    process = start_ingest(db, corpus)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    while len(parent.children()) < 2:  # the pool (and its resource tracker) started
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    children = parent.children(recursive=True)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not [p for p in alive if "spawn_main" in " ".join(p.cmdline())]
