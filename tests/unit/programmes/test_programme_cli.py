"""``tandau programmes lint`` and ``to-targets``: the JSON contract, exit codes 0/1/2, languages, bad input
(file, row, column; nothing written) and the atomic TARGETS.csv."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.io.control_csv import read_targets

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "programmes"
TERM = "2023-03-20..2028-03-19"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["programmes", *args])


def lint(path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("lint", str(path), "--term", TERM, "--format", "json", *extra)


def test_clean_programme_exits_0_with_the_contract() -> None:
    result = lint(VECTORS / "clean.csv")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "findings": []}


def test_an_error_finding_exits_1_and_a_notice_0() -> None:
    result = lint(VECTORS / "C05.csv")
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    assert out["ok"] is False
    (f,) = out["findings"]
    assert {"commitment", "code", "detail"} <= set(f)
    assert (f["commitment"], f["code"], f["severity"]) == ("K-5", "C05", "error")
    assert f["data"] == {"target": "55", "baseline": "40", "direction": "decrease"}
    assert f["detail"] == "target 55 is not below the baseline 40, although the direction is decrease"
    notice = lint(VECTORS / "C10.csv")
    assert notice.exit_code == 0
    assert [(f["code"], f["severity"]) for f in json.loads(notice.stdout)["findings"]] == [("C10", "notice")]


def test_parent_and_languages() -> None:
    alone = lint(VECTORS / "C09_districts.csv")
    assert alone.exit_code == 0
    result = lint(VECTORS / "C09_districts.csv", "--parent", str(VECTORS / "C09_region.csv"), "--lang", "ru")
    assert result.exit_code == 1
    (f,) = json.loads(result.stdout)["findings"]
    assert f["code"] == "C09" and f["detail"].startswith("целевые значения районов")
    kk = lint(VECTORS / "C06.csv", "--lang", "kk")
    assert json.loads(kk.stdout)["findings"][0]["detail"].startswith("жауапты орган көрсетілмеген")


def test_table_format() -> None:
    result = run("lint", str(VECTORS / "C07.csv"), "--term", TERM, "--format", "table")
    assert result.exit_code == 1
    assert "C07" in result.stdout and "not ok: 1 error(s), 0 notice(s)" in result.stdout


def test_bad_input_exits_2_naming_file_row_and_column(tmp_path: Path) -> None:
    text = (VECTORS / "clean.csv").read_text(encoding="utf-8").replace(",roads,", ",transport,", 1)
    bad = tmp_path / "P.csv"
    bad.write_text(text, encoding="utf-8")
    result = lint(bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "P.csv, row 2, column 'section'" in result.stderr and "culture_sport" in result.stderr
    for args in (["--term", "2023-03-20"], ["--term", "2028-01-01..2023-01-01"], ["--lang", "de"],
                 ["--format", "xml"]):
        out = run("lint", str(VECTORS / "clean.csv"), *(["--term", TERM] if args[0] != "--term" else []), *args)
        assert out.exit_code == 2, args
        assert args[0] in out.stderr
    missing_parent = lint(VECTORS / "clean.csv", "--parent", str(tmp_path / "none.csv"))
    assert missing_parent.exit_code == 2 and "none.csv" in missing_parent.stderr


def test_to_targets_writes_a_targets_file_that_the_control_reader_accepts(tmp_path: Path) -> None:
    out = tmp_path / "TARGETS.csv"
    result = run("to-targets", str(VECTORS / "clean.csv"), "--commitment", "R-1", "--commitment", "D-1",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    series = read_targets(out)
    assert sorted(series) == [("M-59", "roads_repaired", "590000000"), ("M-5910", "roads_repaired", "590000000")]
    assert [p.name for p in tmp_path.iterdir()] == ["TARGETS.csv"]  # no temporary file left
    printed = run("to-targets", str(VECTORS / "clean.csv"), "--programme", "sko-2023", "--commitment", "R-2",
                  "--commitment", "D-3")
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("programme,indicator,region,")
    assert printed.stdout.count("\nsko-2023,") == 2
    # one programme id for every commitment: the three road commitments of the region fall on one series
    clash = run("to-targets", str(VECTORS / "clean.csv"), "--programme", "sko-2023")
    assert clash.exit_code == 2 and "already comes from commitment R-1" in clash.stderr


def test_to_targets_refuses_all_or_nothing_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "TARGETS.csv"
    out.write_text("old\n", encoding="utf-8")
    result = run("to-targets", str(VECTORS / "C02.csv"), "--out", str(out))
    assert result.exit_code == 2
    assert "commitment K-2: no baseline" in result.stderr
    assert out.read_text(encoding="utf-8") == "old\n"
    unknown = run("to-targets", str(VECTORS / "clean.csv"), "--commitment", "Z-9", "--out", str(out))
    assert unknown.exit_code == 2
    assert "--commitment" in unknown.stderr and "R-1" in unknown.stderr
    assert out.read_text(encoding="utf-8") == "old\n"
    same_series = run("to-targets", str(VECTORS / "C08.csv"), "--out", str(out))
    assert same_series.exit_code == 2 and "already comes from commitment K-8" in same_series.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["TARGETS.csv"]


def test_to_targets_into_a_folder_or_a_missing_folder_exits_2(tmp_path: Path) -> None:
    for out in (tmp_path, tmp_path / "none" / "TARGETS.csv"):
        result = run("to-targets", str(VECTORS / "clean.csv"), "--commitment", "R-1", "--out", str(out))
        assert result.exit_code == 2, result.output
        assert str(out) in result.stderr
    assert list(tmp_path.iterdir()) == []
