"""DISTRICTS.csv (one row per candidate per district) and the nominees as JSON objects and CSV rows.

Required columns: district, id, name, sex (F or M), birth_date (YYYY-MM-DD, may be empty when no rule counts
ages), votes (a whole number ≥ 0), tags (semicolon-separated, may be empty). Other columns are kept. The
districts come in the order of their first row; within a district, file order is nomination order (it breaks
equal votes). Candidate ids are unique across the file. Rows are numbered as lines of the file: the header is
row 1.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tandau.core.candidates import Candidate
from tandau.core.nominees import District, NomineeResult
from tandau.core.rules import rule_id
from tandau.errors import InputError
from tandau.io.candidates_csv import candidate_fields

REQUIRED = ("district", "id", "name", "sex", "birth_date", "votes", "tags")
NOMINEES_CSV_COLUMNS = ("district", "id", "name", "sex", "votes", "votes_share", "primary_rank", "winner_id",
                        "pinned", "reason")


def parse_districts(text: str, file: str = "<districts>", require_birth_dates: bool = False) -> list[District]:
    """Validate every row; return the districts in order of first appearance."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for column in REQUIRED:
        if column not in header:
            raise InputError(f"missing column {column!r}; the file has {', '.join(header) or 'no header'}", file=file)
    by_district: dict[str, list[Candidate]] = {}
    seen: dict[str, int] = {}
    for row_no, row in enumerate(reader, start=2):
        district = (row.get("district") or "").strip()
        if not district and None not in row:
            raise InputError("empty district", file=file, row=row_no, column="district")
        cid, sex, birth, votes, tags = candidate_fields(row, file=file, row_no=row_no, seen=seen,
                                                        require_birth_dates=require_birth_dates)
        extra = {k: v for k, v in row.items() if k not in REQUIRED and k is not None and v is not None}
        by_district.setdefault(district, []).append(
            Candidate(cid, (row["name"] or "").strip(), sex, birth, votes, tags, row_no - 1, extra))
    if not by_district:
        raise InputError("no candidates in the file", file=file)
    return [District(d, tuple(cs)) for d, cs in by_district.items()]


def read_districts(path: Path, require_birth_dates: bool = False) -> list[District]:
    """Read and validate a DISTRICTS.csv file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    return parse_districts(text, str(path), require_birth_dates)


def nominees_to_json(result: NomineeResult) -> dict[str, Any]:
    """The JSON object of ``tandau nominees select``: "nominees" in district order, "departures", "checks";
    each reason's structured twin under "why" (codes in :mod:`tandau.core.nominees.reasons`)."""
    return {
        "nominees": [
            {
                "district": n.district,
                "id": n.candidate.id,
                "primary_rank": n.primary_rank,
                "reason": n.reason,
                "name": n.candidate.name,
                "votes": n.candidate.votes,
                "votes_share": n.votes_share,
                "winner_id": n.winner.id,
                "pinned": n.pinned,
                "why": None if n.why is None else n.why.to_json(),
            }
            for n in result.nominees
        ],
        "departures": result.departures,
        "checks": [
            {"rule": c.label, "ok": c.ok, "detail": c.detail, "enforced": c.enforced, "rule_id": rule_id(c.rule),
             "rule_why": c.label_reason.to_json(), "detail_why": None if c.why is None else c.why.to_json()}
            for c in result.checks
        ],
        "rank_sum": result.rank_sum,
    }


def nominees_to_csv(result: NomineeResult) -> str:
    """One row per district, in district order (columns :data:`NOMINEES_CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(NOMINEES_CSV_COLUMNS)
    for n in result.nominees:
        c = n.candidate
        writer.writerow([n.district, c.id, c.name, c.sex, c.votes, n.votes_share, n.primary_rank, n.winner.id,
                         "yes" if n.pinned else "", n.reason or ""])
    return buffer.getvalue()
