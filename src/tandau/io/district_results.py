"""Mixed-council files: single-member results (``RESULTS.csv``, by-elections), party lists in one file
(``LISTS.csv``) and district vote-share estimates (``ESTIMATES.csv``).

UTF-8 (a BOM is accepted), a header row; errors name the file, the row (the header is row 1) and the column.
Reading is all or nothing: a file (or a results file and its by-elections file) is validated whole before anything
is returned, so a bad row never leaves half an import behind.

``RESULTS.csv``: ``district, winner, party`` required; ``votes, by_election, vacated, id, sex, birth_date, tags``
optional. One row per election in a district: its general election (``by_election`` empty) and each by-election
(``by_election=YYYY-MM-DD``); ``vacated=YYYY-MM-DD`` on a winner's row says when that winner left the seat. An
empty ``party`` means self-nominated. A separate by-elections file has the same columns, ``by_election`` required.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from tandau.core.candidates import Candidate, Sex
from tandau.core.seats.mixed import INDEPENDENT, DistrictResult
from tandau.core.seats.mixed_sim import DistrictEstimate
from tandau.errors import InputError
from tandau.io.votes import csv_rows

RESULT_COLUMNS = ("district", "winner", "party")
RESULT_OPTIONAL = ("votes", "by_election", "vacated", "id", "sex", "birth_date", "tags")
ESTIMATE_COLUMNS = ("district", "party", "share")
LIST_COLUMNS = ("party", "id", "name", "sex")


def _read(path: Path | str, required: tuple[str, ...]) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    _header, rows = csv_rows(path, required, strict=True)
    if not rows:
        raise InputError("no rows after the header", file=str(path), row=2)
    return str(path), rows


def _date(text: str, file: str, row: int, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date as YYYY-MM-DD, got {text!r}", file=file, row=row, column=column) from None


def _sex(text: str, file: str, row: int) -> Sex | None:
    if not text:
        return None
    value = text.upper()
    if value not in ("F", "M"):
        raise InputError(f"sex must be F or M, got {text!r}", file=file, row=row, column="sex")
    return "F" if value == "F" else "M"


def _whole(text: str, file: str, row: int, column: str) -> int | None:
    if not text:
        return None
    raw = text.replace("_", "").replace(" ", "").replace("\u00a0", "").replace(",", "")
    if not raw.isdigit():
        raise InputError(f"expected a non-negative whole number, got {text!r}", file=file, row=row, column=column)
    return int(raw)


def _share(text: str, file: str, row: int, column: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(f"expected a share such as 0.41 or 41%, got {text!r}", file=file, row=row,
                         column=column) from None
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise InputError(f"a share must lie between 0 and 1 (0% and 100%), got {text!r}", file=file, row=row,
                         column=column)
    return value


def read_district_results(path: Path | str, *, by_elections: bool = False) -> list[DistrictResult]:
    """The rows of a ``RESULTS.csv`` (``by_elections``: every row must carry a ``by_election`` day)."""
    name, rows = _read(path, RESULT_COLUMNS)
    out: list[DistrictResult] = []
    for n, r in rows:
        if not r["district"]:
            raise InputError("empty district", file=name, row=n, column="district")
        if not r["winner"]:
            raise InputError("empty winner (a vacancy is the 'vacated' day on the row of the winner who left)",
                             file=name, row=n, column="winner")
        by = _date(r.get("by_election", ""), name, n, "by_election")
        if by_elections and by is None:
            raise InputError("a by-elections file needs the by-election day (YYYY-MM-DD)", file=name, row=n,
                             column="by_election")
        tags = frozenset(t.strip().lower() for t in r.get("tags", "").split(";") if t.strip())
        out.append(DistrictResult(r["district"], r["winner"], r["party"] or INDEPENDENT,
                                  _whole(r.get("votes", ""), name, n, "votes"), by,
                                  _date(r.get("vacated", ""), name, n, "vacated"), r.get("id", ""),
                                  _sex(r.get("sex", ""), name, n), _date(r.get("birth_date", ""), name, n,
                                                                         "birth_date"), tags, name, n))
    return out


def read_results(path: Path | str, by_elections: Path | str | None = None) -> list[DistrictResult]:
    """A results file and, optionally, a separate by-elections file, read whole (both or neither)."""
    rows = read_district_results(path)
    if by_elections is not None:
        rows += read_district_results(by_elections, by_elections=True)
    return rows


def read_party_lists(path: Path | str) -> dict[str, list[Candidate]]:
    """``LISTS.csv``: every party's registered list in one file, the columns of ``LIST.csv`` (``id, name, sex[,
    birth_date, votes, tags]``) plus ``party``; within a party, file order is list order."""
    name, rows = _read(path, LIST_COLUMNS)
    lists: dict[str, list[Candidate]] = {}
    seen: dict[str, int] = {}
    for n, r in rows:
        if not r["party"]:
            raise InputError("empty party", file=name, row=n, column="party")
        if not r["id"]:
            raise InputError("empty id", file=name, row=n, column="id")
        if r["id"] in seen:
            raise InputError(f"id {r['id']!r} already on row {seen[r['id']]}", file=name, row=n, column="id")
        seen[r["id"]] = n
        sex = _sex(r["sex"], name, n)
        if sex is None:
            raise InputError("sex must be F or M, got ''", file=name, row=n, column="sex")
        party = lists.setdefault(r["party"], [])
        tags = frozenset(t.strip().lower() for t in r.get("tags", "").split(";") if t.strip())
        party.append(Candidate(r["id"], r["name"], sex, _date(r.get("birth_date", ""), name, n, "birth_date"),
                               _whole(r.get("votes", ""), name, n, "votes") or 0, tags, len(party)))
    return lists


def read_district_estimates(path: Path | str) -> list[DistrictEstimate]:
    """``ESTIMATES.csv``: ``district, party, share`` (0.41 or 41%) required; ``sigma`` (same units), ``id, name,
    sex, birth_date`` optional; one row per candidate; an empty party means self-nominated."""
    name, rows = _read(path, ESTIMATE_COLUMNS)
    out: list[DistrictEstimate] = []
    for n, r in rows:
        if not r["district"]:
            raise InputError("empty district", file=name, row=n, column="district")
        share = _share(r["share"], name, n, "share")
        if share is None:
            raise InputError("empty share", file=name, row=n, column="share")
        out.append(DistrictEstimate(r["district"], r["party"] or INDEPENDENT, share,
                                    _share(r.get("sigma", ""), name, n, "sigma"), r.get("id", ""), r.get("name", ""),
                                    _sex(r.get("sex", ""), name, n),
                                    _date(r.get("birth_date", ""), name, n, "birth_date"), name, n))
    return out
