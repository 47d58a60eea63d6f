"""Reading CSV (UTF-8, with or without BOM) and XLSX tables for imports, keeping spreadsheet row numbers.

Row 1 is the header; data rows are numbered as a spreadsheet shows them, so an error message's row is the
row the user sees. Blank rows are skipped. Columns are matched case-insensitively; extra columns are ignored.
A CSV file may separate its columns with commas, semicolons (what Excel writes in a Russian or Kazakh locale)
or tabs: the header line decides. :func:`parse_table` reads bytes (an upload), :func:`read_table` a file;
both give the table with the SHA-256 of the bytes read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from tandau.services.primaries.problems import located, problem

Cell = str | date | int | float | None

MAX_XLSX_UNPACKED = 512 * 1024 * 1024  # a workbook whose parts unpack to more is refused (zip bomb)
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of an import file: ``(row number, {column: cell})``; the file's display name and SHA-256."""

    file: str
    rows: tuple[tuple[int, dict[str, Cell]], ...]
    sha256: str = ""


def _normalise_header(header: Sequence[object], file: str, required: Sequence[str]) -> list[str]:
    names = ["" if h is None else str(h).strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        text = f"missing column(s) {', '.join(missing)}; the header must name {', '.join(required)}"
        raise located(
            problem("missing_columns", text, missing=tuple(missing), required=tuple(required)),
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


def _csv_rows(data: bytes, name: str) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "the file is not UTF-8 text; save it as 'CSV UTF-8' (a Windows-1251 CSV is not accepted)"
        raise located(problem("not_utf8", message), file=name, row=line) from None
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        bad = problem("bad_csv", f"not a readable CSV file ({exc})", detail=str(exc))
        raise located(bad, file=name, row=reader.line_num) from None


def _xlsx_rows(data: bytes, name: str) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise located(problem("xlsx_not_zip", "not a readable XLSX workbook (not a zip archive)"), file=name) from None
    if unpacked > MAX_XLSX_UNPACKED:
        mib = MAX_XLSX_UNPACKED // 2**20
        raise located(problem("xlsx_too_large", f"the workbook unpacks to more than {mib} MiB", mib=mib), file=name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        kind = exc.__class__.__name__
        raise located(problem("bad_xlsx", f"not a readable XLSX workbook ({kind})", detail=kind), file=name) from None
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def parse_table(data: bytes, name: str, required: Sequence[str]) -> Table:
    """Parse ``data``, a ``.csv`` or ``.xlsx`` file called ``name``; the header must name every ``required``
    column. Errors name the file (and the row where one can be told)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        raw = _csv_rows(data, name)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(data, name)
    else:
        text = f"unsupported file type {suffix or '(none)'!r}; use .csv or .xlsx"
        raise located(problem("unsupported_type", text, suffix=suffix), file=name)
    if not raw:
        raise located(problem("empty_file", "the file is empty; row 1 must be a header"), file=name, row=1)
    header = _normalise_header(raw[0], name, required)
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, values in enumerate(raw[1:], start=2):
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        row = {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header) if h}
        for column, cell in row.items():
            if isinstance(cell, str) and "\x00" in cell:  # PostgreSQL refuses it; SQLite would store it silently
                text = "contains a NUL character (U+0000), which no text may hold"
                raise located(problem("nul_character", text), file=name, row=number, column=column)
        rows.append((number, row))
    return Table(name, tuple(rows), hashlib.sha256(data).hexdigest())


def read_table(path: Path, required: Sequence[str]) -> Table:
    """Read ``path`` (``.csv`` or ``.xlsx``); the header must contain every ``required`` column."""
    if not path.is_file():
        raise located(problem("file_not_found", "file not found"), file=str(path))
    return parse_table(path.read_bytes(), path.name, required)


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


def moment_of(cell: Cell, zone: tzinfo, day_time: time) -> datetime:
    """A cell as a moment: a spreadsheet date or ISO date (at ``day_time`` in ``zone``), or a spreadsheet or ISO
    moment (in ``zone`` unless it names an offset); ValueError otherwise.

    >>> from datetime import UTC
    >>> moment_of("2026-03-01", UTC, time(12)).isoformat(), moment_of("2026-03-01 10:30+05:00", UTC, time()).hour
    ('2026-03-01T12:00:00+00:00', 10)
    """
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=zone)
    if isinstance(cell, date):
        return datetime.combine(cell, day_time, tzinfo=zone)
    text = text_of(cell)
    if not text:
        raise ValueError("empty")
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), day_time, tzinfo=zone)
    found = datetime.fromisoformat(text.replace(" ", "T", 1))
    return found if found.tzinfo else found.replace(tzinfo=zone)
