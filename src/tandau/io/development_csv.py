"""DEVELOPMENT.csv (issue 13, item 2; docs/programmes.md): development-programme indicators, as CSV or XLSX; the
PROPOSALS.csv theme counts the drafting help orders sections by; the territory units the synthetic set is made for.

DEVELOPMENT columns: ``territory, programme, indicator, unit, year, value, kind`` (baseline | plan), optional
``section`` (the theme taxonomy; overrides the registry's) and ``source``. Reading is all or nothing: an
:class:`~tandau.errors.InputError` names the file, the row (the header is row 1) and the column — a territory
that is not the 9-digit KATO code of a region, city or district of the territory data (2023 layout), an empty
programme, indicator or unit, a year outside 1991-2100, a value that is not an exact number, a kind or section
outside their values, and what makes the rows no development programme (a second baseline of a series, a series
without one, a plan year not after the baseline, a unit or section changing within a series; the earlier row is
named). The table reading is the control module's (:mod:`tandau.io.control_csv`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

from tandau.core.programmes.development import DEV_KINDS, DevelopmentSet, DevIndicator, DevKind, check_indicators
from tandau.core.programmes.model import SECTIONS
from tandau.core.programmes.synthetic_dev import DevUnit
from tandau.errors import InputError
from tandau.io.control_csv import _Row
from tandau.io.programme_csv import YEARS, territory_names
from tandau.services.primaries._tabular import Table, read_table

COLUMNS = ("territory", "programme", "indicator", "unit", "year", "value", "kind")
OPTIONAL = ("section", "source")
PROPOSAL_COLUMNS = ("id", "territory", "theme")


def _territory(row: _Row) -> str:
    value = row.text("territory")
    if value not in territory_names():
        raise row.error("territory", f"unknown territory {value!r}: expected the 9-digit KATO code of a region, city "
                                     "or district (590000000 North Kazakhstan Region, 591000000 Petropavl, 593200000 "
                                     "Aiyrtau District; a district of Astana, Almaty or Shymkent ends in 10000)")
    return value


def _year(row: _Row) -> int:
    text = row.text("year")
    if not (text.isdigit() and YEARS[0] <= int(text) <= YEARS[1]):
        raise row.error("year", f"expected a year between {YEARS[0]} and {YEARS[1]}, got {text!r}")
    return int(text)


def _section(row: _Row) -> str:
    value = row.text("section", required=False).lower()
    if value and value not in SECTIONS:
        raise row.error("section", f"unknown section {value!r}; valid: {', '.join(SECTIONS)} (or empty)")
    return value


def parse_development(table: Table) -> DevelopmentSet:
    """The development indicators of a table, checked (see the module's docstring)."""
    return parse_development_rows(table)[0]


def parse_development_rows(table: Table, *, complete: bool = True) -> tuple[DevelopmentSet, tuple[int, ...]]:
    """The development indicators of a table, with the row number (the header is row 1) of each. ``complete``:
    the rows must make a development programme on their own (every series with its baseline...); an import
    into the database checks them together with what is stored instead (an amendment may bring plan values
    only)."""
    rows: list[DevIndicator] = []
    numbers: list[int] = []
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        territory = _territory(row)
        value = cast(Decimal, row.decimal("value"))  # required: never None
        rows.append(DevIndicator(
            territory, row.text("programme"), row.text("indicator"), row.text("unit"), _year(row), value,
            cast(DevKind, row.choice("kind", DEV_KINDS)), _section(row), row.text("source", required=False)))
        numbers.append(number)
    if not rows:
        raise InputError("no indicators in the file", file=table.file)
    problems = check_indicators(rows) if complete else ()
    if problems:
        p = problems[0]
        other = f" (row {numbers[p.other]})" if p.other is not None else ""
        raise InputError(p.problem + other, file=table.file, row=numbers[p.index], column=p.column)
    return DevelopmentSet(tuple(rows)), tuple(numbers)


def read_development(path: Path) -> DevelopmentSet:
    """Read and check a DEVELOPMENT.csv (or .xlsx) file."""
    return parse_development(read_table(path, COLUMNS))


def read_development_rows(path: Path, *, complete: bool = True) -> tuple[DevelopmentSet, tuple[int, ...]]:
    """Read a DEVELOPMENT.csv (or .xlsx) file, with each indicator's row number (``complete``: see
    :func:`parse_development_rows`)."""
    return parse_development_rows(read_table(path, COLUMNS), complete=complete)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def development_csv(rows: Iterable[DevIndicator]) -> str:
    """The rows as DEVELOPMENT.csv text (every column, ``section`` and ``source`` included)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, *OPTIONAL))
    for r in rows:
        writer.writerow((r.territory, r.programme, r.indicator, r.unit, r.year, _plain(r.value), r.kind, r.section,
                         r.source))
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Proposal:
    """A voter's proposal as the drafting help counts it: its id, territory (9-digit KATO, any level) and theme."""

    id: str
    territory: str
    theme: str


def parse_proposals(table: Table) -> tuple[Proposal, ...]:
    """PROPOSALS.csv: ``id`` (unique), ``territory`` (9 digits: a region, city, district or a smaller settlement),
    ``theme`` (the theme taxonomy); extra columns ignored."""
    seen: dict[str, int] = {}
    out: list[Proposal] = []
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        pid = row.text("id")
        if pid in seen:
            raise row.error("id", f"proposal {pid!r} is already in row {seen[pid]}; ids must be unique")
        seen[pid] = number
        territory = row.text("territory")
        if not (len(territory) == 9 and territory.isdigit()):
            raise row.error("territory", f"expected a 9-digit KATO code, got {territory!r}")
        theme = row.text("theme").lower()
        if theme not in SECTIONS:
            raise row.error("theme", f"unknown theme {theme!r}; valid: {', '.join(SECTIONS)}")
        out.append(Proposal(pid, territory, theme))
    return tuple(out)


def read_proposals(path: Path) -> tuple[Proposal, ...]:
    """Read a PROPOSALS.csv (or .xlsx) file."""
    return parse_proposals(read_table(path, PROPOSAL_COLUMNS))


def kato_code(unit_id: str, kind: str) -> str:
    """The 9-digit KATO code of a territory unit (docs/programmes.md): ``XX0000000``, ``XXXX00000``, city districts
    ``XXXX10000``."""
    if kind in ("region", "republican_city"):
        return unit_id + "0000000"
    return unit_id + ("10000" if kind == "city_district" else "00000")


def kz_units() -> tuple[DevUnit, ...]:
    """Every region, city of republican significance, city, district and city district of Kazakhstan's 2023 layout,
    with its population (None where the territory data has none) and its parent's code."""
    from tandau.io.territory import load_kz

    units = [u for u in load_kz("2023").units if u.kind != "country"]
    kinds = {u.id: u.kind for u in units}
    return tuple(DevUnit(kato_code(u.id, u.kind), u.kind, u.population,
                         kato_code(u.parent, kinds[u.parent]) if u.parent in kinds else None) for u in units)
