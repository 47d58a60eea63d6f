"""The README's quickstart is exactly two commands, and both are real Makefile targets."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    assert block, "the quickstart must hold a code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_quickstart_is_make_demo_and_make_test() -> None:
    assert _quickstart_commands() == ["make demo", "make test"]


def test_make_targets_exist_and_ci_runs_make_test() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile lacks target {target}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_make_test_runs_lint_types_and_tests() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = "\n".join(makefile.split("\nlint:")[1:]) + makefile
    for tool in ("ruff check", "mypy", "pytest"):
        assert tool in recipe
