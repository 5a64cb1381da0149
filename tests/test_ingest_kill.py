"""An ingest killed with SIGKILL at any moment, then run again, ends with every article once;
on SQLite and on PostgreSQL, where two workers may also ingest the same files at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.demo import demo_corpus_path
from store.engine import connect

ARTICLES = 80
TWO_WORKERS = 40  # articles for the two workers at once


def write_corpus(path: Path, articles: int = ARTICLES) -> None:
    """Demo articles, each made distinct by its id, title and a numbered closing line."""
    demo = [json.loads(line) for line in demo_corpus_path().read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            base = demo[n % len(demo)]
            record = {**base, "id": f"kill-{n}", "title": f"{base['title']} ({n}호)",
                      "url": f"https://kill.example.com/{n}",
                      "body": base["body"] + f"\n\n이 기사는 시험용 {n}번째 사본이다."}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def start_ingest(db: str, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "NEWSMATE_DB": str(db)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(corpus)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count(db: str, sql: str) -> int:
    conn = connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    except Exception:  # the schema is not there yet
        return 0
    finally:
        conn.close()


def kill_after(db: str, corpus: Path, at_least: int) -> None:
    process = start_ingest(db, corpus)
    deadline = time.monotonic() + 300  # generous: a busy shared machine is slow, not stuck
    while count(db, "SELECT count(*) FROM articles") < at_least:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.both_engines
def test_killed_ingest_resumes_without_loss_or_half_rows(tmp_path: Path, new_store) -> None:
    corpus, db = tmp_path / "corpus.jsonl", new_store("store")
    write_corpus(corpus)
    kill_after(db, corpus, 10)
    kill_after(db, corpus, 35)  # the second run skips what is there and dies again later on
    final = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(corpus)],
                           env={**os.environ, "NEWSMATE_DB": str(db)}, capture_output=True,
                           text=True, timeout=300)
    assert final.returncode == 0, final.stderr

    assert count(db, "SELECT count(DISTINCT source_id) FROM articles") == ARTICLES
    assert count(db, "SELECT count(*) FROM sentences s WHERE NOT EXISTS"
                     " (SELECT 1 FROM articles a WHERE a.id = s.article_id)") == 0
    assert_every_article_whole(db, ARTICLES)


def assert_every_article_whole(db: str, articles: int) -> None:
    """`articles` articles, each with its sentences, its index row and its story, every
    story counting its articles, and the search index holding exactly what the tables do."""
    assert count(db, "SELECT count(*) FROM articles") == articles
    assert count(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS"
                     " (SELECT 1 FROM sentences s WHERE s.article_id = a.id)") == 0
    assert count(db, "SELECT count(*) FROM articles_fts") == articles
    assert count(db, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
    assert count(db, "SELECT sum(articles) FROM stories") == articles
    assert_index_intact(db)


def assert_index_intact(db: str) -> None:
    """The search index holds what the tables hold, nothing more or less."""
    conn = connect(db)
    try:
        if conn.is_postgres:
            # What the triggers keep beside the tsvectors: BM25's statistics.
            totals = conn.execute(
                "SELECT articles, article_tokens, sentences FROM fts_totals").fetchone()
            assert totals == conn.execute(
                "SELECT count(*), coalesce(sum(size), 0), (SELECT count(*) FROM sentences)"
                " FROM articles_fts").fetchone()
            assert conn.execute("SELECT count(DISTINCT rowid) FROM article_terms").fetchone()[
                0] == totals[0]
        else:
            conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.both_engines
def test_two_workers_on_the_same_files_store_each_article_once(
        tmp_path: Path, new_store, store_engine: str) -> None:
    """Two `newsmate ingest` processes given the same corpus at the same moment (one killed
    half-way and started again): every article once, with its sentences and index rows."""
    corpus, db = tmp_path / "corpus.jsonl", new_store("store")
    write_corpus(corpus, TWO_WORKERS)
    first, second = start_ingest(db, corpus), start_ingest(db, corpus)
    deadline = time.monotonic() + 120
    while count(db, "SELECT count(*) FROM articles") < 10:
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read().decode()
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    again = start_ingest(db, corpus)
    for process in (second, again):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    assert count(db, "SELECT count(DISTINCT article_key) FROM articles") == TWO_WORKERS
    assert count(db, "SELECT count(*) FROM (SELECT article_id, position FROM sentences"
                     " GROUP BY article_id, position HAVING count(*) > 1) d") == 0
    assert_every_article_whole(db, TWO_WORKERS)


def test_workers_do_not_outlive_a_killed_ingest(tmp_path: Path, new_store) -> None:
    import psutil

    corpus, db = tmp_path / "corpus.jsonl", new_store("store")
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
