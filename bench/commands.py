"""Command latency on the demo corpus, cold start, and the store's size.

    python bench/commands.py

Cold start: a fresh `newsmate chat` process answering one /ask, first on an empty store (it
loads the demo corpus) and then on the filled one. Latency: each command run 100 times
through the same function the bot and the terminal chat call (run_command), after loading;
/ask over 100 questions made from the demo corpus's titles. Last line: JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import open_services  # noqa: E402
from handlers.commands import run_command  # noqa: E402
from handlers.services import ChatContext  # noqa: E402
from ingest.demo import demo_corpus_path  # noqa: E402

QUESTION = "/ask 독자 AI 파운데이션 모델 프로젝트 예산은?\n"


def cold_start(db: Path) -> float:
    env = {**os.environ, "NEWSMATE_DB": str(db), "TELEGRAM_BOT_TOKEN": "", "NEWSMATE_LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat"], input=QUESTION, env=env,
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert "2100억원" in result.stdout, result.stdout
    return time.perf_counter() - started


def median_ms(fn, runs: list[str]) -> tuple[float, float]:
    times = []
    for args in runs:
        started = time.perf_counter()
        fn(args)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        first = cold_start(db)
        warm = cold_start(db)
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("demo.db*")) / 2**20
        services = open_services(str(db))
        chat = ChatContext(chat_id=1, user_id=1)
        titles = [json.loads(line)["title"] for line in demo_corpus_path().read_text("utf-8").splitlines()]
        questions = [f"{t.split(',')[0].split('…')[0]}은 무엇인가요?" for t in titles]
        questions = (questions * 3)[:100]
        figures = {"cold_start_empty_store_s": round(first, 2), "cold_start_filled_store_s": round(warm, 2),
                   "store_mb": round(size_mb, 2)}
        for name, runs in (
            ("ask", questions), ("search", [t.split()[0] for t in titles] * 3),
            ("latest", [""] * 100), ("who", ["정신아", "김민준", "배경훈", "최수연"] * 25),
            ("quote", ["정신아", "카카오", "김민준", "업스테이지"] * 25),
            ("summary", ["1", "2", "3", "코GPT", "카나나"] * 20), ("help", [""] * 100),
        ):
            median, p95 = median_ms(lambda a, n=name: run_command(services, n, a, chat), runs[:100])
            figures[f"{name}_ms_median"] = round(median, 2)
            figures[f"{name}_ms_p95"] = round(p95, 2)
    for key, value in figures.items():
        print(f"{key:>28}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
