"""Data flows one way: store/ never imports ingest; store/ and ingest/ never import
telegram, handlers or bot; only
handlers/telegram_edge.py among the handlers touches Telegram types."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_store_and_ingest_stay_below_handlers_and_telegram() -> None:
    for package in ("store", "ingest"):
        for path in (ROOT / package).rglob("*.py"):
            assert not imported_packages(path) & {"telegram", "handlers", "bot"}, path


def test_store_never_reaches_back_into_ingest() -> None:
    # Imports inside functions count too: ast.walk sees every import statement.
    for path in (ROOT / "store").rglob("*.py"):
        assert "ingest" not in imported_packages(path), path


def test_only_the_edge_handler_imports_telegram() -> None:
    for path in (ROOT / "handlers").rglob("*.py"):
        if path.name != "telegram_edge.py":
            assert "telegram" not in imported_packages(path), path
        assert "bot" not in imported_packages(path), path
