"""docs/cli.md is generated from --help; on a mismatch the fresh text is written to docs/cli.md.new."""

from __future__ import annotations

from pathlib import Path

from tandau.cli.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    fresh = render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if fresh != current:
        DOC.with_suffix(".md.new").write_text(fresh, encoding="utf-8")
    assert fresh == current, "docs/cli.md is stale: run `python -m tandau.cli.docs > docs/cli.md`"
