"""``tandau appeals due`` and ``tandau appeals calendar``: the JSON contract, text output, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app

runner = CliRunner()


def test_due_json_contract() -> None:
    result = runner.invoke(app, ["appeals", "due", "--received", "2024-05-06", "--working-days", "1",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "received": "2024-05-06", "working_days": 1, "due": "2024-05-10",
        "skipped": [{"date": "2024-05-07", "reason": "holiday"}, {"date": "2024-05-08", "reason": "transfer_day_off"},
                    {"date": "2024-05-09", "reason": "holiday"}]}


def test_due_text_default_15() -> None:
    result = runner.invoke(app, ["appeals", "due", "--received", "2023-06-20"])
    assert result.exit_code == 0 and result.stdout == "2023-07-13\n"


def test_due_reasons_cover_weekend_and_carry_over() -> None:
    result = runner.invoke(app, ["appeals", "due", "--received", "2025-03-20", "--working-days", "1",
                                 "--format", "json"])
    reasons = {s["reason"] for s in json.loads(result.stdout)["skipped"]}
    assert reasons == {"holiday", "weekend", "carried_over"}


@pytest.mark.parametrize(("args", "message"), [
    (["--received", "2024-02-30"], "parameter --received: expected a date YYYY-MM-DD"),
    (["--received", "yesterday"], "parameter --received"),
    (["--received", "2024-05-06", "--working-days", "0"], "parameter --working-days: must be at least 1"),
    (["--received", "2024-05-06", "--format", "xml"], "parameter --format"),
    (["--received", "2026-12-20"], "2027-01-01 is outside Kazakhstan's working-day calendar data"),
    (["--received", "2022-12-30"], "2022-12-30 is outside"),
])
def test_due_bad_input_exits_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["appeals", "due", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_due_with_another_calendar(tmp_path: Path) -> None:
    path = tmp_path / "cal.csv"
    path.write_text("date,kind,name_ru,source\n2027-01-01,holiday,Новый год,Закон № 267-II ст. 5\n", encoding="utf-8")
    result = runner.invoke(app, ["appeals", "due", "--received", "2026-12-31", "--working-days", "1",
                                 "--calendar", str(path)])
    assert result.exit_code == 2 and "2026-12-31 is outside" in " ".join(result.output.split())
    result = runner.invoke(app, ["appeals", "due", "--received", "2027-01-01", "--working-days", "1",
                                 "--calendar", str(path)])
    assert result.exit_code == 0 and result.stdout == "2027-01-04\n"
    path.write_text("date,kind,name_ru,source\n2027-01-02,holiday,x,y\n", encoding="utf-8")
    result = runner.invoke(app, ["appeals", "due", "--received", "2027-01-01", "--calendar", str(path)])
    assert result.exit_code == 2 and "cal.csv, row 2, column 'kind'" in " ".join(result.output.split())


def test_calendar_text() -> None:
    result = runner.invoke(app, ["appeals", "calendar", "--year", "2024"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "2024-05-08  Wed  transfer_day_off  Перенос дня отдыха с 04.05.2024" in lines
    assert any(line.startswith("2024-05-04  Sat  working_day") for line in lines)
    assert lines[-1] == "2024: 249 working days (five-day week)"
    assert not any("weekend" in line for line in lines)


def test_calendar_json_with_weekends() -> None:
    result = runner.invoke(app, ["appeals", "calendar", "--year", "2023", "--weekends", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["year"] == 2023 and data["working_days"] == 246
    assert len(data["days_off"]) == 365 - 246
    assert {"date": "2023-07-07", "reason": "transfer_day_off", "name": "Перенос дня отдыха с 01.07.2023"} in \
        data["days_off"]
    assert [d["date"] for d in data["working_weekend_days"]] == ["2023-07-01"]
    assert "P2300000326" in data["sources"]["2023-07-01"]


def test_calendar_beyond_data_exits_2() -> None:
    result = runner.invoke(app, ["appeals", "calendar", "--year", "2027"])
    assert result.exit_code == 2 and "2027-01-01 is outside" in " ".join(result.output.split())
