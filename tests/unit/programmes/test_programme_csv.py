"""PROGRAMME.csv: what is read (empty values kept for the checks), and bad input naming file, row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook

from tandau.core.programmes import SECTIONS
from tandau.errors import InputError
from tandau.io.programme_csv import COLUMNS, read_programme, territory_names

HEAD = ",".join((*COLUMNS, "kind"))
ROW = ("X-1,591000000,roads,Жол,Дороги,roads,km,0,2022,10,2027-12-31,increase,100,local budget,akimat,DP-1,"
       "P-1; P-2;;P-1,cumulative")


def write(tmp_path: Path, rows: list[str], head: str = HEAD) -> Path:
    path = tmp_path / "PROGRAMME.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def cell(row: str, column: str, value: str) -> str:
    cells = row.split(",")
    cells[(*COLUMNS, "kind").index(column)] = value
    return ",".join(cells)


def test_a_row_is_read_exactly(tmp_path: Path) -> None:
    (c,) = read_programme(write(tmp_path, [cell(ROW, "baseline", "12.50")])).commitments
    assert (c.commitment, c.territory, c.section, c.unit, c.baseline, c.baseline_year, c.target, c.deadline) == (
        "X-1", "591000000", "roads", "km", D("12.50"), 2022, D(10), date(2027, 12, 31))
    assert c.proposals == ("P-1", "P-2")
    assert c.baseline_date == date(2022, 12, 31)


def test_empty_values_are_kept_for_the_checks_and_defaults_apply(tmp_path: Path) -> None:
    row = ROW
    for column in ("indicator", "unit", "baseline", "baseline_year", "target", "deadline", "direction", "budget_kzt",
                   "funding_source", "responsible", "development_indicator", "proposals", "kind", "text_kk"):
        row = cell(row, column, "")
    (c,) = read_programme(write(tmp_path, [row])).commitments
    assert (c.indicator, c.unit, c.baseline, c.baseline_year, c.target, c.deadline, c.budget_kzt) == (
        "", "", None, None, None, None, None)
    assert (c.direction, c.kind, c.proposals, c.responsible) == ("increase", "cumulative", (), "")
    # the kind column is optional
    (c,) = read_programme(write(tmp_path, [ROW.rsplit(",", 1)[0]], head=",".join(COLUMNS))).commitments
    assert c.kind == "cumulative"


@pytest.mark.parametrize(("column", "value", "text"), [
    ("commitment", "", "empty"),
    ("territory", "59", "unknown territory '59'"),
    ("territory", "591000001", "9-digit KATO code"),
    ("territory", "751200000", "ends in 10000"),
    ("section", "transport", "valid: " + ", ".join(SECTIONS)),
    ("baseline", "1,5", "expected a number"),
    ("target", "ten", "expected a number"),
    ("budget_kzt", "1e", "expected a number"),
    ("baseline_year", "22", "expected a year"),
    ("deadline", "31.12.2027", "YYYY-MM-DD"),
    ("direction", "up", "increase, decrease"),
    ("kind", "stock", "cumulative, level"),
])
def test_bad_cells_name_file_row_and_column(tmp_path: Path, column: str, value: str, text: str) -> None:
    bad = cell(ROW, column, value) if column not in ("baseline",) else cell(ROW, column, f'"{value}"')
    path = write(tmp_path, [cell(ROW, "commitment", "X-0"), bad])
    with pytest.raises(InputError) as caught:
        read_programme(path)
    e = caught.value
    assert (e.file, e.row, e.column) == ("PROGRAMME.csv", 3, column)
    assert text in e.problem


def test_duplicate_id_no_text_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="already in row 2") as caught:
        read_programme(write(tmp_path, [ROW, ROW]))
    assert (caught.value.row, caught.value.column) == (3, "commitment")
    with pytest.raises(InputError, match="Kazakh") as caught:
        read_programme(write(tmp_path, [cell(cell(ROW, "text_kk", ""), "text_ru", "")]))
    assert (caught.value.row, caught.value.column) == (2, "text_kk")
    with pytest.raises(InputError, match="missing column") as caught:
        read_programme(write(tmp_path, [], head=HEAD.replace("responsible,", "")))
    assert (caught.value.row, caught.value.column) == (1, "responsible")
    with pytest.raises(InputError, match="no commitments"):
        read_programme(write(tmp_path, []))
    with pytest.raises(InputError, match="not found"):
        read_programme(tmp_path / "missing.csv")


def test_territory_codes_of_every_level() -> None:
    names = territory_names()
    assert names["590000000"] == "North Kazakhstan Region"
    assert names["591000000"] == "Petropavl"
    assert names["750000000"] == "Almaty"
    assert "751210000" in names and "751200000" not in names  # a city district sits one level lower
    assert all(len(code) == 9 and code.isdigit() for code in names)


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEAD.split(","))
    values: list[object] = ROW.split(",")
    values[7], values[8], values[10] = 0, 2022, date(2027, 12, 31)  # numbers and a date as a spreadsheet has them
    sheet.append(values)
    path = tmp_path / "PROGRAMME.xlsx"
    book.save(path)
    (c,) = read_programme(path).commitments
    assert (c.baseline, c.baseline_year, c.deadline) == (D(0), 2022, date(2027, 12, 31))
