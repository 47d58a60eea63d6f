"""Generates docs/cli.md from the commands' own --help, so the reference never drifts."""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from tandau.cli.main import app

WIDTH = 100


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    out = [path]
    for name in sorted(getattr(command, "commands", {}) or {}):
        out.extend(_walk(command.commands[name], [*path, name]))
    return out


def render() -> str:
    """The whole CLI reference as Markdown."""
    runner = CliRunner()
    root = typer.main.get_command(app)
    parts = ["# Command-line reference", "",
             "Generated from `--help` by `python -m tandau.cli.docs > docs/cli.md`; a test keeps it current.", ""]
    for path in _walk(root, []):
        result = runner.invoke(app, [*path, "--help"], terminal_width=WIDTH, prog_name="tandau")
        title = " ".join(["tandau", *path])
        parts += [f"## `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render())
