"""Data flows one way and the layout shows it:

    sources -> ingest/ -> analysis/ -> store/ <- answer/ <- handlers/ <- bot/ -> Telegram

store/ imports none of the others; analysis/ only store/ (its types); ingest/ and answer/
never reach up into handlers/ or bot/; only handlers/telegram_edge.py and bot/ touch
Telegram; and no module imports itself round a circle, not even from inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "answer", "analysis", "ingest", "store")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module `path` imports, at the top or inside a function: a project module by its
    full name (`from store import dedup` is store.dedup), anything else by its top package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name if alias.name in modules else alias.name.split(".")[0]
                         for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module not in modules:
                found.add(node.module.split(".")[0])
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return found


MODULES = project_modules()
GRAPH = {name: imports_of(path, MODULES) for name, path in MODULES.items()}


def packages_imported(prefix: str) -> dict[str, set[str]]:
    return {name: {m.split(".")[0] for m in deps} for name, deps in GRAPH.items()
            if name.split(".")[0] == prefix}


def test_store_imports_none_of_the_others() -> None:
    for name, deps in packages_imported("store").items():
        assert not deps & {"analysis", "answer", "ingest", "handlers", "bot", "telegram"}, name


def test_analysis_imports_only_store() -> None:
    for name, deps in packages_imported("analysis").items():
        assert not deps & {"answer", "ingest", "handlers", "bot", "telegram"}, name


def test_ingest_and_answer_stay_below_handlers_and_bot() -> None:
    for prefix in ("ingest", "answer"):
        for name, deps in packages_imported(prefix).items():
            assert not deps & {"handlers", "bot", "telegram"}, name
    for name, deps in packages_imported("answer").items():
        assert "ingest" not in deps, name  # answering reads the store, not the sources


def test_only_the_edge_handler_and_bot_import_telegram() -> None:
    for name, deps in GRAPH.items():
        if "telegram" in deps:
            assert name == "handlers.telegram_edge" or name.startswith("bot."), name
    for name, deps in packages_imported("handlers").items():
        assert "bot" not in deps, name


def test_no_import_circle() -> None:
    # Depth-first search over project modules; a module met again on the current path
    # closes a circle.
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for dep in sorted(GRAPH[name] & MODULES.keys()):
            if state.get(dep) == 1:
                circle = path[path.index(dep):] + [dep]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if dep not in state:
                visit(dep)
        path.pop()
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name)


def test_the_checker_sees_a_circle(tmp_path: Path) -> None:
    # The circle test must be able to fail: two modules that import each other.
    (tmp_path / "a.py").write_text("def f():\n    from b import g\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from a import f\n", encoding="utf-8")
    modules = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    assert imports_of(modules["a"], modules) == {"b"}
    assert imports_of(modules["b"], modules) == {"a"}
