"""`tandau territory`: the units and councils of Kazakhstan (shipped) or of any country (two CSV files)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from tandau.cli._app import new_app, out_console
from tandau.core.systems import SYSTEMS, derive_districts, get_system, system_for_layout
from tandau.core.territory import Territory, check_territory, parse_layout
from tandau.errors import InputError, UnknownIdError
from tandau.io.territory import (
    COUNCIL_COLUMNS,
    DISTRICT_COLUMNS,
    DISTRICT_COUNCIL_COLUMNS,
    council_rows,
    district_council_rows,
    district_rows,
    load_districts,
    load_kz,
    load_official_seats,
    load_territory,
)

app = new_app("Territory: units, councils and their seats (Kazakhstan shipped; any country from CSV).")

LAYOUT = typer.Option("2023", "--layout", help="Kazakh layout: 2023 (17 regions + 3 cities) or 2021 (14 + 3).")
SEATS = typer.Option(None, "--seats", help="Official seat table CSV (council_id, seats[, list_seats]).")
UNITS = typer.Option(None, "--units", help="Another country's units CSV (docs/territory.md); needs --councils.")
COUNCILS = typer.Option(None, "--councils", help="Another country's councils CSV (docs/territory.md).")


def _territory(layout: str, seats: Path | None, units: Path | None, councils: Path | None) -> Territory:
    if (units is None) != (councils is None):
        raise InputError("give both --units and --councils, or neither", parameter="--units/--councils")
    territory = load_kz(parse_layout(layout)) if units is None or councils is None else load_territory(units, councils)
    return territory if seats is None else load_official_seats(seats, territory)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    table = Table(*columns, show_lines=False)
    for r in rows:
        table.add_row(*(str(r[c]) for c in columns))
    out_console.print(table)


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    typer.echo(buffer.getvalue(), nl=False)


def _json(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    typer.echo(json.dumps([{c: r[c] for c in columns} for r in rows], ensure_ascii=False, indent=2))


FORMATS: dict[str, Callable[[Sequence[dict[str, Any]], Sequence[str]], None]] = {
    "table": _table, "csv": _csv, "json": _json,
}


def _formatter(name: str) -> Callable[[Sequence[dict[str, Any]], Sequence[str]], None]:
    if name not in FORMATS:
        raise UnknownIdError("format", name, list(FORMATS))
    return FORMATS[name]


@app.command("councils")
def councils_cmd(
    layout: str = LAYOUT,
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    level: str = typer.Option("", "--level", help="Only this level (national, regional, republican_city, city, "
                              "district)."),
    seats: Path | None = SEATS,
    units: Path | None = UNITS,
    councils: Path | None = COUNCILS,
) -> None:
    """Every council with its seats, their source (derived or official) and the derivation."""
    write = _formatter(fmt)
    territory = _territory(layout, seats, units, councils)
    rows = [r for r in council_rows(territory) if not level or r["level"] == level]
    columns = COUNCIL_COLUMNS if fmt != "table" else ("council_id", "name", "level", "region_name", "seats",
                                                       "list_seats", "seats_source")
    write(rows, columns)


@app.command("units")
def units_cmd(
    layout: str = LAYOUT,
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    units: Path | None = UNITS,
    councils: Path | None = COUNCILS,
) -> None:
    """Every unit: id (KATO for Kazakhstan), names, kind, parent and (estimated) population."""
    write = _formatter(fmt)
    territory = _territory(layout, None, units, councils)
    rows = [{"id": u.id, "name": u.name, "name_ru": u.name_in("ru"), "name_kk": u.name_in("kk"), "kind": u.kind,
             "parent": u.parent or "", "population": "" if u.population is None else u.population,
             "population_source": u.population_source, "note": u.note} for u in territory.units]
    columns = ("id", "name", "name_ru", "name_kk", "kind", "parent", "population", "population_source", "note")
    write(rows, columns if fmt != "table" else ("id", "name", "name_ru", "kind", "parent", "population"))


@app.command("check")
def check_cmd(
    layout: str = LAYOUT,
    seats: Path | None = SEATS,
    units: Path | None = UNITS,
    councils: Path | None = COUNCILS,
) -> None:
    """Consistency checks (ids, parents, seats within their legal ceilings) and the council counts.

    Exit 0 when every check passes, 1 otherwise."""
    territory = _territory(layout, seats, units, councils)
    counts = territory.counts()
    label = f"{territory.country} {territory.layout}".strip()
    out_console.print(f"{label}: {len(territory.units)} units, {len(territory.councils)} councils "
                      f"({', '.join(f'{k} {v}' for k, v in counts.items())})")
    sources: dict[str, int] = {}
    for c in territory.councils:
        sources[c.seats_source] = sources.get(c.seats_source, 0) + 1
    out_console.print(f"seats (every council but the national one): {territory.seats()}; "
                      f"sources: {', '.join(f'{k} {v}' for k, v in sorted(sources.items()))}")
    problems = check_territory(territory)
    for p in problems:
        out_console.print(f"[red]FAIL[/] {p.check} {p.subject}: {p.detail}", markup=True)
    if problems:
        raise typer.Exit(1)
    out_console.print("all checks passed")


@app.command("districts")
def districts_cmd(
    layout: str | None = typer.Option(None, "--layout", help="Kazakh layout: 2023 (default) or 2021."),
    system: str | None = typer.Option(None, "--system", help="An electoral system id (kz-2021, kz-2023): its "
                                      "layout; see `tandau territory systems`."),
    council: str = typer.Option("", "--council", help="Only this council (table: one row per district)."),
    fmt: str = typer.Option("table", "--format", help="table, csv (one row per district) or json (per council)."),
    districts: Path | None = typer.Option(None, "--districts", help="Official districts CSV (council, district, "
                                          "name[, kato]) replacing the derived ones of the councils it names."),
    seats: Path | None = SEATS,
    units: Path | None = UNITS,
    councils: Path | None = COUNCILS,
) -> None:
    """Every council's list seats and single-member districts (ids COUNCIL-D01...; derived where no official table
    is loaded: seats minus list seats, docs/territory.md)."""
    _formatter(fmt)  # unknown formats are refused before any work
    if system is not None:
        chosen = get_system(system)
        if layout is not None and layout != chosen.layout:
            raise InputError(f"system {system} is used on layout {chosen.layout}, not {layout}", parameter="--layout")
        layout = chosen.layout
    territory = _territory(layout or "2023", seats, units, councils)
    rule = system_for_layout("KZ", territory.layout) if units is None else None
    districting = derive_districts(territory, rule)
    if districts is not None:
        districting = load_districts(districts, districting)
    if council:
        districting.council(council)  # unknown ids list the valid ones
    if fmt == "csv":
        _csv([r for r in district_rows(districting) if not council or r["council"] == council], DISTRICT_COLUMNS)
        return
    rows = [r for r in district_council_rows(districting, territory) if not council or r["council_id"] == council]
    if fmt == "json":
        by_council = {c.council_id: c for c in districting.councils}
        payload = [{**{k: r[k] for k in DISTRICT_COUNCIL_COLUMNS if k != "districts"}, "system": districting.system,
                    "districts": [{"id": d.id, "number": d.number, "name": d.name, "kato": d.kato,
                                   "source": d.source} for d in by_council[r["council_id"]].districts]}
                   for r in rows]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if council:
        _table([r for r in district_rows(districting) if r["council"] == council], DISTRICT_COLUMNS)
        return
    _table(rows, ("council_id", "name", "level", "seats", "list_seats", "single_member", "districts",
                  "districts_source"))
    label = f"{districting.system or territory.country} ({territory.layout or 'CSV'})"
    out_console.print(f"{label}: local seats {territory.seats()} = {districting.list_seats()} list + "
                      f"{districting.single_member()} single-member; national: "
                      f"{districting.list_seats(['national'])} list + {districting.single_member(['national'])} "
                      "single-member")


SYSTEM_COLUMNS = ("system", "name", "layout", "level", "kind", "list_seats", "threshold", "seat_rules", "note",
                  "source")


@app.command("systems")
def systems_cmd(fmt: str = typer.Option("table", "--format", help="table, csv or json.")) -> None:
    """The electoral systems: per level of council, list seats and single-member districts, with sources."""
    write = _formatter(fmt)
    rows = []
    for s in SYSTEMS.values():
        for level, rule in s.levels:
            share = (str(rule.fixed_list_seats) if rule.fixed_list_seats is not None
                     else {1: "all", 0: "none"}.get(int(rule.list_share), "") if rule.list_share in (0, 1)
                     else f"floor(seats*{rule.list_share})")
            threshold = "" if rule.threshold is None else f"{rule.threshold * 100}%"
            rows.append({"system": s.id, "name": s.name, "layout": s.layout, "level": level, "kind": rule.kind,
                         "list_seats": share, "threshold": threshold, "seat_rules": rule.seat_rules,
                         "note": rule.note, "source": s.source})
    if fmt == "json":
        typer.echo(json.dumps([{"id": s.id, "name": s.name, "country": s.country, "layout": s.layout,
                                "source": s.source, "notes": list(s.notes),
                                "levels": [{k: r[k] for k in SYSTEM_COLUMNS[3:9]} for r in rows
                                           if r["system"] == s.id],
                                "national_districts": [{"unit": u, "districts": n} for u, n in s.national_districts],
                                "national_districts_source": s.national_districts_source}
                               for s in SYSTEMS.values()], ensure_ascii=False, indent=2))
        return
    write(rows, SYSTEM_COLUMNS if fmt == "csv" else ("system", "layout", "level", "kind", "list_seats", "threshold",
                                                      "seat_rules"))
