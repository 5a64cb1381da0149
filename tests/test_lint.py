"""Undefined names, unused imports, syntax errors and unsorted imports fail the suite (the
ruff rules pyproject.toml selects)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_lint_errors() -> None:
    # The ruff installed with the test extras, not whichever one is first on PATH.
    beside = Path(sys.executable).parent / "ruff"
    ruff = str(beside) if beside.exists() else shutil.which("ruff") or "ruff"
    result = subprocess.run(
        [ruff, "check", "bot", "handlers", "answer", "analysis", "store", "ingest", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
