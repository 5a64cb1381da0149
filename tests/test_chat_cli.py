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


def test_a_line_pointing_back_is_about_the_last_list(demo_db_path: Path) -> None:
    """A terminal has no reply button: '2번 자세히' and '관련 기사 1' after a list are about
    that list, as replies to it are in Telegram; with no list before, the bot says so."""
    result = run_chat(demo_db_path, "2번 자세히\n/search 카나나\n2번 자세히\n관련 기사 1\n")
    assert result.returncode == 0, result.stderr
    first, listed, told, story = result.stdout.strip().split("\n\n")
    assert first == "어느 목록의 2번인지 모르겠어요. /latest 나 /search 로 목록을 먼저 받은 뒤 물어봐 주세요."
    second = listed.split("\n")[3]  # the heading, item 1 and its meta line, then item 2
    assert second.startswith("2. ")
    title = second[3:].rsplit(" https://", 1)[0]
    assert told.startswith(f"📝 {title}\n"), told
    assert story.startswith(f"🧵 {title}\n"), story  # item 1 of the last reply: the told one


def test_a_question_that_names_nothing_is_about_the_last_answer(demo_db_path: Path) -> None:
    """'왜 미뤘대?' after an answer asks why that was put off, not why anything the store
    holds was; asked first, it is a question of its own."""
    asked = "독자 AI 파운데이션 모델 1차 평가 결과 언제 나와?\n왜 미뤘대?\n"
    answer, why = run_chat(demo_db_path, asked).stdout.strip().split("\n\n")
    source = answer.rsplit("원문 ", 1)[1]
    assert why.rsplit("원문 ", 1)[1] == source, why
    alone = run_chat(demo_db_path, "왜 미뤘대?\n").stdout.strip()
    assert alone.rsplit("원문 ", 1)[-1] != source
