"""Roll import: CSV and XLSX, validated whole, atomic, every error naming file, row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tandau.errors import InputError
from tandau.services.primaries import roll
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import ImportRejectedError
from tandau.store import Member

from .conftest import CENTRAL, Db

TODAY = date(2026, 1, 1)


def _members(db: Db) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(Member)) or 0)


def test_csv_and_xlsx_import(db: Db, tmp_path: Path) -> None:
    csv_file = tmp_path / "roll.csv"
    csv_file.write_text("ID,Name,Sex,Birth_Date,Territory,Contact,extra\na1,Ayan,m,1990-01-01,751110000,,x\n",
                        encoding="utf-8-sig")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "sex", "birth_date", "territory", "contact"])
    sheet.append(["a1", "Ayan B.", "M", date(1990, 1, 1), 751110000, "a@x.kz"])
    sheet.append([None, None, None, None, None, None])
    sheet.append([1002, "Zhanar", "F", "1999-12-31", "191010000", None])
    xlsx = tmp_path / "roll.xlsx"
    book.save(xlsx)
    with db.Session() as s:
        first = roll.import_roll(s, CENTRAL, csv_file, today=TODAY)
        second = roll.import_roll(s, CENTRAL, xlsx, today=TODAY)
    assert (first.added, first.updated) == (1, 0)
    assert (second.added, second.updated) == (1, 1)
    with db.Session() as s:
        a1 = s.get(Member, "a1")
        assert a1 is not None
        assert a1.name == "Ayan B."
        assert a1.contact == "a@x.kz"
        assert s.get(Member, "1002") is not None


def test_every_error_is_reported_and_nothing_is_imported(db: Db, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,sex,birth_date,territory,contact\n"
        "ok1,Fine,F,1990-01-01,751110000,\n"
        "ok1,Twice,F,1990-01-01,751110000,\n"
        "x2,,X,1990-13-01,75111,\n"
        "x3,Future,M,2030-01-01,no-such-council,\n",
        encoding="utf-8",
    )
    with db.Session() as s, pytest.raises(ImportRejectedError) as info:
        roll.import_roll(s, CENTRAL, bad, today=TODAY)
    found = {(e.row, e.column) for e in info.value.errors}
    assert found == {(3, "id"), (4, "name"), (4, "sex"), (4, "birth_date"), (4, "territory"),
                     (5, "birth_date"), (5, "territory")}
    assert all(e.file == "bad.csv" for e in info.value.errors)
    assert "bad.csv, row 4, column 'sex'" in str(info.value)
    assert _members(db) == 0


def test_missing_column_names_the_header(db: Db, tmp_path: Path) -> None:
    f = tmp_path / "short.csv"
    f.write_text("id,name,sex,birth_date,contact\n", encoding="utf-8")
    with db.Session() as s, pytest.raises(InputError, match=r"short.csv, row 1, column 'territory'"):
        roll.import_roll(s, CENTRAL, f)


def test_a_secretary_imports_only_inside_their_territory(db: Db, tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text("id,name,sex,birth_date,territory,contact\n"
                 "a,A,F,1990-01-01,751110000,\nb,B,M,1990-01-01,191010000,\n", encoding="utf-8")
    secretary = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))
    with db.Session() as s, pytest.raises(ImportRejectedError) as info:
        roll.import_roll(s, secretary, f, today=TODAY)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "territory")]
    assert _members(db) == 0
