"""CANDIDATES.csv: one candidate a row (docs/formats.md).

Required columns: id, name, sex (F or M), birth_date (YYYY-MM-DD, may be empty when no rule counts ages),
votes (a whole number ≥ 0), tags (semicolon-separated, may be empty). Optional: order (nomination order;
row order otherwise), position (for a list to check). Other columns are kept. Rows are numbered as lines of
the file: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from tandau.core.candidates import Candidate, Sex
from tandau.errors import InputError

REQUIRED = ("id", "name", "sex", "birth_date", "votes", "tags")
KNOWN = (*REQUIRED, "order", "position")


def parse_date(text: str, *, file: str, row: int, column: str) -> date:
    """A YYYY-MM-DD date or an :class:`InputError` naming where it was."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"expected a date as YYYY-MM-DD, got {text!r}", file=file, row=row, column=column) from None


def _int(text: str, *, file: str, row: int, column: str, minimum: int = 0) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(f"expected a whole number, got {text!r}", file=file, row=row, column=column) from None
    if value < minimum:
        raise InputError(f"expected a number ≥ {minimum}, got {value}", file=file, row=row, column=column)
    return value


def candidate_fields(row: dict[str | None, Any], *, file: str, row_no: int, seen: dict[str, int],
                     require_birth_dates: bool) -> tuple[str, Sex, date | None, int, frozenset[str]]:
    """The id (unique: ``seen`` maps ids to their first row), sex, birth date, votes and tags of a candidate row
    (CANDIDATES.csv, DISTRICTS.csv); InputError naming file, row and column."""
    if None in row:
        raise InputError(f"{len(row[None]) if row[None] else 0} value(s) more than the header has", file=file,
                         row=row_no)
    cid = (row["id"] or "").strip()
    if not cid:
        raise InputError("empty id", file=file, row=row_no, column="id")
    if cid in seen:
        raise InputError(f"duplicate id {cid!r} (first at row {seen[cid]})", file=file, row=row_no, column="id")
    seen[cid] = row_no
    sex_text = (row["sex"] or "").strip().upper()
    if sex_text not in ("F", "M"):
        raise InputError(f"sex must be F or M, got {row['sex']!r}", file=file, row=row_no, column="sex")
    sex: Sex = "F" if sex_text == "F" else "M"
    birth_text = (row["birth_date"] or "").strip()
    if not birth_text and require_birth_dates:
        raise InputError("empty birth date, and the rules count ages", file=file, row=row_no, column="birth_date")
    birth = parse_date(birth_text, file=file, row=row_no, column="birth_date") if birth_text else None
    votes = _int(row["votes"] or "", file=file, row=row_no, column="votes")
    tags = frozenset(t.strip().lower() for t in (row["tags"] or "").split(";") if t.strip())
    return cid, sex, birth, votes, tags


def parse_candidates(text: str, file: str = "<candidates>", require_birth_dates: bool = False) -> list[Candidate]:
    """Validate every row first; return the candidates in file order (or by ``position`` when present)."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for column in REQUIRED:
        if column not in header:
            raise InputError(f"missing column {column!r}; the file has {', '.join(header) or 'no header'}", file=file)
    out: list[tuple[int, Candidate]] = []
    seen: dict[str, int] = {}
    for row_no, row in enumerate(reader, start=2):
        cid, sex, birth, votes, tags = candidate_fields(row, file=file, row_no=row_no, seen=seen,
                                                        require_birth_dates=require_birth_dates)
        order = _int(row["order"], file=file, row=row_no, column="order") if (row.get("order") or "").strip() \
            else row_no - 1
        position = (row.get("position") or "").strip()
        key = _int(position, file=file, row=row_no, column="position", minimum=1) if position else row_no
        extra = {k: v for k, v in row.items() if k not in KNOWN and k is not None and v is not None}
        out.append((key, Candidate(cid, (row["name"] or "").strip(), sex, birth, votes, tags, order, extra)))
    if not out:
        raise InputError("no candidates in the file", file=file)
    positions = [k for k, _ in out]
    if "position" in header and len(set(positions)) != len(positions):
        raise InputError("the same position appears twice", file=file, column="position")
    return [c for _, c in sorted(out, key=lambda kc: kc[0])] if "position" in header else [c for _, c in out]


def read_candidates(path: Path, require_birth_dates: bool = False) -> list[Candidate]:
    """Read and validate a CANDIDATES.csv file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    return parse_candidates(text, str(path), require_birth_dates)
