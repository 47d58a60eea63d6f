"""``tandau primaries districts``: single-member districts for the primaries (issue 11, item 2).

Register a council's districts from the territory data, assign members to them, create one contest per
district, and report the districts that cannot select a nominee.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.cli._db import ACTOR, DB
from tandau.services.primaries import districts

app = new_app("Single-member districts: register, assign members, one contest per district, report.")



@app.command("register")
def register(
    council: list[str] = typer.Option(None, "--council", help="Council id (repeatable; default: every council "
                                      "with single-member districts)."),
    system: str = typer.Option("kz-2023", "--system", help="Electoral system id (tandau territory systems)."),
    layout: str = typer.Option("2023", "--layout", help="Territory layout: 2023 or 2021."),
    official: Path | None = typer.Option(None, "--districts", help="Official district table (CSV: council, "
                                         "district, name[, kato]) replacing the derived districts it names."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Store councils' single-member districts (derived from the territory data, or from an official table)."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import _actor
    from tandau.core.systems import get_system
    from tandau.core.systems.districts import derive_districts
    from tandau.io.territory import load_districts, load_kz

    territory = load_kz(layout)
    districting = derive_districts(territory, get_system(system))
    if official is not None:
        districting = load_districts(official, districting)
    regions = {u.id: u for u in territory.units}
    names = {}
    for c in territory.councils:
        region = regions.get(c.region_id) if c.region_id else None
        kato = None if c.level == "national" else c.unit_id.ljust(9, "0")  # unit ids are KATO prefixes
        names[c.id] = (c.name, region.name if region is not None else "Kazakhstan", kato)
    with session_scope(db) as session:
        added = districts.register_districts(session, _actor(actor), districting, council or None, names=names)
    out_console.print(f"{added} district(s) registered ({system}, layout {layout})")


@app.command("assign")
def assign(
    file: Path = typer.Argument(..., help="CSV or XLSX: member,district (one member a row) or territory,district "
                                "(every member living in the unit)."),
    reason: str = typer.Option("", "--reason", help="Why, when a contest of the council is running (central "
                               "office only; audited with each row before and after)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Assign members to districts, all or nothing; replaces the assignments of every council the file names."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import _actor

    with session_scope(db) as session:
        done = districts.assign_members(session, _actor(actor), file, reason=reason)
    out_console.print(f"{done.file}: {done.assigned} member(s) assigned in {', '.join(done.councils)}")


@app.command("contests")
def create_contests(
    cycle: str = typer.Option(..., "--cycle", help="The cycle (its system should be kz-2023)."),
    council: str = typer.Option(..., "--council", help="The council whose districts get a contest each."),
    opens: str = typer.Option(..., "--opens", help="Opening time (ISO, with zone)."),
    closes: str = typer.Option(..., "--closes", help="Closing time (ISO, with zone)."),
    rule: str = typer.Option("plurality", "--rule", help="Counting rule (plurality: one mark, the most votes win)."),
    revote: bool = typer.Option(False, "--revote", help="Members may vote again; the last ballot counts."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Create one contest per district of a council (id CYCLE-DISTRICT, one seat, voters: the district's)."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import CONTEST_OPTIONS, _actor, _moment, _options_named

    with session_scope(db) as session, _options_named(CONTEST_OPTIONS):
        made = districts.create_district_contests(
            session, _actor(actor), cycle, council, opens_at=_moment(opens, "--opens"),
            closes_at=_moment(closes, "--closes"), rule=rule, revote=revote)
    out_console.print(f"{len(made.contest_ids)} contest(s) created for {council}: {', '.join(made.contest_ids)}")


@app.command("report")
def report(
    cycle: str = typer.Option(..., "--cycle", help="The cycle."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Every district contest with its nominees and voters; districts that cannot select anyone are flagged."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import _actor

    with session_scope(db) as session:
        rows = districts.district_report(session, _actor(actor), cycle)
    if as_json:
        out_console.print_json(json.dumps([{"contest": r.contest_id, "council": r.council_id,
                                            "district": r.district_id, "nominees": r.nominees, "voters": r.voters,
                                            "problems": list(r.problems)} for r in rows]))
        return
    for r in rows:
        flag = "; ".join(r.problems) or "ok"
        out_console.print(f"{r.contest_id}: {r.nominees} nominee(s), {r.voters} voter(s): {flag}")
    bad = sum(1 for r in rows if r.problems)
    out_console.print(f"{len(rows)} district contest(s), {bad} cannot select a nominee")
