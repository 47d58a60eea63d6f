"""PROPOSALS.csv (issue 13, item 6; docs/proposals.md): citizens' proposals to classify or to train on, CSV or XLSX.

Columns: ``id`` and ``text`` are required; ``lang`` (kk, ru or mixed), ``theme`` (a theme code), ``territory``,
``age`` (whole years), ``channel``, ``submitted_at`` (YYYY-MM-DD) and ``split`` (train or test, in the labelled
set) are optional. Ids are unique. A labelled file (:func:`read_labelled`) needs a theme on every row.

Reading is all or nothing: the first problem raises an :class:`~tandau.errors.InputError` naming the file, the
row (as a spreadsheet numbers it: the header is row 1) and the column. The table reading (delimiters, BOM, XLSX,
blank rows, case-insensitive headers) is the import helper shared with the other readers
(:mod:`tandau.services.primaries._tabular`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tandau.core.proposals.themes import THEME_CODES
from tandau.errors import InputError
from tandau.services.primaries._tabular import Cell, Table, date_of, parse_table, read_table, text_of

__all__ = ["LANGS", "OPTIONAL", "REQUIRED", "SPLITS", "Proposal", "parse_proposals", "read_labelled",
           "read_proposals"]

REQUIRED = ("id", "text")
OPTIONAL = ("lang", "theme", "territory", "age", "channel", "submitted_at", "split")
LANGS = ("kk", "ru", "mixed")
SPLITS = ("train", "test")
MAX_TEXT = 20_000  # characters; a longer cell is refused rather than silently cut


@dataclass(frozen=True, slots=True)
class Proposal:
    """One row of PROPOSALS.csv; ``row`` is its spreadsheet row number."""

    id: str
    text: str
    row: int
    lang: str | None = None
    theme: str | None = None
    territory: str | None = None
    age: int | None = None
    channel: str | None = None
    submitted_at: date | None = None
    split: str | None = None


def _error(table: Table, number: int, column: str, problem: str) -> InputError:
    return InputError(problem, file=table.file, row=number, column=column)


def _choice(table: Table, number: int, column: str, value: str, valid: tuple[str, ...]) -> str | None:
    if not value:
        return None
    if value not in valid:
        raise _error(table, number, column, f"expected one of {', '.join(valid)}, got {value!r}")
    return value


def _optional(table: Table, number: int, cells: Mapping[str, Cell], labelled: bool) -> dict[str, object]:
    """The optional columns of one row, validated."""
    lang = _choice(table, number, "lang", text_of(cells.get("lang")).lower(), LANGS)
    theme = _choice(table, number, "theme", text_of(cells.get("theme")).lower(), THEME_CODES)
    if labelled and theme is None:
        raise _error(table, number, "theme", f"empty; a labelled proposal needs a theme ({', '.join(THEME_CODES)})")
    split = _choice(table, number, "split", text_of(cells.get("split")).lower(), SPLITS)
    age_text = text_of(cells.get("age"))
    age: int | None = None
    if age_text:
        if not age_text.isdigit() or not 0 < int(age_text) < 130:
            raise _error(table, number, "age", f"expected whole years between 1 and 129, got {age_text!r}")
        age = int(age_text)
    submitted: date | None = None
    if text_of(cells.get("submitted_at")):
        try:
            submitted = date_of(cells.get("submitted_at"))
        except ValueError:
            raise _error(table, number, "submitted_at", f"expected a date as YYYY-MM-DD, got "
                                                        f"{text_of(cells.get('submitted_at'))!r}") from None
    return {"lang": lang, "theme": theme, "territory": text_of(cells.get("territory")) or None, "age": age,
            "channel": text_of(cells.get("channel")) or None, "submitted_at": submitted, "split": split}


def parse_proposals(table: Table, *, labelled: bool = False) -> tuple[Proposal, ...]:
    """The proposals of ``table``; with ``labelled`` every row needs a theme."""
    out: list[Proposal] = []
    first_row: dict[str, int] = {}
    columns = set(table.rows[0][1]) if table.rows else set()
    optional = labelled or any(c in columns for c in OPTIONAL)
    for number, cells in table.rows:
        pid = text_of(cells.get("id"))
        if not pid:
            raise _error(table, number, "id", "empty; every proposal needs an id")
        if pid in first_row:
            raise _error(table, number, "id", f"duplicate id {pid!r} (first in row {first_row[pid]}); ids must be "
                                              "unique")
        first_row[pid] = number
        text = text_of(cells.get("text"))
        if not text:
            raise _error(table, number, "text", "empty; the proposal's text is required")
        if len(text) > MAX_TEXT:
            raise _error(table, number, "text", f"{len(text)} characters; at most {MAX_TEXT} are accepted")
        extra = _optional(table, number, cells, labelled) if optional else {}
        out.append(Proposal(pid, text, number, **extra))  # type: ignore[arg-type]
    if not out:
        raise InputError("no proposals in the file; row 1 is the header, proposals start in row 2", file=table.file)
    return tuple(out)


def read_proposals(path: Path) -> tuple[Proposal, ...]:
    """Read and validate a PROPOSALS.csv (or .xlsx) file."""
    return parse_proposals(read_table(path, REQUIRED))


def read_labelled(path: Path | None = None) -> tuple[Proposal, ...]:
    """Read a labelled file (a theme on every row); without ``path``, the labelled set shipped with Tandau."""
    if path is not None:
        return parse_proposals(read_table(path, (*REQUIRED, "theme")), labelled=True)
    from tandau.io.proposals_model import packaged_labelled_bytes

    return parse_proposals(parse_table(packaged_labelled_bytes(), "labelled.csv", (*REQUIRED, "theme")),
                           labelled=True)
