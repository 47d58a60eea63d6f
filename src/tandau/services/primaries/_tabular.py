"""Reading CSV (UTF-8, with or without BOM) and XLSX tables for imports, keeping spreadsheet row numbers.

Row 1 is the header; data rows are numbered as a spreadsheet shows them, so an error message's row is the
row the user sees. Blank rows are skipped. Columns are matched case-insensitively; extra columns are ignored.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tandau.errors import InputError

Cell = str | date | int | float | None


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of an import file: ``(row number, {column: cell})``; the file's display name."""

    file: str
    rows: tuple[tuple[int, dict[str, Cell]], ...]


def _normalise_header(header: Sequence[object], file: str, required: Sequence[str]) -> list[str]:
    names = ["" if h is None else str(h).strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; the header must name {', '.join(required)}",
            file=file,
            row=1,
            column=missing[0],
        )
    return names


def _cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float):
        return value
    text = str(value).strip()
    return text or None


def read_table(path: Path, required: Sequence[str]) -> Table:
    """Read ``path`` (``.csv`` or ``.xlsx``); the header must contain every ``required`` column."""
    name = path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            raw: list[list[object]] = [list(r) for r in csv.reader(fh)]
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError(f"not a readable XLSX workbook ({exc.__class__.__name__})", file=name) from None
        try:
            raw = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        raise InputError(f"unsupported file type {suffix!r}; use .csv or .xlsx", file=name)
    if not raw:
        raise InputError("the file is empty; row 1 must be a header", file=name, row=1)
    header = _normalise_header(raw[0], name, required)
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, values in enumerate(raw[1:], start=2):
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header) if h}))
    return Table(name, tuple(rows))


def text_of(cell: Cell) -> str:
    """A cell as text ('' when empty); integral floats lose their '.0' (XLSX stores numbers as floats)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def date_of(cell: Cell) -> date:
    """A cell as a date: a spreadsheet date or ISO text ``YYYY-MM-DD``; ValueError otherwise."""
    if isinstance(cell, date):
        return cell
    text = text_of(cell)
    if not text:
        raise ValueError("empty")
    return date.fromisoformat(text)
