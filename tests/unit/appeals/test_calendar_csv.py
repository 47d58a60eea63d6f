"""The calendar CSV reader: errors name the file, the row and the column; the packaged calendar loads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tandau.errors import InputError
from tandau.io.calendar_csv import default_calendar, parse_calendar, read_calendar

HEADER = "date,kind,name_ru,source\n"
GOOD = HEADER + "2024-01-01,holiday,Новый год,Закон № 267-II ст. 5\n2024-05-04,transfer_working_day,Рабочий,Приказ\n"


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "cal.csv"
    path.write_text("\ufeff" + GOOD + "\n", encoding="utf-8")
    cal = read_calendar(path)
    assert (cal.first, cal.last) == (date(2024, 1, 1), date(2024, 12, 31))
    assert cal.is_working_day(date(2024, 5, 4)) and not cal.is_working_day(date(2024, 1, 1))


def test_columns_in_any_order() -> None:
    cal = parse_calendar("source,name_ru,kind,date\nЗакон,Новый год,holiday,2024-01-01\n", "c.csv")
    assert cal.off_reason(date(2024, 1, 1)) == "holiday"


@pytest.mark.parametrize(("text", "message"), [
    ("", "c.csv: the file is empty"),
    ("date,kind,name_ru\n", "c.csv, row 1: missing column(s) source"),
    (HEADER + "2024-13-01,holiday,x,s\n", "c.csv, row 2, column 'date': expected an ISO date"),
    (HEADER + "2024-01-01,feast,x,s\n", "c.csv, row 2, column 'kind': unknown kind 'feast'"),
    (HEADER + "2024-01-01,holiday,x,\n", "c.csv, row 2, column 'source': empty"),
    (HEADER + "2024-01-01,holiday,,s\n", "c.csv, row 2, column 'name_ru': empty"),
    (HEADER + "2024-01-01,holiday,x,a,b\n", "c.csv, row 2: 5 cells"),
    (HEADER + "2024-01-01,holiday,x,s\n2024-01-01,holiday,x,s\n",
     "c.csv, row 3, column 'date': 2024-01-01 appears twice"),
    (HEADER + "2024-01-01,holiday,x,s\n\n2024-01-06,holiday,x,s\n",
     "c.csv, row 4, column 'kind': 2024-01-06 is a Saturday"),
    (HEADER + "2024-01-08,transfer_working_day,x,s\n", "c.csv, row 2, column 'kind': 2024-01-08 is a weekday"),
    (HEADER + "2023-01-02,holiday,x,s\n2025-01-01,holiday,x,s\n", "c.csv: no row for 2024"),
])
def test_bad_files(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_calendar(text, "c.csv")
    assert str(info.value).startswith(message), str(info.value)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_calendar(tmp_path / "none.csv")
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00date")
    with pytest.raises(InputError, match="not UTF-8"):
        read_calendar(path)


def test_packaged_calendar() -> None:
    cal = default_calendar()
    assert len(cal.rows) == 62
    assert {r.day.year for r in cal.rows} == {2023, 2024, 2025, 2026}
    assert default_calendar() is cal  # loaded once
