"""PROGRAMME.csv (issue 13, item 4; docs/programmes.md), as CSV or XLSX, and the TARGETS.csv it becomes.

Columns: ``commitment, territory, section, text_kk, text_ru, indicator, unit, baseline, baseline_year, target,
deadline, direction, budget_kzt, funding_source, responsible, development_indicator, proposals`` (proposal ids
separated by ``;``), optional ``kind`` (cumulative | level, default cumulative) and optional ``deputies`` (the ids of
the council's deputies responsible for the commitment, ``M-75-L03;M-75-D07``: issue 14, item 2). Every column must
be in the header; a value may be empty where the quality checks report it (indicator, unit, baseline, baseline
year, target, deadline, budget, responsible body, links). What cannot be read is bad input, all or nothing: an
:class:`~tandau.errors.InputError` names the file, the row (the header is row 1) and the column — an empty or
repeated commitment id, a territory that is not the 9-digit KATO code of a region, city or district of the
territory data (2023 layout), a section outside the theme taxonomy, no text in either language, a number, year
or date that is not one, a direction or kind outside their values, a deputy id that is not one (or, when the
reader is given the council's faction, not one of its deputies). An empty direction means ``increase``.

The table reading is the control module's (:mod:`tandau.io.control_csv`, itself the imports' shared reader).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import cast

from tandau.core.control.programmes.model import Target
from tandau.core.programmes.model import DIRECTIONS, KINDS, SECTIONS, Commitment, Direction, Kind, Programme
from tandau.errors import InputError
from tandau.io.control_csv import TARGET_COLUMNS, _Row, parse_targets, write_targets_csv
from tandau.services.primaries._tabular import Table, parse_table, read_table

COLUMNS = ("commitment", "territory", "section", "text_kk", "text_ru", "indicator", "unit", "baseline",
           "baseline_year", "target", "deadline", "direction", "budget_kzt", "funding_source", "responsible",
           "development_indicator", "proposals")
OPTIONAL = ("kind", "deputies")
YEARS = (1991, 2100)
DEPUTY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
MAX_DEPUTIES = 50


@lru_cache(maxsize=1)
def territory_names() -> dict[str, str]:
    """9-digit KATO code -> English name of every region, city and district of the territory data (2023 layout):
    ``XX0000000`` a region or city of republican significance, ``XXXX00000`` a district or city, ``XXXX10000`` a
    district of Astana, Almaty or Shymkent (one level lower in the classifier)."""
    from tandau.io.territory import load_kz

    out: dict[str, str] = {}
    for u in load_kz("2023").units:
        if u.kind in ("region", "republican_city"):
            out[u.id + "0000000"] = u.name
        elif u.kind == "city_district":
            out[u.id + "10000"] = u.name
        elif u.kind in ("district", "city"):
            out[u.id + "00000"] = u.name
    return out


def _territory(row: _Row) -> str:
    value = row.text("territory")
    if value not in territory_names():
        raise row.error("territory", f"unknown territory {value!r}: expected the 9-digit KATO code of a region, city "
                                     "or district (590000000 North Kazakhstan Region, 591000000 Petropavl, 593200000 "
                                     "Aiyrtau District; a district of Astana, Almaty or Shymkent ends in 10000: "
                                     "751210000)")
    return value


def _year(row: _Row) -> int | None:
    text = row.text("baseline_year", required=False)
    if not text:
        return None
    if not (text.isdigit() and YEARS[0] <= int(text) <= YEARS[1]):
        raise row.error("baseline_year", f"expected a year between {YEARS[0]} and {YEARS[1]}, got {text!r}")
    return int(text)


def _proposals(row: _Row) -> tuple[str, ...]:
    ids = (p.strip() for p in row.text("proposals", required=False).split(";"))
    return tuple(dict.fromkeys(p for p in ids if p))


def _deputies(row: _Row, faction: Collection[str] | None) -> tuple[str, ...]:
    ids = tuple(dict.fromkeys(p.strip() for p in row.text("deputies", required=False).split(";") if p.strip()))
    if len(ids) > MAX_DEPUTIES:
        raise row.error("deputies", f"at most {MAX_DEPUTIES} deputies per commitment, got {len(ids)}")
    for ident in ids:
        if not DEPUTY_ID.fullmatch(ident):
            raise row.error("deputies", f"{ident!r} is not a deputy id (such as M-75-L03 or M-5910-D07); separate "
                                        "ids with ';'")
        if faction is not None and ident not in faction:
            known = ", ".join(sorted(faction)[:6]) or "none: no deputies are recorded for this council"
            raise row.error("deputies", f"unknown deputy {ident!r}: not an active deputy of the council's faction "
                                        f"(its deputies: {known}{', ...' if len(faction) > 6 else ''})")
    return ids


def parse_programme(table: Table, faction: Collection[str] | None = None) -> Programme:
    """The programme of a table (see the module's docstring); ``faction``: the ids of the council's active
    deputies, against which the ``deputies`` column is checked (``None``: only their form is checked)."""
    seen: dict[str, int] = {}
    commitments: list[Commitment] = []
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        cid = row.text("commitment")
        if cid in seen:
            raise row.error("commitment", f"commitment {cid!r} is already in row {seen[cid]}; ids must be unique")
        seen[cid] = number
        territory = _territory(row)
        section = row.text("section").lower()
        if section not in SECTIONS:
            raise row.error("section", f"unknown section {section!r}; valid: {', '.join(SECTIONS)}")
        text_kk, text_ru = row.text("text_kk", required=False), row.text("text_ru", required=False)
        if not text_kk and not text_ru:
            raise row.error("text_kk", "no text: a commitment needs its wording in Kazakh (text_kk) or Russian "
                                       "(text_ru)")
        commitments.append(Commitment(
            cid, territory, section, text_kk, text_ru, row.text("indicator", required=False),
            row.text("unit", required=False), row.decimal("baseline", required=False), _year(row),
            row.decimal("target", required=False), row.day("deadline", required=False),
            cast(Direction, row.choice("direction", DIRECTIONS, default="increase")),
            row.decimal("budget_kzt", required=False), row.text("funding_source", required=False),
            row.text("responsible", required=False), row.text("development_indicator", required=False),
            _proposals(row), cast(Kind, row.choice("kind", KINDS, default="cumulative")), _deputies(row, faction)))
    if not commitments:
        raise InputError("no commitments in the file", file=table.file)
    return Programme(tuple(commitments), table.file)


def read_programme(path: Path, faction: Collection[str] | None = None) -> Programme:
    """Read and validate a PROGRAMME.csv (or .xlsx) file (``faction``: see :func:`parse_programme`)."""
    return parse_programme(read_table(path, COLUMNS), faction)


def targets_csv(targets: Sequence[Target]) -> str:
    """The targets as TARGETS.csv text, read back with the control module's reader before it is returned (so what
    is written is what ``tandau control assess`` accepts)."""
    text = write_targets_csv(list(targets))
    parse_targets(parse_table(text.encode("utf-8"), "TARGETS.csv", TARGET_COLUMNS))
    return text


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, renamed over it: a reader sees the
    old file or the new one, never a part; nothing is left behind on failure."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError("the folder does not exist", file=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def programme_csv(commitments: Sequence[Commitment], extra: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """The commitments as PROGRAMME.csv text (every column, ``kind`` included), read back with :func:`parse_programme`
    before it is returned. ``extra``: further columns (name, one value per commitment) that the reader ignores, such
    as the drafting help's explanations."""
    import csv
    import io
    from decimal import Decimal

    def plain(value: Decimal | None) -> str:
        return "" if value is None else f"{value.normalize():f}"

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, *OPTIONAL, *(name for name, _ in extra)))
    for i, c in enumerate(commitments):
        writer.writerow((
            c.commitment, c.territory, c.section, c.text_kk, c.text_ru, c.indicator, c.unit, plain(c.baseline),
            "" if c.baseline_year is None else c.baseline_year, plain(c.target),
            "" if c.deadline is None else c.deadline.isoformat(), c.direction, plain(c.budget_kzt), c.funding_source,
            c.responsible, c.development_indicator, ";".join(c.proposals), c.kind, ";".join(c.deputies),
            *(values[i] for _, values in extra)))
    text = out.getvalue()
    parse_programme(parse_table(text.encode("utf-8"), "PROGRAMME.csv", COLUMNS))
    return text
