"""`newsmate chat` as a real process with piped input, as scripts use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_chat(db: Path, stdin: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSMATE_DB": str(db), "TELEGRAM_BOT_TOKEN": "", **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )


def test_piped_lines_are_answered_in_order(demo_db_path: Path) -> None:
    result = run_chat(demo_db_path, "/latest\n\n/search 코GPT\n/ask 화성 이주 계획은?\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("최신 기사") < out.index("검색 결과") < out.index("찾지 못했어요")
    # Links are written out in the terminal, not hidden behind labels.
    assert "https://" in out and "<a href" not in out
    assert ">" not in out.splitlines()[0]  # no prompt when stdin is not a terminal


def test_first_run_loads_the_demo_corpus(tmp_path: Path) -> None:
    db = tmp_path / "new" / "store.db"
    result = run_chat(db, "/search 카나나\n")
    assert result.returncode == 0, result.stderr
    assert "카나나" in result.stdout and "https://" in result.stdout
    assert db.exists()


def test_no_command_means_chat_without_a_token(demo_db_path: Path) -> None:
    env = {**os.environ, "NEWSMATE_DB": str(demo_db_path), "TELEGRAM_BOT_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli"], input="/help\n", capture_output=True, text=True,
        env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "/ask" in result.stdout and "/search" in result.stdout
