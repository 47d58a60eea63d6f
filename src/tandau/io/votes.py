"""Vote files: ``VOTES.csv`` (party, votes[, registration_order]) and batch cases (JSON Lines).

Errors name the file, the row (line number, the header being row 1) and the column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tandau.errors import InputError

if TYPE_CHECKING:
    from tandau.core.seats.batch import BatchCases, BatchOutcome

REQUIRED = ("party", "votes")
#: largest house a batch case may ask for (far above any assembly; keeps every count inside int64)
MAX_SEATS = 1_000_000


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
    if type(seats) is not int or not 1 <= seats <= MAX_SEATS:
        raise InputError(f"expected a whole number of seats from 1 to {MAX_SEATS:,}, got {seats!r}", file=file,
                         row=row, column="seats")
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


def _lines(path: str | Path) -> tuple[str, list[int], list[Any]]:
    """The file's non-empty lines as JSON values, parsed in one call (on an error, line by line to name it)."""
    name = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=name) from None
    lines = text.splitlines()
    if all(map(str.strip, lines)):
        rows = list(range(1, len(lines) + 1))
    else:
        rows = [n for n, line in enumerate(lines, start=1) if line.strip()]
        lines = [lines[n - 1] for n in rows]
    try:  # one parser call for the whole file; on error, find the line
        objs = json.loads("[" + ",".join(lines) + "]")
    except json.JSONDecodeError:
        objs = None
    if objs is None or len(objs) != len(lines):
        objs = []
        for n, line in zip(rows, lines, strict=True):
            try:
                objs.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg} (character {exc.colno})", file=name, row=n) from None
    return name, rows, objs


def iter_batch(path: str | Path) -> Iterator[BatchCase]:
    """Cases of a JSON Lines file, one per non-empty line, validated one by one."""
    name, rows, objs = _lines(path)
    for n, obj in zip(rows, objs, strict=True):
        yield _case(obj, name, n)


def _column(objs: list[dict[str, Any]], key: str, default: Any = None) -> list[Any]:
    return list(map(dict.get, objs, repeat(key), repeat(default)))


def _bulk(name: str, rows: list[int], objs: list[Any]) -> BatchCases | None:
    """Columns validated in bulk (a few C-level passes over the whole file), or None if any case needs a look."""
    from tandau.core.seats.batch import BatchCases

    if set(map(type, objs)) != {dict}:
        return None
    tables = _column(objs, "votes")
    if set(map(type, tables)) != {dict}:
        return None
    lengths = list(map(len, tables))
    votes = list(chain.from_iterable(map(dict.values, tables)))
    seats = _column(objs, "seats")
    if min(lengths) < 1 or set(map(type, votes)) != {int} or min(votes) < 0:
        return None
    if set(map(type, seats)) != {int} or min(seats) < 1 or max(seats) > MAX_SEATS:
        return None
    methods, rules = _column(objs, "method"), _column(objs, "rules")
    simple = set(rules) == {None} and set(map(type, methods)) == {str}
    if not simple and not all((m is None) != (r is None) and isinstance(m or r, str)
                              for m, r in zip(methods, rules, strict=True)):
        return None
    other = _column(objs, "other_valid_votes", 0)
    if set(map(type, other)) != {int} or min(other) < 0:
        return None
    raw = _column(objs, "threshold")
    if not set(map(type, raw)) <= {type(None), int, float, str}:
        return None
    shares = {value: _share(value, name, rows[raw.index(value)]) for value in set(raw)}
    distinct = list(dict.fromkeys(shares.values()))
    code = {value: distinct.index(share) for value, share in shares.items()}
    return BatchCases(rows, list(map(tuple, tables)), lengths, votes, seats, methods, rules,
                      list(map(code.__getitem__, raw)), distinct, other)


def read_batch(path: str | Path) -> BatchCases:
    """Every case of a JSON Lines batch file as columns (:class:`tandau.core.seats.batch.BatchCases`), validated.

    The whole file is checked in bulk; if anything looks wrong, each case is checked in turn so that the error
    names the file, the row (line number) and the column.
    """
    from tandau.core.seats.batch import BatchCases

    name, rows, objs = _lines(path)
    if not objs:
        raise InputError("no cases in the file", file=name, row=1)
    table = _bulk(name, rows, objs)
    if table is not None:
        return table
    cases = [_case(obj, name, n) for n, obj in zip(rows, objs, strict=True)]
    distinct = list(dict.fromkeys(c.threshold for c in cases))
    code = {share: k for k, share in enumerate(distinct)}
    return BatchCases(rows, [c.parties for c in cases], [len(c.votes) for c in cases],
                      [v for c in cases for v in c.votes], [c.seats for c in cases], [c.method for c in cases],
                      [c.rules for c in cases], [code[c.threshold] for c in cases], distinct,
                      [c.other_valid_votes for c in cases])


def format_batch(cases: BatchCases, outcome: BatchOutcome) -> str:
    """One JSON line per case, ``{"seats": {party: seats}}`` or ``{"error": message}``, in one string.

    A format template is built once per distinct list of parties and filled for all cases in one operation.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    templates: dict[tuple[str, ...], str] = {}
    parts: list[str] = []
    for parties in cases.parties:
        t = templates.get(parties)
        if t is None:
            body = ", ".join(encode(p).replace("%", "%%") + ": %d" for p in parties)
            t = templates[parties] = '{"seats": {' + body + "}}\n"
        parts.append(t)
    values = outcome.seats
    if outcome.errors:
        starts = [0, *accumulate(cases.lengths)]
        for i, message in outcome.errors.items():
            parts[i] = encode({"error": message}).replace("%", "%%") + "\n"
        values = [v for i in range(len(parts)) if i not in outcome.errors for v in values[starts[i]:starts[i + 1]]]
    return "".join(parts) % tuple(values)


def csv_rows(path: str | Path, required: tuple[str, ...], *, strict: bool = False
             ) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower case) and the non-empty rows of a UTF-8 CSV file as (row number, {column: value}), every
    ``required`` column present; ``strict`` refuses a row with more fields than the header (else they are
    dropped). InputError naming the file, row and column."""
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=name) from None
    if not rows:
        raise InputError(f"the file is empty; expected a header with {', '.join(required)}", file=name, row=1)
    header = [h.strip().lower() for h in rows[0]]
    for col in required:
        if col not in header:
            raise InputError(f"missing column {col!r} (header: {', '.join(header)})", file=name, row=1, column=col)
    out: list[tuple[int, dict[str, str]]] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if strict and len(row) > len(header):
            raise InputError(f"row has {len(row)} fields, header has {len(header)}", file=name, row=n)
        out.append((n, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}))
    return header, out


def read_shares_csv(path: str | Path) -> dict[str, float]:
    """``party, share`` (a fraction or a percentage such as 12.5%) for what-if simulation."""
    _, rows = csv_rows(path, ("party", "share"))
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

    _, rows = csv_rows(path, ("id", "name", "sex"))
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
