"""The `tandau lists` CLI contract: JSON shape, exit codes, refusals and bad input (docs/cli.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app

HEADER = "id,name,sex,birth_date,votes,tags,district\n"
ROWS = [
    ("a", "Arman", "M", "1970-01-01", 90, "", "x"),
    ("b", "Bolat", "M", "1971-01-01", 80, "", "x"),
    ("c", "Dana", "F", "1972-01-01", 70, "", "y"),
    ("d", "Erlan", "M", "1973-01-01", 60, "", "y"),
    ("e", "Farida", "F", "1999-05-05", 50, "media", "y"),
    ("f", "Galym", "M", "2000-02-02", 40, "disability", "z"),
    ("g", "Halima", "F", "1980-01-01", 30, "", "z"),
]


def _write(tmp: Path, rows=ROWS, header: str = HEADER, name: str = "cands.csv") -> Path:
    path = tmp / name
    path.write_text(header + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_build_json_contract(tmp_path: Path) -> None:
    path = _write(tmp_path)
    res = _run("lists", "build", str(path), "--rules", "nur-otan-2019,kz-law-2022", "--length", "4",
               "--election-date", "2025-03-19", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [e["position"] for e in data["list"]] == [1, 2, 3, 4]
    assert {"position", "id", "vote_rank", "reason"} <= set(data["list"][0])
    assert all({"rule", "ok", "detail"} <= set(c) for c in data["checks"])
    assert all(c["ok"] for c in data["checks"])
    ids = [e["id"] for e in data["list"]]
    # women ≥ ⌈0.3·4⌉ = 2 and under-35 ≥ ⌈0.2·4⌉ = 1: the young woman e moves up over d
    assert ids == ["a", "b", "c", "e"]
    moved = data["list"][3]
    assert moved["vote_rank"] == 5 and "moved up" in moved["reason"]


def test_build_csv_and_out_file(tmp_path: Path) -> None:
    path = _write(tmp_path)
    out = tmp_path / "list.csv"
    res = _run("lists", "build", str(path), "--rules", "pl-2011", "--length", "4", "--format", "csv",
               "--out", str(out))
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("position,id,name") and len(lines) == 5


def test_pins_and_exclusions(tmp_path: Path) -> None:
    path = _write(tmp_path)
    res = _run("lists", "build", str(path), "--rules", "pl-2011", "--length", "4", "--pin", "g@1",
               "--exclude", "a", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["list"][0]["id"] == "g" and "pinned" in data["list"][0]["reason"]
    assert "a" not in [e["id"] for e in data["list"]]


def test_infeasible_is_refused_with_shortfall_and_nothing_written(tmp_path: Path) -> None:
    path = _write(tmp_path)
    out = tmp_path / "never.csv"
    res = _run("lists", "build", str(path), "--rules", "bo-026", "--length", "7", "--out", str(out),
               "--format", "csv")
    assert res.exit_code == 2
    assert "no list of 7 places" in res.output
    assert "needs at least 4 women among 7 places; the candidates include 3 (short by 1)" in res.output
    assert "a list of 6 places can comply" in res.output
    assert not out.exists()


def test_min_swaps_with_compare(tmp_path: Path) -> None:
    path = _write(tmp_path)
    res = _run("lists", "build", str(path), "--rules", "nur-otan-2019", "--length", "5", "--election-date",
               "2025-03-19", "--objective", "min-swaps", "--compare", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["objective"] == "min-swaps" and "comparison" in data
    assert data["metrics"]["kendall_tau"] <= data["comparison"]["lexicographic_metrics"]["kendall_tau"]


@pytest.mark.parametrize(
    ("rows", "header", "args", "fragments"),
    [
        (ROWS, "id,name,birth_date,votes,tags\n", [], ["missing column 'sex'"]),
        ([("a", "A", "X", "1970-01-01", 1, "", "")], HEADER, [], ["row 2", "column 'sex'", "F or M"]),
        ([("a", "A", "F", "1970-13-01", 1, "", "")], HEADER, [], ["row 2", "column 'birth_date'", "YYYY-MM-DD"]),
        ([("a", "A", "F", "1970-01-01", 1, "", ""), ("a", "B", "M", "1971-01-01", 2, "", "")], HEADER, [],
         ["row 3", "column 'id'", "duplicate id 'a'"]),
        ([("a", "A", "F", "1970-01-01", "many", "", "")], HEADER, [], ["row 2", "column 'votes'"]),
    ],
)
def test_bad_candidates_file(tmp_path: Path, rows, header, args, fragments) -> None:
    path = _write(tmp_path, rows, header)
    res = _run("lists", "build", str(path), "--rules", "pl-2011", "--length", "1", *args)
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in res.output
    assert str(path) in res.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--rules", "no-such-preset", "--length", "3"], "unknown rule preset 'no-such-preset'; valid: kz-law-2020"),
        (["--rules", "nur-otan-2019", "--length", "3"], "parameter --election-date"),
        (["--rules", "pl-2011", "--length", "30"], "parameter --length"),
        (["--rules", "pl-2011", "--length", "3", "--pin", "zz@1"], "parameter --pin"),
        (["--rules", "pl-2011", "--length", "3", "--objective", "best"], "parameter --objective"),
        (["--rules", "missing.toml", "--length", "3"], "missing.toml"),
    ],
)
def test_bad_parameters(tmp_path: Path, args, fragment) -> None:
    path = _write(tmp_path)
    res = _run("lists", "build", str(path), *args)
    assert res.exit_code == 2, res.output
    assert fragment in res.output
    assert "Traceback" not in res.output


def test_check_exit_codes(tmp_path: Path) -> None:
    good = _write(tmp_path, [ROWS[2], ROWS[0], ROWS[4], ROWS[1]], name="good.csv")
    res = _run("lists", "check", str(good), "--rules", "es-2024")
    assert res.exit_code == 0, res.output
    bad = _write(tmp_path, ROWS[:4], name="bad.csv")
    res = _run("lists", "check", str(bad), "--rules", "es-2024", "--format", "json")
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["ok"] is False
    assert data["violations"][0]["position"] == 1 and "in a row" in data["violations"][0]["detail"]


def test_build_all_and_demo_run(tmp_path: Path) -> None:
    scenario = tmp_path / "sc"
    res = _run("demo", "generate", "--out", str(scenario), "--seed", "3", "--scale", "0.02", "--no-members")
    assert res.exit_code == 0, res.output
    out = tmp_path / "all.jsonl"
    res = _run("lists", "build-all", "--scenario", str(scenario), "--rules", "nur-otan-2019,kz-law-2022",
               "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "Compliance by region" in res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 224
    first = json.loads(lines[0])
    assert first["error"] is None and all(c["ok"] for c in first["checks"])
    demo = _run("demo", "run", "--out", str(tmp_path / "demo"), "--scale", "0.02", "--top", "2")
    assert demo.exit_code == 0, demo.output
    assert "lists formed and compliant" in demo.output
    assert (tmp_path / "demo" / "lists.csv").exists()
