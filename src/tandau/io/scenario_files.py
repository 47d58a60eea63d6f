"""Reading a scenario directory written by ``tandau demo generate`` (docs/scenario.md).

``scenario.json`` (election date, layout, seed), ``councils.csv`` (one council a row, with its list length)
and ``candidates.csv`` (one candidate a row, grouped by council_id, the CANDIDATES.csv columns plus
council_id).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tandau.core.candidates import Candidate
from tandau.errors import InputError
from tandau.io.candidates_csv import parse_candidates, parse_date

COUNCIL_COLUMNS = ("council_id", "name", "level", "region_id", "region_name", "seats", "list_length")


@dataclass(frozen=True, slots=True)
class ScenarioCouncil:
    """A council of the scenario with its candidates (in nomination order)."""

    council_id: str
    name: str
    level: str
    region_id: str
    region_name: str
    seats: int
    list_length: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    election_date: date
    layout: str
    synthetic: bool
    councils: tuple[ScenarioCouncil, ...]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("missing file in the scenario directory", file=str(path)) from None


def read_scenario(directory: Path) -> Scenario:
    """Validate and read a scenario directory; errors name the file, row and column."""
    meta_path = directory / "scenario.json"
    try:
        meta = json.loads(_read(meta_path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", file=str(meta_path)) from None
    if "election_date" not in meta:
        raise InputError("missing key 'election_date'", file=str(meta_path))
    election = parse_date(str(meta["election_date"]), file=str(meta_path), row=1, column="election_date")
    councils_path = directory / "councils.csv"
    reader = csv.DictReader(io.StringIO(_read(councils_path)))
    for column in COUNCIL_COLUMNS:
        if column not in (reader.fieldnames or []):
            raise InputError(f"missing column {column!r}", file=str(councils_path))
    rows = list(reader)
    cand_path = directory / "candidates.csv"
    cand_text = _read(cand_path)
    lines = cand_text.splitlines(keepends=True)
    if not lines:
        raise InputError("empty file", file=str(cand_path))
    header = lines[0]
    columns = next(csv.reader([header]))
    if "council_id" not in columns:
        raise InputError("missing column 'council_id'", file=str(cand_path))
    col = columns.index("council_id")
    by_council: dict[str, list[str]] = {}
    first_row: dict[str, int] = {}
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        council_id = next(csv.reader([line]))[col]
        by_council.setdefault(council_id, []).append(line)
        first_row.setdefault(council_id, line_no)
    councils = []
    known = set()
    for row_no, row in enumerate(rows, start=2):
        cid = row["council_id"]
        known.add(cid)
        try:
            seats, length = int(row["seats"]), int(row["list_length"])
        except ValueError:
            raise InputError("seats and list_length must be whole numbers", file=str(councils_path),
                             row=row_no) from None
        chunk = header + "".join(by_council.get(cid, []))
        try:
            cands = parse_candidates(chunk, str(cand_path)) if cid in by_council else []
        except InputError as exc:  # re-anchor the row number on the whole file
            offset = first_row.get(cid, 2) - 2
            raise InputError(exc.problem, file=str(cand_path), row=(exc.row or 0) + offset if exc.row else None,
                             column=exc.column) from None
        councils.append(ScenarioCouncil(cid, row["name"], row["level"], row["region_id"], row["region_name"],
                                        seats, length, tuple(cands)))
    stray = set(by_council) - known
    if stray:
        cid = sorted(stray)[0]
        raise InputError(f"council_id {cid!r} is not in councils.csv", file=str(cand_path), row=first_row[cid],
                         column="council_id")
    return Scenario(election, str(meta.get("layout", "")), bool(meta.get("synthetic", False)), tuple(councils))
