"""`tandau demo`: options, the printed accounts, and no server with --no-serve (the preparation is stubbed here;
the real pipeline runs in the package fixture of these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services import demo


def test_workspace_cli_demo_help_keeps_subcommands() -> None:
    out = CliRunner().invoke(app, ["demo", "--help"]).output
    for word in ("--no-serve", "--db", "--voters", "--system", "generate", "run"):
        assert word in out


def test_workspace_cli_demo_no_serve_prints_accounts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[str, object]] = []

    def fake(db: str, work: Path, **kw: object) -> demo.DemoReport:
        calls.append((db, kw["system"]))
        report = demo.DemoReport(str(db), work, system=str(kw["system"]), councils=2, list_contests=1,
                                 district_contests=3, published=4, members=5, candidates=3, voters=2, ballots=4,
                                 lists_formed=1,
                                 districts_unselectable={"kz-2023-M-1-D02": ("no member assigned to vote",)})
        report.accounts = [demo.DemoAccount("central", "central-demo-2023", "central", "central office")]
        return report

    def no_server(*_a: object, **_k: object) -> None:
        raise AssertionError("--no-serve must not serve")

    monkeypatch.setattr(demo, "prepare_demo", fake)
    monkeypatch.setattr("tandau.cli.serve.serve", no_server)
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.output
    assert calls == [(str(tmp_path / "d.db"), "kz-2023")]  # the law in force by default
    assert "central-demo-2023" in result.output and "4 ballots" in result.output
    assert "1 list contests and 3 district contests" in result.output
    assert "1 districts cannot select anyone" in result.output
    assert "kz-2023-M-1-D02: no member assigned to vote" in result.output
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(tmp_path / "e.db"), "--system", "kz-2021"])
    assert result.exit_code == 0, result.output
    assert calls[-1] == (str(tmp_path / "e.db"), "kz-2021") and "(kz-2021)" in result.output
