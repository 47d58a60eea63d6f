"""Calendar vectors from the official calendars of 2023-2026: one TOML file per year, each case with its source.

A case gives the day of receipt, the number of working days and the expected due date (worked out by hand from
the law and the transfer acts named in its ``source``), optionally the days off passed over with their reasons,
or ``refused`` with the first date beyond the calendar data. Each file also pins the year's count of working days.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tandau.core.appeals import OutsideCalendarError, due_date
from tandau.io.calendar_csv import default_calendar

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.toml"))


def _load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


CASES = [
    pytest.param(case, id=f"{path.stem}-{i:02d}-{case['received']}+{case['working_days']}")
    for path in FILES for i, case in enumerate(_load(path)["case"])
]


def test_one_file_per_official_year() -> None:
    assert [p.stem for p in FILES] == ["2023", "2024", "2025", "2026"]
    for path in FILES:
        data = _load(path)
        assert data["year"] == int(path.stem)
        assert data["source"].strip() and data["working_days_source"].strip()
        assert all(case["source"].strip() for case in data["case"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_working_days_of_the_year(path: Path) -> None:
    data = _load(path)
    assert default_calendar().working_days(data["year"]) == data["working_days"]


@pytest.mark.parametrize("case", CASES)
def test_due_date(case: dict[str, Any]) -> None:
    cal = default_calendar()
    if "refused" in case:
        with pytest.raises(OutsideCalendarError) as info:
            due_date(case["received"], case["working_days"], cal)
        assert info.value.day == date.fromisoformat(case["refused"])
        assert case["refused"] in str(info.value)
        return
    result = due_date(case["received"], case["working_days"], cal)
    assert result.due == case["due"], case["source"]
    assert cal.is_working_day(result.due)
    if "skipped" in case:
        assert [(d.isoformat(), why) for d, why in result.skipped] == [tuple(s) for s in case["skipped"]]
