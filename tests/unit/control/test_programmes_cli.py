"""``tandau control assess``: the JSON contract, roll-ups, and bad input (file, row, column; exit 2; no output)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app

T_HEAD = ("programme,indicator,region,unit,kind,direction,baseline,baseline_date,target,deadline,budget_kzt,source,"
          "weight")
R_HEAD = "programme,indicator,region,period_end,actual,allocated_kzt,adjusted_kzt,contracted_kzt,paid_kzt"
TARGETS = [
    "p,built,KZ,u,cumulative,increase,0,2020-12-31,240,2021-12-31,,national,",
    "p,built,110000000,u,cumulative,increase,0,2020-12-31,120,2021-12-31,1000,a,0.5",
    "p,built,150000000,u,cumulative,increase,0,2020-12-31,120,2021-12-31,1000,a,0.5",
]
REPORTS = [
    *(f"p,built,110000000,2021-0{m}-28,{10 * m},,,,{100 * m}" for m in range(1, 7)),
    *(f"p,built,150000000,2021-0{m}-28,{4 * m},,,,{300 * m}" for m in range(1, 7)),
]
KEYS = ["programme", "indicator", "region", "target", "deadline", "actual", "required_pace", "actual_pace",
        "forecast", "forecast_low", "forecast_high", "p_on_time", "status"]


def files(tmp_path: Path, targets: list[str] = TARGETS, reports: list[str] = REPORTS) -> tuple[Path, Path]:
    t, r = tmp_path / "TARGETS.csv", tmp_path / "REPORTS.csv"
    t.write_text("\n".join([T_HEAD, *targets]) + "\n", encoding="utf-8")
    r.write_text("\n".join([R_HEAD, *reports]) + "\n", encoding="utf-8")
    return t, r


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["control", "assess", *args])


def test_json_contract(tmp_path: Path) -> None:
    t, r = files(tmp_path)
    result = run("--targets", str(t), "--reports", str(r), "--as-of", "2021-07-01", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert sorted(out) == ["assessments", "flags"]
    assert [list(a) for a in out["assessments"]] == [KEYS] * 3
    by_region = {a["region"]: a for a in out["assessments"]}
    assert by_region["KZ"]["actual"] == 84  # rolled up: 60 + 24
    assert by_region["150000000"]["status"] == "off_track"
    assert all(sorted(f) == ["code", "detail", "indicator", "params", "programme", "region"] for f in out["flags"])
    codes = {(f["code"], f["region"]) for f in out["flags"]}
    assert ("P01", "150000000") in codes  # paid 1800/1000 against 20% progress
    assert ("P05", "150000000") in codes


def test_flag_settings_and_table(tmp_path: Path) -> None:
    t, r = files(tmp_path)
    settings = tmp_path / "FLAGS.toml"
    settings.write_text("[P01]\nenabled = false\n", encoding="utf-8")
    result = run("--targets", str(t), "--reports", str(r), "--as-of", "2021-07-01", "--flag-settings", str(settings))
    assert result.exit_code == 0
    assert "P01" not in {f["code"] for f in json.loads(result.stdout)["flags"]}
    table = run("--targets", str(t), "--reports", str(r), "--as-of", "2021-07-01", "--format", "table")
    assert table.exit_code == 0 and "Regions, best first" in table.stdout


def test_bad_row_exits_2_naming_file_row_column(tmp_path: Path) -> None:
    bad = [*REPORTS[:3], "p,built,110000000,2021-04-28,forty,,,,"]
    t, r = files(tmp_path, reports=bad)
    result = run("--targets", str(t), "--reports", str(r), "--as-of", "2021-07-01")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "REPORTS.csv, row 5, column 'actual'" in result.stderr


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    t, r = files(tmp_path)
    assert run("--targets", str(t), "--reports", str(r), "--as-of", "1 July").exit_code == 2
    assert run("--targets", str(tmp_path / "none.csv"), "--reports", str(r), "--as-of", "2021-07-01").exit_code == 2
    settings = tmp_path / "FLAGS.toml"
    settings.write_text("[P01]\nthreshold = -1\n", encoding="utf-8")
    result = run("--targets", str(t), "--reports", str(r), "--as-of", "2021-07-01", "--flag-settings", str(settings))
    assert result.exit_code == 2 and "P01.threshold" in result.stderr


def test_preset_command() -> None:
    result = CliRunner().invoke(app, ["control", "preset", "--programme", "clean-water"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("clean-water,rural_access_share,KZ,percent,level,increase,86.4")
