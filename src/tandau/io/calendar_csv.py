"""The working-day calendar CSV (docs/appeals.md): ``date, kind, name_ru, source``, one row per exception.

``date`` is an ISO date; ``kind`` is holiday | carried_over | transfer_day_off | transfer_working_day (see
:mod:`tandau.core.appeals.calendar`); ``name_ru`` names the holiday or what was moved; ``source`` cites the law,
the act and the reports checked. The calendar covers the whole years its rows touch. Reading is all or nothing:
an :class:`~tandau.errors.InputError` names the file, the row (the header is row 1) and the column.
:func:`default_calendar` loads the packaged copy (``tandau/data/kz/calendar.csv``, 2023-2026, its sources and
doubts in ``tandau/data/kz/CALENDAR.md``).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from tandau.core.appeals.calendar import ROW_KINDS, CalendarError, CalendarRow, WorkCalendar
from tandau.errors import InputError

COLUMNS = ("date", "kind", "name_ru", "source")
PACKAGED = "calendar.csv"


def parse_calendar(text: str, file: str) -> WorkCalendar:
    """The calendar of a CSV text (``file`` names it in errors)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise InputError("the file is empty; expected the header " + ",".join(COLUMNS), file=file)
    names = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}", file=file, row=1)
    at = {c: names.index(c) for c in COLUMNS}
    rows: list[CalendarRow] = []
    numbers: list[int] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            raise InputError(f"{len(cells)} cells, the header has {len(names)} (quote a source with commas)",
                             file=file, row=number)
        value = {c: cells[i].strip() for c, i in at.items()}
        try:
            day = date.fromisoformat(value["date"])
        except ValueError:
            raise InputError(f"expected an ISO date YYYY-MM-DD, got {value['date']!r}", file=file, row=number,
                             column="date") from None
        kind = next((k for k in ROW_KINDS if k == value["kind"]), None)
        if kind is None:
            raise InputError(f"unknown kind {value['kind']!r}; valid: {', '.join(ROW_KINDS)}", file=file,
                             row=number, column="kind")
        for column in ("name_ru", "source"):
            if not value[column]:
                raise InputError("empty; every row needs its name and its source", file=file, row=number,
                                 column=column)
        rows.append(CalendarRow(day, kind, value["name_ru"], value["source"]))
        numbers.append(number)
    try:
        return WorkCalendar.from_rows(rows)
    except CalendarError as exc:
        row = numbers[exc.index] if exc.index is not None else None
        raise InputError(exc.problem, file=file, row=row, column=exc.column) from None


def read_calendar(path: Path) -> WorkCalendar:
    """The calendar of a CSV file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    return parse_calendar(text, path.name)


@cache
def default_calendar() -> WorkCalendar:
    """The packaged calendar of Kazakhstan, 2023-2026 (five-day week)."""
    text = resources.files("tandau.data").joinpath("kz", PACKAGED).read_text(encoding="utf-8")
    return parse_calendar(text, PACKAGED)
