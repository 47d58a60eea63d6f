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

from tandau.core.systems import Districting, derive_districts, system_for_layout, with_districts
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
from tandau.core.territory_kato import KatoMatch, KatoName, TerritoryUnitRef, kazakh_unit_name, match_kato_names
from tandau.errors import InputError

_DATA_PACKAGE = "tandau.data.kz"
KATO_NAMES_FILE = "kato_names.csv"  # the classifier's Kazakh and Russian names (README.md beside it)


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


def _kz_rows() -> tuple[list[dict[str, str]], list[tuple[int, dict[str, str]]]]:
    files = resources.files(_DATA_PACKAGE)
    regions = [r for _, r in _read_rows(files.joinpath("regions.csv").read_text(encoding="utf-8"), "regions.csv",
                                        ("kato2", "kind", "name_ru"))]
    units = list(_read_rows(files.joinpath("units.csv").read_text(encoding="utf-8"), "units.csv",
                            ("kato4", "unit_type", "name_ru", "region_2023")))
    return regions, units


@lru_cache(maxsize=1)
def kz_kato_match() -> KatoMatch:
    """Every region and unit of the package's tables matched to its row of the KATO classifier
    (``kato_names.csv``): by code, else by Russian name within the region (:mod:`tandau.core.territory_kato`)."""
    regions, units = _kz_rows()
    refs = [TerritoryUnitRef(r["kato2"], r["kind"], r["kato2"], r["name_ru"]) for r in regions]
    refs += [TerritoryUnitRef(r["kato4"], r["unit_type"], r["region_2023"], r["name_ru"]) for _, r in units]
    text = resources.files(_DATA_PACKAGE).joinpath(KATO_NAMES_FILE).read_text(encoding="utf-8")
    rows = [KatoName(r["kato"], r["name_kk"], r["name_ru"], r["source"])
            for _, r in _read_rows(text, KATO_NAMES_FILE, ("kato", "name_kk", "name_ru", "source"))]
    return match_kato_names(refs, rows)


@lru_cache(maxsize=4)
def load_kz(layout: str = "2023") -> Territory:
    """Kazakhstan in the ``"2021"`` or ``"2023"`` layout from the package data, with derived seats and every
    unit's official Kazakh name (a unit missing from the classifier is an error, not a fallback)."""
    parse_layout(layout)
    match = kz_kato_match()
    match.require_complete(KATO_NAMES_FILE)
    kk = {uid: kazakh_unit_name(row.name_kk) for uid, row in match.names.items()}
    region_rows, unit_rows = _kz_rows()
    regions = []
    for r in region_rows:
        pops = {int(k[4:]): int(v) for k, v in r.items() if k.startswith("pop_") and v}
        regions.append(RegionRecord(r["kato2"], r["kind"], r["name_ru"], r["name_en"], kk[r["kato2"]],
                                    r["in_2021"] == "1", r["centre_2021"], r["centre_2023"], pops,
                                    r["former_name_ru"], r["former_name_en"]))
    units = []
    for n, r in unit_rows:
        created = _int(r["created"], "units.csv", n, "created", optional=True)
        units.append(UnitRecord(r["kato4"], r["unit_type"], r["name_ru"], r["name_en"], kk[r["kato4"]],
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


# ---------------------------------------------------------------- single-member districts


@lru_cache(maxsize=4)
def kz_districts(layout: str = "2023") -> Districting:
    """Every Kazakh council's list seats and single-member districts in ``layout``, under that layout's system
    (``2021`` → kz-2021, ``2023`` → kz-2023), with derived districts (docs/territory.md)."""
    territory = load_kz(layout)
    return derive_districts(territory, system_for_layout("KZ", layout))


def load_districts(path: Path | str, districting: Districting) -> Districting:
    """Replace derived districts by an official table: ``council, district, name`` (+ optional ``kato``).

    A council named in the file gets exactly the districts listed for it, in file order (numbers 1, 2, …), and
    must be given as many as it has single-member seats; councils not named keep their derived districts."""
    file = str(path)
    known = {c.council_id: c for c in districting.councils}
    table: dict[str, list[tuple[str, str, str]]] = {}
    last_row: dict[str, int] = {}
    seen: dict[str, int] = {}
    for n, r in _read_rows(_read_text(path), file, ("council", "district", "name")):
        cid, did, kato = r["council"], r["district"], r.get("kato", "")
        if cid not in known:
            raise InputError(f"unknown council {cid!r} (see `tandau territory districts`)", file=file, row=n,
                             column="council")
        if known[cid].single_member == 0:
            raise InputError(f"council {cid} has no single-member seats in this layout (all {known[cid].seats} "
                             "from party lists)", file=file, row=n, column="council")
        if not did:
            raise InputError("empty district id", file=file, row=n, column="district")
        if did in seen:
            raise InputError(f"duplicate district id {did!r} (first on row {seen[did]})", file=file, row=n,
                             column="district")
        seen[did] = n
        if kato and not (kato.isdigit() and len(kato) <= 9):
            raise InputError(f"kato must be up to 9 digits, got {kato!r}", file=file, row=n, column="kato")
        council = known[cid]
        unit = next((d.kato for d in council.districts), "")
        if kato and districting.country == "KZ" and council.level != "national" and not kato.startswith(unit):
            raise InputError(f"kato {kato} is outside the council's unit {unit}", file=file, row=n, column="kato")
        table.setdefault(cid, []).append((did, r["name"], kato))
        last_row[cid] = n
    others = {d.id for c in districting.councils if c.council_id not in table for d in c.districts}
    for did, n in seen.items():
        if did in others:
            raise InputError(f"district id {did!r} is already a district of another council", file=file, row=n,
                             column="district")
    for cid, rows in table.items():
        if len(rows) != known[cid].single_member:
            raise InputError(f"council {cid} has {known[cid].single_member} single-member seats; the file gives "
                             f"{len(rows)} districts for it", file=file, row=last_row[cid], column="council")
    return with_districts(districting, table, f"official districts: {file}")


DISTRICT_COLUMNS = ("council", "district", "name", "kato", "number", "source")
DISTRICT_COUNCIL_COLUMNS = ("council_id", "name", "level", "seats", "list_seats", "single_member", "districts",
                            "districts_source", "basis")


def district_rows(districting: Districting) -> list[dict[str, Any]]:
    """One dict per district (the CSV columns of :func:`load_districts`, plus number and source)."""
    return [{"council": d.council_id, "district": d.id, "name": d.name, "kato": d.kato, "number": d.number,
             "source": d.source} for d in districting.districts()]


def district_council_rows(districting: Districting, territory: Territory) -> list[dict[str, Any]]:
    """One dict per council: list seats, single-member districts (count, id range, source)."""
    rows = []
    for c in districting.councils:
        ids = f"{c.districts[0].id}..{c.districts[-1].id}" if len(c.districts) > 1 else \
            "".join(d.id for d in c.districts)
        sources = sorted({d.source for d in c.districts})
        rows.append({"council_id": c.council_id, "name": territory.council(c.council_id).name, "level": c.level,
                     "seats": c.seats, "list_seats": c.list_seats, "single_member": c.single_member,
                     "districts": ids, "districts_source": ",".join(sources), "basis": c.basis})
    return rows
