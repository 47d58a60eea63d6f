"""The ``tandau seats`` command line contract (issue 3, §7)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app

runner = CliRunner()
KZ_2021 = ("party,votes,registration_order\nAdal,258618,5\nNur Otan,5148074,1\nAk Zhol,792828,2\n"
           "People,659019,3\nAuyl,383023,4\n")


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_seats_cli_allocate_json_maps_every_party(tmp_path: Path) -> None:
    votes = _write(tmp_path, "v.csv", KZ_2021)
    out = runner.invoke(app, ["seats", "allocate", votes, "--seats", "98", "--rules", "kz-majilis-2021"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["seats"] == {"Nur Otan": 76, "Ak Zhol": 12, "People": 10, "Auyl": 0, "Adal": 0}
    assert data["trace"]["kind"] == "largest-remainder"


def test_seats_cli_method_threshold_and_other_valid_votes(tmp_path: Path) -> None:
    votes = _write(tmp_path, "v.csv", "party,votes\nA,600\nB,330\nC,70\n")
    base = ["seats", "allocate", votes, "--seats", "10", "--method", "dhondt"]
    assert json.loads(runner.invoke(app, [*base, "--threshold", "7%"]).stdout)["seats"]["C"] == 0
    # 70 of 1,000 = 7% passes; with 100 'against all' in the base it does not
    assert json.loads(runner.invoke(app, [*base, "--threshold", "0.07"]).stdout)["threshold"]["admitted"] == [
        "A", "B", "C"]
    res = runner.invoke(app, [*base, "--threshold", "0.07", "--other-valid-votes", "100"])
    assert json.loads(res.stdout)["threshold"]["admitted"] == ["A", "B"]
    table = runner.invoke(app, [*base, "--format", "table"])
    assert table.exit_code == 0
    assert "dhondt" in table.stdout


def test_seats_cli_bad_input_names_file_row_column(tmp_path: Path) -> None:
    votes = _write(tmp_path, "bad.csv", "party,votes\nA,10\nB,ten\n")
    out = runner.invoke(app, ["seats", "allocate", votes, "--seats", "3", "--method", "hare"])
    assert out.exit_code == 2
    assert "bad.csv, row 3, column 'votes'" in out.output
    assert "Traceback" not in out.output
    out = runner.invoke(app, ["seats", "allocate", votes, "--seats", "3", "--method", "nope"])
    assert out.exit_code == 2


def test_seats_cli_batch_one_result_per_line_in_order(tmp_path: Path) -> None:
    cases = [
        {"votes": {"A": 100, "B": 80, "C": 30}, "seats": 5, "method": "dhondt"},
        {"votes": {"A": 100, "B": 80, "C": 30}, "seats": 5, "method": "hare", "threshold": 0.2},
        {"votes": {"A": 900, "B": 52, "C": 48}, "seats": 10, "rules": "kz-majilis-2023", "other_valid_votes": 100},
        {"votes": {"A": 10, "B": 10}, "seats": 3, "method": "hare", "threshold": 0.6},
    ]
    path = _write(tmp_path, "c.jsonl", "".join(json.dumps(c) + "\n" for c in cases))
    out = runner.invoke(app, ["seats", "allocate", "--batch", path])
    assert out.exit_code == 0, out.output
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x.get("seats") for x in lines[:3]] == [
        {"A": 3, "B": 2, "C": 0}, {"A": 3, "B": 2, "C": 0}, {"A": 9, "B": 1, "C": 0}]
    assert "no list" in lines[3]["error"]


def test_seats_cli_batch_bad_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.jsonl", '{"votes": {"A": 1}, "seats": 1, "method": "dhondt"}\n{"votes": 3}\n')
    out = runner.invoke(app, ["seats", "allocate", "--batch", path])
    assert out.exit_code == 2
    assert "c.jsonl, row 2, column 'votes'" in out.output


def test_seats_cli_mandates_and_simulate(tmp_path: Path) -> None:
    lst = _write(tmp_path, "l.csv", "id,name,sex,birth_date\n1,a,M,1970-01-01\n2,b,M,1970-01-01\n3,c,M,1971-01-01\n"
                 "4,d,M,1972-01-01\n5,e,F,1980-01-01\n")
    out = runner.invoke(app, ["seats", "mandates", lst, "--seats", "3", "--rule", "kz-law-2022",
                              "--election-day", "2023-03-19"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["elected"] == ["1", "2", "5"]
    shares = _write(tmp_path, "s.csv", "party,share\nA,60%\nB,30%\nC,10%\n")
    out = runner.invoke(app, ["seats", "simulate", shares, "--seats", "10", "--draws", "500", "--list", f"A={lst}"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert abs(sum(data["seats_mean"].values()) - 10) < 1e-9
    assert data["position_probability"]["A"][0] == 1.0
    assert runner.invoke(app, ["seats", "simulate", shares, "--seats", "10", "--draws", "200",
                               "--format", "table"]).exit_code == 0
