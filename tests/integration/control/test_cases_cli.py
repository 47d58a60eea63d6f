"""``tandau cases``: open, list, show, step and attach against a migrated database, acting as central office."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.primaries import audit
from tandau.store import make_engine, session_factory
from tandau.store.migrate import upgrade


def test_cases_cli(tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["cases", *args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        return result.output

    case_id = run("open", "Overpriced asphalt", "--kato", "750000000", "--source", "flag", "--flag-kind",
                  "procurement", "--flag-code", "R018", "--flag-ref", "ocds-abc-001", "--actor", "alma").strip()
    assert case_id.startswith("case-")
    listed = json.loads(run("list", "--json"))
    assert [(c["id"], c["status"], c["flag"]["code"]) for c in listed] == [(case_id, "open", "R018")]
    refused = runner.invoke(app, ["cases", "step", case_id, "close", "--db", str(db)])
    assert refused.exit_code == 2 and "cannot close" in refused.output
    run("step", case_id, "send_inquiry", "--note", "asked the akimat", "--due", "2099-05-01")
    evidence = tmp_path / "answer.csv"
    evidence.write_text("lot,price\n1,100\n", encoding="utf-8")
    attached = run("attach", case_id, str(evidence))
    assert hashlib.sha256(evidence.read_bytes()).hexdigest() in attached and "text/csv" in attached
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    refused = runner.invoke(app, ["cases", "attach", case_id, str(bad), "--db", str(db)])
    assert refused.exit_code == 2 and "is not a PDF file" in refused.output
    run("step", case_id, "record_answer")
    run("step", case_id, "resolve", "--outcome", "confirmed", "--note", "price 3x the market")
    shown = json.loads(run("show", case_id, "--json"))
    assert shown["status"] == "resolved" and shown["outcome"] == "confirmed" and shown["next_steps"] == ["close"]
    assert [s["step"] for s in shown["steps"]] == ["open", "send_inquiry", "record_answer", "resolve"]
    assert [f["name"] for f in shown["files"]] == ["answer.csv"]
    assert "next: close" in run("show", case_id)
    assert "no case" in run("list", "--overdue")
    with session_factory(engine)() as s:
        entries = audit.entries(s)
        assert {e.actor for e in entries} == {"cli:alma", "cli:cli"}
        assert audit.verify(s).ok
    engine.dispose()
