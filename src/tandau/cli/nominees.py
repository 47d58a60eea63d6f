"""``tandau nominees``: one nominee per single-member district under set-wide quotas (docs/nominees.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from tandau.cli._app import new_app, out_console
from tandau.errors import InputError
from tandau.io.nominees_csv import nominees_to_csv, nominees_to_json
from tandau.services.nominees import select_from_file

app = new_app("Select single-member district nominees under set-wide quotas.")

FORMATS = ("json", "csv", "table")


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD, got {value!r}", parameter="--election-date") from None


@app.command()
def select(
    districts: Path = typer.Argument(..., help="DISTRICTS.csv (district, id, name, sex, birth_date, votes, tags)."),
    rules: str = typer.Option(..., "--rules", help="Preset ids and/or RULES.toml files, comma-separated; whole-list "
                              "shares and counts and balance apply to the set, positional rules are refused."),
    election_date: str | None = typer.Option(None, "--election-date",
                                             help="YYYY-MM-DD; ages count on this day (required when a rule counts "
                                                  "ages)."),
    pin: list[str] = typer.Option([], "--pin", help="DISTRICT=ID: the leadership's nominee there (repeatable)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Candidate id that may not be nominated (repeatable)."),
    with_list: Path | None = typer.Option(None, "--with-list",
                                          help="A mixed council's list (CANDIDATES.csv): the rules then hold over the "
                                               "list and the nominees together."),
    set_label: str = typer.Option("council", "--set-label", help="How explanations name the set (council, region)."),
    fmt: str = typer.Option("table", "--format", help="json | csv | table."),
) -> None:
    """Choose one nominee per district: the rules hold over the chosen set with the fewest departures from the
    primary winners, then the smallest sum of ranks, then the smallest ranks in district order. Exit 2 with the
    diagnosis when no choice exists."""
    if fmt not in FORMATS:
        raise InputError(f"expected one of {', '.join(FORMATS)}, got {fmt!r}", parameter="--format")
    selection = select_from_file(districts, rules, election_date=_date(election_date), pins=pin, exclude=exclude,
                                 list_file=with_list, set_label=set_label)
    result = selection.result
    if fmt == "json":
        payload = nominees_to_json(result)
        payload["rules"] = {"id": selection.rule_set.id, "source": selection.rule_set.source}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(nominees_to_csv(result))
    else:
        table = Table(title=f"Nominees: {len(result.nominees)} districts, {result.departures} departure(s) from the "
                            "primary winners")
        for column in ("district", "id", "name", "sex", "votes", "rank", "reason"):
            table.add_column(column, overflow="fold")
        for n in result.nominees:
            c = n.candidate
            table.add_row(n.district, c.id, c.name, c.sex, f"{c.votes} ({n.votes_share})", str(n.primary_rank),
                          n.reason or "")
        out_console.print(table)
        for check in result.checks:
            mark = "[green]ok[/]" if check.ok else ("[red]FAIL[/]" if check.enforced else "[yellow]warning[/]")
            out_console.print(f"{mark} {check.label}: {check.detail}")


@app.command()
def council(
    cycle: str = typer.Option(..., "--cycle", help="The cycle whose district primaries are read."),
    council_id: str = typer.Option(..., "--council", help="The council (its registered single-member districts)."),
    rules: str | None = typer.Option(None, "--rules", help="Preset ids and/or RULES.toml files (default: the "
                                     "rules stored for the council in the workspace, else nur-otan-2019,kz-law-2022)."),
    db: str | None = typer.Option(None, "--db", help="SQLite file or database URL (default: TANDAU_DATABASE_URL)."),
    fmt: str = typer.Option("table", "--format", help="json | table."),
) -> None:
    """A council's nominees from its published district primaries, under the workspace's pins and exclusions:
    every district in order with its primary winner, nominee and the reason of a departure; districts without a
    published primary or a candidate are listed with the problem. Reads only (the workspace stores the
    leadership's choices). Exit 2 when the council or cycle is unknown or a rule is positional."""
    from tandau.cli._db import session_scope
    from tandau.services.council_nominees import council_nominees
    from tandau.services.primaries.access import Actor

    if fmt not in ("json", "table"):
        raise InputError(f"expected json or table, got {fmt!r}", parameter="--format")
    with session_scope(db) as session:
        view = council_nominees(session, Actor.central("cli:nominees"), cycle, council_id, rules=rules)
        if fmt == "json":
            sys.stdout.write(json.dumps(view.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        table = Table(title=f"{view.council.name} ({view.council.id}), cycle {view.cycle.id}: "
                            f"{len(view.nominees)} of {len(view.districts)} districts with a nominee, "
                            f"{view.departures} departure(s); rules {view.choices.rules}")
        for column in ("district", "winner", "nominee", "rank", "reason"):
            table.add_column(column, overflow="fold")
        problems = {"no_contest": "no primary contest", "not_published": "primary not published",
                    "no_candidates": "no candidate in the published primary"}
        for d in view.districts:
            winner = d.winner
            table.add_row(d.primary.district_id, "" if winner is None else f"{winner.name} ({winner.votes})",
                          "" if d.nominee is None else d.nominee.name + (" (pinned)" if d.pinned else ""),
                          "" if d.nominee is None else str(d.nominee.rank),
                          problems[d.primary.problem] if d.primary.problem else (d.reason or ""))
        out_console.print(table)
        for check in view.checks():
            mark = "[green]ok[/]" if check["ok"] else ("[red]FAIL[/]" if check["enforced"] else "[yellow]warning[/]")
            out_console.print(f"{mark} {check['label']}: {check['detail']}")
        if view.refusal is not None:
            out_console.print(f"[red]refused:[/] {view.refusal}")
