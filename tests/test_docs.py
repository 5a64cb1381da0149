"""README and .env.example stay true to the code: every setting and command documented."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import SETTINGS
from handlers.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def test_every_setting_is_in_env_example_and_readme() -> None:
    for setting in SETTINGS:
        assert re.search(rf"^{setting.name}=", ENV_EXAMPLE, re.M), setting.name
        assert re.search(rf"^\| `{setting.name}` \|", README, re.M), f"{setting.name} not in the table"


def test_env_example_has_nothing_undeclared() -> None:
    declared = {s.name for s in SETTINGS}
    listed = set(re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE, re.M))
    assert listed == declared


def test_every_command_is_in_readme() -> None:
    for command in COMMANDS:
        assert f"`/{command.name}" in README, command.name


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
    assert command in README and command in ci
