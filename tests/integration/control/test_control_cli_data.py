"""``tandau control import | board | links`` against a migrated database: a bad file stores nothing (exit 2), the
board as JSON, links computed from rules and a user's correction that survives new rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.store import make_engine, session_factory
from tandau.store.control_models import ControlLink
from tandau.store.migrate import upgrade

from .conftest import CITY, REGION
from .test_control_data import TARGETS, _release, _reports, _write


def _classified(release: dict[str, object], cpv: str) -> dict[str, object]:
    tender = dict(release["tender"])  # type: ignore[call-overload]
    tender["items"] = [{"id": "1", "classification": {"scheme": "CPV", "id": cpv}}]
    return release | {"tender": tender}


def test_import_board_and_links(tmp_path: Path) -> None:
    db = tmp_path / "control.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, ["control", *args, "--db", str(db)])
        assert result.exit_code == code, result.output
        return result.output

    targets = _write(tmp_path, "T.csv", TARGETS)
    bad = _write(tmp_path, "R.csv", _reports([(CITY, "2021-12-31", "12x", "1")]))
    out = run("import", "--targets", str(targets), "--reports", str(bad), code=2)
    assert "R.csv, row 2, column 'actual'" in out
    assert json.loads(run("board", "--as-of", "2024-01-31"))["rows"] == []  # nothing was stored
    good = _write(tmp_path, "R.csv", _reports([(CITY, "2021-12-31", "120", "1000"),
                                               (REGION, "2021-12-31", "20", "3900")]))
    releases = tmp_path / "releases.jsonl"
    releases.write_text("\n".join(json.dumps(r) for r in (
        _classified(_release("ocds-1", CITY, 1), "45211000"), _classified(_release("ocds-2", REGION, 3), "30190000"),
    )) + "\n")
    rules = _write(tmp_path, "RULES.csv", "programme,indicator,region,buyer_id,classification\n"
                                          "housing,flats,,,4521\n")
    out = run("import", "--targets", str(targets), "--reports", str(good), "--releases", str(releases),
              "--link-rules", str(rules))
    assert "reports: R.csv: 2 row(s) read, 2 added" in out and "links: 1 linked, 1 unmatched" in out
    board = json.loads(run("board", "--as-of", "2022-01-31"))
    assert [r["region"] for r in board["rows"]] == ["KZ", REGION, CITY]
    page = json.loads(run("board", "--as-of", "2022-01-31", "--region", CITY))
    assert page["procurement"]["findings"][0]["processes"][0]["programme"] == "housing"
    links_file = tmp_path / "LINKS.csv"
    run("links", "--out", str(links_file))
    with links_file.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["ocid"], r["status"]) for r in rows} == {("ocds-1", "linked"), ("ocds-2", "unmatched")}
    for r in rows:  # the user links the office-supplies process by hand
        if r["ocid"] == "ocds-2":
            r.update(programme="housing", indicator="flats", status="manual")
    with links_file.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run("import", "--links", str(links_file))
    empty_rules = _write(tmp_path, "RULES2.csv", "programme,indicator,region,buyer_id,classification\n"
                                                 "clean-water,share,,,4523\n")
    run("import", "--link-rules", str(empty_rules))  # new rules: the manual row stays, the other is recomputed
    with session_factory(engine)() as s:
        stored = {link.ocid: (link.status, link.programme) for link in s.query(ControlLink)}
    assert stored == {"ocds-1": ("unmatched", ""), "ocds-2": ("manual", "housing")}
    engine.dispose()
