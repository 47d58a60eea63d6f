"""Territory tables: the shipped Kazakhstan dataset, any country's units and councils, official seat tables.

Every bad cell raises :class:`tandau.errors.InputError` naming the file, row (1 = header, data from 2) and column.
Column formats are documented in docs/territory.md.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tandau.core.territory import (
    LEVELS,
    SEATS_SOURCES,
    UNIT_KINDS,
    Council,
    Level,
    RegionRecord,
    Territory,
    Unit,
    UnitRecord,
    build_kz,
    parse_layout,
    with_official_seats,
)
from tandau.errors import InputError

_DATA_PACKAGE = "tandau.data.kz"


def _read_rows(text: str, file: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    for col in required:
        if col not in header:
            raise InputError(f"missing column; the file has {', '.join(header) or 'no header'}", file=file, row=1,
                             column=col)
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise InputError("more cells than header columns", file=file, row=number)
        yield number, {k: (v or "").strip() for k, v in row.items()}


def _int(value: str, file: str, row: int, column: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    if value == "" and optional:
        return None
    try:
        number = int(value)
    except ValueError:
        raise InputError(f"expected a whole number, got {value!r}", file=file, row=row, column=column) from None
    if number < minimum:
        raise InputError(f"must be at least {minimum}, got {number}", file=file, row=row, column=column)
    return number


def _read_text(path: Path | str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None


@lru_cache(maxsize=4)
def load_kz(layout: str = "2023") -> Territory:
    """Kazakhstan in the ``"2021"`` or ``"2023"`` layout from the package data, with derived seats."""
    parse_layout(layout)
    files = resources.files(_DATA_PACKAGE)
    regions = []
    for _, r in _read_rows(files.joinpath("regions.csv").read_text(encoding="utf-8"), "regions.csv", ("kato2",)):
        pops = {int(k[4:]): int(v) for k, v in r.items() if k.startswith("pop_") and v}
        regions.append(RegionRecord(r["kato2"], r["kind"], r["name_ru"], r["name_en"], r["name_kk"],
                                    r["in_2021"] == "1", r["centre_2021"], r["centre_2023"], pops,
                                    r["former_name_ru"], r["former_name_en"]))
    units = []
    for n, r in _read_rows(files.joinpath("units.csv").read_text(encoding="utf-8"), "units.csv", ("kato4",)):
        created = _int(r["created"], "units.csv", n, "created", optional=True)
        units.append(UnitRecord(r["kato4"], r["unit_type"], r["name_ru"], r["name_en"], r["name_kk"],
                                r["region_2023"], r["region_2021"], created, r["maslikhat"] == "1",
                                r["former_name_ru"], r["former_name_en"], r["note"]))
    return build_kz(regions, units, layout)


def load_territory(units_path: Path | str, councils_path: Path | str, *, country: str = "XX",
                   layout: str = "") -> Territory:
    """Any country's territory from two CSV files (columns in docs/territory.md).

    units: ``id, name, kind, parent`` (+ optional ``population``, ``note``, ``name_<lang>``);
    councils: ``id, name, level, unit, seats`` (+ optional ``list_seats``, ``seats_source``, ``ceiling``).
    """
    ufile, cfile = str(units_path), str(councils_path)
    units: list[Unit] = []
    ids: set[str] = set()
    for n, r in _read_rows(_read_text(units_path), ufile, ("id", "name", "kind", "parent")):
        if not r["id"]:
            raise InputError("empty id", file=ufile, row=n, column="id")
        if r["id"] in ids:
            raise InputError(f"duplicate id {r['id']!r}", file=ufile, row=n, column="id")
        if r["kind"] not in UNIT_KINDS:
            raise InputError(f"kind must be one of {', '.join(UNIT_KINDS)}, got {r['kind']!r}", file=ufile, row=n,
                             column="kind")
        ids.add(r["id"])
        pop = _int(r.get("population", ""), ufile, n, "population", optional=True)
        names = tuple((k[5:], v) for k, v in r.items() if k.startswith("name_") and v)
        units.append(Unit(r["id"], r["name"], r["kind"], r["parent"] or None, pop, "official" if pop else "", names,
                          r.get("note", "")))
    parents = {u.id: u.parent for u in units}
    for n, u in enumerate(units, start=2):
        if u.parent is not None and u.parent not in ids:
            raise InputError(f"parent {u.parent!r} is not a unit id in this file", file=ufile, row=n, column="parent")
    councils: list[Council] = []
    cids: set[str] = set()
    required = ("id", "name", "level", "unit", "seats")
    for n, r in _read_rows(_read_text(councils_path), cfile, required):
        if not r["id"] or r["id"] in cids:
            raise InputError(f"empty or duplicate id {r['id']!r}", file=cfile, row=n, column="id")
        cids.add(r["id"])
        if r["level"] not in LEVELS:
            raise InputError(f"level must be one of {', '.join(LEVELS)}, got {r['level']!r}", file=cfile, row=n,
                             column="level")
        if r["unit"] not in ids:
            raise InputError(f"unit {r['unit']!r} is not in {ufile}", file=cfile, row=n, column="unit")
        seats = _int(r["seats"], cfile, n, "seats", minimum=1) or 0
        list_seats = _int(r.get("list_seats", ""), cfile, n, "list_seats", optional=True)
        if list_seats is not None and list_seats > seats:
            raise InputError(f"{list_seats} list seats exceed {seats} seats", file=cfile, row=n, column="list_seats")
        source = r.get("seats_source", "") or "official"
        if source not in SEATS_SOURCES:
            raise InputError(f"seats_source must be one of {', '.join(SEATS_SOURCES)}, got {source!r}", file=cfile,
                             row=n, column="seats_source")
        ceiling = _int(r.get("ceiling", ""), cfile, n, "ceiling", minimum=1, optional=True)
        level: Level = next(lv for lv in LEVELS if lv == r["level"])
        councils.append(Council(r["id"], r["name"], level, r["unit"], _region_of(r["unit"], parents), seats, source,
                                seats if list_seats is None else list_seats, ceiling, f"{cfile} row {n}"))
    return Territory(country, layout, tuple(units), tuple(councils), (ufile, cfile))


def _region_of(unit_id: str, parents: dict[str, str | None]) -> str | None:
    """The ancestor just below the root (the region), or None for the root itself."""
    chain = [unit_id]
    while (p := parents.get(chain[-1])) is not None and len(chain) <= len(parents):
        chain.append(p)
    return chain[-2] if len(chain) >= 2 else None


def load_official_seats(path: Path | str, territory: Territory) -> Territory:
    """Override seats from an official table: ``council_id, seats`` (+ optional ``list_seats``)."""
    file = str(path)
    known = {c.id: c for c in territory.councils}
    table: dict[str, tuple[int, int | None]] = {}
    for n, r in _read_rows(_read_text(path), file, ("council_id", "seats")):
        cid = r["council_id"]
        if cid not in known:
            raise InputError(f"unknown council {cid!r} (see `tandau territory councils`)", file=file, row=n,
                             column="council_id")
        if cid in table:
            raise InputError(f"duplicate council {cid!r}", file=file, row=n, column="council_id")
        seats = _int(r["seats"], file, n, "seats", minimum=1) or 0
        ceiling = known[cid].ceiling
        if ceiling is not None and seats > ceiling:
            raise InputError(f"{seats} seats exceed the legal ceiling {ceiling}", file=file, row=n, column="seats")
        list_seats = _int(r.get("list_seats", ""), file, n, "list_seats", optional=True)
        if list_seats is not None and list_seats > seats:
            raise InputError(f"{list_seats} list seats exceed {seats} seats", file=file, row=n, column="list_seats")
        table[cid] = (seats, list_seats)
    return with_official_seats(territory, table, f"official seats: {file}")


COUNCIL_COLUMNS = ("council_id", "name", "name_ru", "level", "region_id", "region_name", "kato", "seats",
                   "list_seats", "seats_source", "ceiling", "basis")


def council_rows(territory: Territory) -> list[dict[str, Any]]:
    """One dict per council (for CSV, JSON or a table)."""
    rows = []
    for c in territory.councils:
        region = territory.unit(c.region_id).name if c.region_id else ""
        kato = c.unit_id if territory.country == "KZ" and c.unit_id != "KZ" else ""
        rows.append({"council_id": c.id, "name": c.name, "name_ru": c.name_ru, "level": c.level,
                     "region_id": c.region_id or "", "region_name": region, "kato": kato, "seats": c.seats,
                     "list_seats": c.list_seats, "seats_source": c.seats_source,
                     "ceiling": "" if c.ceiling is None else c.ceiling, "basis": c.basis})
    return rows
