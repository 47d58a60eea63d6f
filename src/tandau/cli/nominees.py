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
