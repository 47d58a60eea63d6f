"""TARGETS.csv and REPORTS.csv: history and revisions kept, every error names its file, row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tandau.core.control.programmes import PROGRAMMES, preset_targets
from tandau.errors import InputError, UnknownIdError
from tandau.io.control_csv import (
    REPORT_COLUMNS,
    TARGET_COLUMNS,
    read_reports,
    read_targets,
    region_codes,
    write_targets_csv,
)

T_HEAD = ",".join((*TARGET_COLUMNS, "weight", "frequency", "revised_at"))
R_HEAD = ",".join((*REPORT_COLUMNS, "reported_at"))
GOOD_T = [
    "water,access,KZ,percent,level,increase,86.4,2020-12-31,100,2023-12-31,560000000000,kz-facts,,monthly,",
    "water,access,110000000,percent,level,increase,80,2020-12-31,100,2023-12-31,,kz-facts,0.05,,",
    "water,access,110000000,percent,level,increase,80,2020-12-31,95,2024-06-30,,kz-facts,0.05,,2022-03-01",
    "flats,built,100000000,flats,cumulative,increase,0,2022-06-08,5000,2025-12-31,9000000,x,,quarterly,",
]
GOOD_R = [
    "water,access,110000000,2021-01-31,81,,,,,",
    "water,access,110000000,2021-01-31,82.5,,,,,2021-03-01",
    "water,access,110000000,2021-02-28,83,100,110,90,50,",
    "flats,built,100000000,2022-09-30,400,1000,1000,800,500,",
]


def write(tmp_path: Path, name: str, head: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def read_both(tmp_path: Path, t_rows: list[str] = GOOD_T, r_rows: list[str] = GOOD_R):  # type: ignore[no-untyped-def]
    targets = read_targets(write(tmp_path, "TARGETS.csv", T_HEAD, t_rows))
    return targets, read_reports(write(tmp_path, "REPORTS.csv", R_HEAD, r_rows), targets)


def test_history_and_revisions_are_kept(tmp_path: Path) -> None:
    targets, reports = read_both(tmp_path)
    history = targets[("water", "access", "110000000")]
    assert [v.target for v in history.versions] == [D(100), D(95)]
    assert history.in_force(date(2022, 2, 28)).target == D(100)
    assert history.in_force(date(2022, 3, 1)).deadline == date(2024, 6, 30)
    series = reports[("water", "access", "110000000")]
    assert [r.actual for r in series.known_at(date(2021, 2, 1))] == [D(81)]
    assert [r.actual for r in series.known_at(date(2021, 3, 1))] == [D("82.5"), D(83)]
    assert [r.actual for r in series.revisions(date(2021, 1, 31))] == [D(81), D("82.5")]
    flats = targets[("flats", "built", "100000000")].versions[0]
    assert (flats.frequency, flats.budget_kzt, flats.start) == ("quarterly", D(9000000), date(2022, 6, 8))
    assert reports[("flats", "built", "100000000")].reports[0].paid_kzt == D(500)


def test_region_codes_come_from_the_territory() -> None:
    codes = region_codes()
    assert codes[0] == "KZ" and len(codes) == 21 and "710000000" in codes and "620000000" in codes


T_ERRORS = [
    (GOOD_T[0].replace(",KZ,", ",11,"), "region", "unknown region"),
    (GOOD_T[0].replace(",level,", ",stock,"), "kind", "expected one of cumulative, level"),
    (GOOD_T[0].replace(",increase,", ",up,"), "direction", "expected one of increase, decrease"),
    (GOOD_T[3].replace(",increase,", ",decrease,"), "direction", "only grows"),
    (GOOD_T[0].replace(",86.4,", ",abc,"), "baseline", "expected a number"),
    (GOOD_T[0].replace(",2020-12-31,", ",31.12.2020,"), "baseline_date", "YYYY-MM-DD"),
    (GOOD_T[0].replace(",2023-12-31,", ",2020-01-01,"), "deadline", "after the baseline date"),
    (GOOD_T[0].replace(",100,", ",50,"), "target", "wrong side"),
    (GOOD_T[0].replace(",560000000000,", ",-5,"), "budget_kzt", "≥ 0"),
    (GOOD_T[0].replace(",monthly,", ",weekly,"), "frequency", "monthly, quarterly"),
    (GOOD_T[0].replace("water,", ",", 1), "programme", "empty"),
]


@pytest.mark.parametrize(("bad", "column", "text"), T_ERRORS)
def test_target_errors_name_row_and_column(tmp_path: Path, bad: str, column: str, text: str) -> None:
    with pytest.raises(InputError) as err:
        read_targets(write(tmp_path, "TARGETS.csv", T_HEAD, [GOOD_T[1], bad]))
    assert (err.value.file, err.value.row, err.value.column) == ("TARGETS.csv", 3, column)
    assert text in str(err.value)


def test_duplicate_and_inconsistent_versions(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_targets(write(tmp_path, "TARGETS.csv", T_HEAD, [GOOD_T[1], GOOD_T[1]]))
    assert (err.value.row, err.value.column) == (3, "revised_at")
    other_unit = GOOD_T[2].replace(",percent,", ",share,")
    with pytest.raises(InputError) as err:
        read_targets(write(tmp_path, "TARGETS.csv", T_HEAD, [GOOD_T[1], other_unit]))
    assert (err.value.row, err.value.column) == (3, "unit")


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_targets(write(tmp_path, "TARGETS.csv", T_HEAD.replace("budget_kzt,", ""), []))
    assert (err.value.row, err.value.column) == (1, "budget_kzt")


R_ERRORS = [
    (GOOD_R[0].replace("water,", "roads,", 1), "programme", "no target for programme"),
    (GOOD_R[0].replace(",access,", ",quality,"), "indicator", "no target for indicator"),
    (GOOD_R[0].replace(",110000000,", ",150000000,"), "region", "no target for region"),
    (GOOD_R[0].replace(",81,", ",,"), "actual", "a number is required"),
    (GOOD_R[2].replace(",50,", ",fifty,"), "paid_kzt", "expected a number"),
    (GOOD_R[2].replace(",90,", ",-1,"), "contracted_kzt", "≥ 0"),
    (GOOD_R[0].replace(",2021-01-31,", ",2021-02-30,"), "period_end", "YYYY-MM-DD"),
    (GOOD_R[1].replace(",2021-03-01", ",2021-01-01"), "reported_at", "before the period ended"),
    (GOOD_R[3].replace("2022-09-30", "2022-03-31"), "period_end", "created on 2022-06-08"),
]


@pytest.mark.parametrize(("bad", "column", "text"), R_ERRORS)
def test_report_errors_name_row_and_column(tmp_path: Path, bad: str, column: str, text: str) -> None:
    with pytest.raises(InputError) as err:
        read_both(tmp_path, r_rows=[GOOD_R[0], GOOD_R[2], bad])
    assert (err.value.file, err.value.row, err.value.column) == ("REPORTS.csv", 4, column)
    assert text in str(err.value)


def test_xlsx_targets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(T_HEAD.split(","))
    sheet.append(["water", "access", "110000000", "percent", "level", "increase", 80.5, date(2020, 12, 31), 100,
                  date(2023, 12, 31), None, "src", 0.05, "monthly", None])
    path = tmp_path / "TARGETS.xlsx"
    book.save(path)
    target = read_targets(path)[("water", "access", "110000000")].versions[0]
    assert (target.baseline, target.baseline_date, target.weight) == (D("80.5"), date(2020, 12, 31), D("0.05"))


def test_preset_round_trips_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "TARGETS.csv"
    path.write_text(write_targets_csv(list(preset_targets())), encoding="utf-8")
    read = read_targets(path)
    assert len(read) == sum(len(p.targets) for p in PROGRAMMES.values()) == 5
    housing = read[("housing", "flats_built", "KZ")].versions[0]
    assert (housing.target, housing.budget_kzt) == (D(1000000), D("3170400000000"))
    assert "3,170.4" in housing.source
    with pytest.raises(UnknownIdError):
        preset_targets("roads")
