"""Vote files: ``VOTES.csv`` (party, votes[, registration_order]) and batch cases (JSON Lines).

Errors name the file, the row (line number, the header being row 1) and the column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from tandau.errors import InputError

REQUIRED = ("party", "votes")


def _int(text: str, file: str, row: int, column: str) -> int:
    raw = text.strip().replace("_", "").replace(" ", "").replace("\u00a0", "")
    if not raw.isdigit():
        raise InputError(f"expected a non-negative whole number, got {text!r}", file=file, row=row, column=column)
    return int(raw)


def read_votes_csv(path: str | Path) -> list[tuple[str, int]]:
    """Parties and votes in registration order (the ``registration_order`` column, else file order)."""
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=name) from None
    if not rows:
        raise InputError("the file is empty; expected a header party,votes[,registration_order]", file=name, row=1)
    header = [h.strip().lower() for h in rows[0]]
    for col in REQUIRED:
        if col not in header:
            raise InputError(f"missing column {col!r} (header: {', '.join(header)})", file=name, row=1, column=col)
    ip, iv = header.index("party"), header.index("votes")
    io = header.index("registration_order") if "registration_order" in header else None
    out: list[tuple[int, int, str, int]] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            missing = header[len(row)]
            raise InputError(f"row has {len(row)} fields, header has {len(header)}", file=name, row=n, column=missing)
        party = row[ip].strip()
        if not party:
            raise InputError("empty party name", file=name, row=n, column="party")
        if party in seen:
            raise InputError(f"party {party!r} already given in row {seen[party]}", file=name, row=n, column="party")
        seen[party] = n
        votes = _int(row[iv], name, n, "votes")
        order = _int(row[io], name, n, "registration_order") if io is not None else n
        out.append((order, n, party, votes))
    if not out:
        raise InputError("no parties in the file", file=name, row=2)
    out.sort()
    return [(party, votes) for _, _, party, votes in out]


@dataclass(frozen=True, slots=True)
class BatchCase:
    """One line of a batch file."""

    row: int
    parties: tuple[str, ...]
    votes: tuple[int, ...]
    seats: int
    method: str | None
    rules: str | None
    threshold: Fraction | None
    other_valid_votes: int


_SHARES: dict[Any, Fraction | None] = {}


def _share(value: Any, file: str, row: int) -> Fraction | None:
    if value is None:
        return None
    try:
        return _SHARES[value]
    except (KeyError, TypeError):
        pass
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"expected a number or a percentage, got {value!r}", file=file, row=row, column="threshold")
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            share = Fraction(value.strip()[:-1]) / 100
        else:
            share = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"expected a share such as 0.05 or '5%', got {value!r}", file=file, row=row,
                         column="threshold") from None
    if not 0 <= share < 1:
        raise InputError(f"threshold must be in [0, 1), got {value!r}", file=file, row=row, column="threshold")
    _SHARES[value] = share
    return share


def _case(obj: Any, file: str, row: int) -> BatchCase:
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object", file=file, row=row)
    votes = obj.get("votes")
    if not isinstance(votes, dict) or not votes:
        raise InputError("expected an object {party: votes}", file=file, row=row, column="votes")
    counts = tuple(votes.values())
    if set(map(type, counts)) != {int} or min(counts) < 0:
        party, v = next((p, v) for p, v in votes.items() if type(v) is not int or v < 0)
        raise InputError(f"votes of {party!r} must be a non-negative integer, got {v!r}", file=file, row=row,
                             column="votes")
    seats = obj.get("seats")
    if type(seats) is not int or seats < 1:
        raise InputError(f"expected a positive integer, got {seats!r}", file=file, row=row, column="seats")
    method, rules = obj.get("method"), obj.get("rules")
    if (method is None) == (rules is None) or not isinstance(method or rules, str):
        raise InputError("give exactly one of 'method' and 'rules' (a string id)", file=file, row=row,
                         column="method")
    other = obj.get("other_valid_votes", 0)
    if type(other) is not int or other < 0:
        raise InputError(f"expected a non-negative integer, got {other!r}", file=file, row=row,
                         column="other_valid_votes")
    return BatchCase(row, tuple(votes), counts, seats, method, rules,
                     _share(obj.get("threshold"), file, row), other)


def iter_batch(path: str | Path) -> Iterator[BatchCase]:
    """Cases of a JSON Lines file, one per non-empty line, validated."""
    name = str(path)
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    with fh:
        numbered = [(n, line) for n, line in enumerate(fh, start=1) if line.strip()]
    try:  # one parser call for the whole file; on error, find the line
        objs = json.loads("[" + ",".join(line for _, line in numbered) + "]")
    except json.JSONDecodeError:
        objs = None
    if objs is None or len(objs) != len(numbered):
        objs = []
        for n, line in numbered:
            try:
                objs.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg} (character {exc.colno})", file=name, row=n) from None
    for (n, _), obj in zip(numbered, objs, strict=True):
        yield _case(obj, name, n)


def _rows(path: str | Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    if not rows:
        raise InputError(f"the file is empty; expected a header with {', '.join(required)}", file=name, row=1)
    header = [h.strip().lower() for h in rows[0]]
    for col in required:
        if col not in header:
            raise InputError(f"missing column {col!r}", file=name, row=1, column=col)
    out = [(n, dict(zip(header, (c.strip() for c in row), strict=False)))
           for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    return header, out


def read_shares_csv(path: str | Path) -> dict[str, float]:
    """``party, share`` (a fraction or a percentage such as 12.5%) for what-if simulation."""
    _, rows = _rows(path, ("party", "share"))
    out: dict[str, float] = {}
    for n, row in rows:
        raw = row.get("share", "")
        try:
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise InputError(f"expected a share such as 0.125 or 12.5%, got {raw!r}", file=str(path), row=n,
                             column="share") from None
        if value < 0:
            raise InputError("a share cannot be negative", file=str(path), row=n, column="share")
        out[row["party"]] = value
    return out


def read_candidates_csv(path: str | Path) -> list[Any]:
    """An ordered party list: ``id, name, sex[, birth_date, votes, tags]`` (tags separated by ``;``)."""
    from datetime import date

    from tandau.core.candidates import Candidate

    _, rows = _rows(path, ("id", "name", "sex"))
    out = []
    for pos, (n, row) in enumerate(rows):
        sex = row["sex"].upper()
        if sex not in ("F", "M"):
            raise InputError(f"sex must be F or M, got {row['sex']!r}", file=str(path), row=n, column="sex")
        birth = None
        if row.get("birth_date"):
            try:
                birth = date.fromisoformat(row["birth_date"])
            except ValueError:
                raise InputError(f"expected a date YYYY-MM-DD, got {row['birth_date']!r}", file=str(path), row=n,
                                 column="birth_date") from None
        votes = _int(row["votes"], str(path), n, "votes") if row.get("votes") else 0
        tags = frozenset(t.strip() for t in row.get("tags", "").split(";") if t.strip())
        out.append(Candidate(row["id"], row["name"], sex, birth, votes, tags, pos))  # type: ignore[arg-type]
    return out
