"""``tandau programmes create / submit / return / approve / publish / diff / export / to-control`` against a
migrated database (SQLite, Alembic head), acting as the central office."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.control.data import load_targets
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor
from tandau.services.programmes import workflow
from tandau.store import make_engine, session_factory
from tandau.store.migrate import upgrade

from .conftest import VECTORS


def test_programmes_cli(tmp_path: Path) -> None:
    db = tmp_path / "programmes.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, ["programmes", *args, "--db", str(db)])
        assert result.exit_code == code, result.output
        return result.output

    out = run("create", "--council", "M-59", "--cycle", "2023", "--from", str(VECTORS / "clean.csv"), "--actor",
              "aru")
    assert out.startswith("M-59-2023  draft  version 1: 5 commitment(s), 0 error(s), 0 notice(s)")
    assert "already has a programme" in run("create", "--council", "M-59", "--cycle", "2023", code=2)
    assert "unknown council" in run("create", "--council", "M-00", "--cycle", "2023", code=2)
    assert "youth-2023  draft  version 1: 0 commitment(s)" in run("create", "--wing", "youth", "--cycle", "2023")
    listed = json.loads(run("list", "--json"))
    assert [(p["id"], p["territory"], p["status"]) for p in listed] == [("youth-2023", "KZ", "draft"),
                                                                          ("M-59-2023", "590000000", "draft")]
    assert "M-59-2023  590000000  draft" in run("list", "--territory", "590000000")
    assert "no programme" in run("list", "--status", "published")
    assert "cannot approve" in run("approve", "M-59-2023", code=2)
    run("submit", "M-59-2023")
    assert "returned" in run("return", "M-59-2023", "--reason", "D-3: the budget is too small")
    assert "reason" in runner.invoke(app, ["programmes", "return", "M-59-2023", "--db", str(db)]).output
    with session_factory(engine)() as s:  # a new version through the service, as the editor would save it
        records = list(workflow.detail(s, Actor.central(), "M-59-2023").records)
        records[4] = dict(records[4], budget_kzt="450000000")
        workflow.save(s, Actor.central(), "M-59-2023", records[1:], note="R-1 moved to the roads plan")
    shown = json.loads(run("show", "M-59-2023", "--json", "--lang", "ru"))
    assert (shown["status"], shown["version"], shown["next_steps"]) == ("returned", 2, ["submit"])
    assert [s["step"] for s in shown["steps"]] == ["create", "submit", "return"]
    assert "return -> returned: D-3: the budget is too small" in run("show", "M-59-2023")
    diff = run("diff", "M-59-2023", "1", "2")
    assert "- R-1  Ремонт областных дорог" in diff and "~ D-3" in diff and "budget_kzt: 300000000 -> 450000000" in diff
    as_json = json.loads(run("diff", "M-59-2023", "1", "2", "--json"))
    assert [r["commitment"] for r in as_json["removed"]] == ["R-1"] and as_json["unchanged"] == 3
    run("submit", "M-59-2023")
    run("approve", "M-59-2023")
    assert "published" in run("publish", "M-59-2023")
    assert "M-5910/roads_repaired/590000000: target 80 км by 2027-12-31 (added)" in run("to-control", "M-59-2023",
                                                                                      "D-1")
    assert "already stored" in run("to-control", "M-59-2023", "D-1")
    out_file = tmp_path / "open" / "programmes.json"
    assert "the folder does not exist" in run("export", "--cycle", "2023", "--out", str(out_file), code=2)
    out_file.parent.mkdir()
    assert "1 published programme(s) of cycle 2023" in run("export", "--cycle", "2023", "--out", str(out_file))
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert [p["id"] for p in doc["programmes"]] == ["M-59-2023"] and doc["programmes"][0]["version"] == 2
    with session_factory(engine)() as s:
        assert ("M-5910", "roads_repaired", "590000000") in load_targets(s)
        assert {e.actor for e in audit.entries(s)} == {"cli:aru", "cli:cli", "central-office"}
        assert audit.verify(s).ok
    engine.dispose()
