"""``tandau control import`` and ``tandau control board``: control data in the database and the board read from it.

The command line acts as the central office (``--actor`` names who, for the audit log, as ``cli:NAME``) and calls
the same services as the pages and the API (:mod:`tandau.services.control.data`, :mod:`~.board`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import cast

import typer

from tandau.cli._app import err_console, out_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.cli.control import app
from tandau.errors import InputError
from tandau.services.primaries.access import Actor


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a day such as 2025-06-30, got {text!r}", parameter="--as-of") from None


@app.command("import")
def import_cmd(
    targets: Path | None = typer.Option(None, "--targets", help="TARGETS.csv or .xlsx: target versions to add."),
    reports: Path | None = typer.Option(None, "--reports", help="REPORTS.csv or .xlsx: report rows to add."),
    budget: Path | None = typer.Option(None, "--budget", help="datapackage.json of a Fiscal Data Package: fills "
                                       "the empty money columns of the reports imported with it."),
    releases: Path | None = typer.Option(None, "--releases", help="RELEASES.jsonl (.gz accepted): OCDS compiled "
                                         "releases; each replaces the stored release of its ocid."),
    link_rules: Path | None = typer.Option(None, "--link-rules", help="RULES.csv: rules linking processes to "
                                           "programme items (by region, buyer, classification); they replace the "
                                           "rules in force."),
    links: Path | None = typer.Option(None, "--links", help="LINKS.csv as written by 'tandau control links' and "
                                      "corrected: its rows with status manual are kept over the rules."),
    background: bool = typer.Option(False, "--background", help="Import in a background job: the files are kept "
                                    "in the files store and a worker imports them (on SQLite, or with --wait, "
                                    "this process); prints the job."),
    wait: bool = typer.Option(False, "--wait", help="With --background: run the job here and wait for it."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Add targets, reports and OCDS releases to the database, all or nothing; history is never overwritten."""
    from tandau.services.control.data import import_control

    if all(x is None for x in (targets, reports, releases, link_rules, links)):
        raise InputError("nothing to import: give --targets, --reports, --releases, --link-rules or --links",
                         parameter="--targets")
    if background:
        _submit(db, actor, {"targets": targets, "reports": reports, "budget": budget, "releases": releases,
                            "link_rules": link_rules, "links": links}, wait=wait)
        return
    with session_scope(db) as session:
        summary = import_control(session, Actor.central(f"cli:{actor}"), targets=targets, reports=reports,
                                 budget=budget, releases=releases, link_rules=link_rules, links=links)
    for warning in summary.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    for item in summary.imported:
        out_console.print(f"{item.kind}: {item.file}: {item.rows} row(s) read, {item.added} added", markup=False,
                          highlight=False)
    if summary.links:
        out_console.print("links: " + ", ".join(f"{n} {status}" for status, n in sorted(summary.links.items())),
                          markup=False, highlight=False)


def _submit(db: str | None, actor: str, paths: dict[str, Path | None], *, wait: bool) -> None:
    """Read the files here and queue ``control.import`` with them (:func:`~tandau.services.jobs.uploads.
    submit_control_import`); a budget package's CSV is the one its datapackage.json names."""
    import json as _json

    from tandau.cli.jobs import report_submitted
    from tandau.io.fiscal_package import csv_path
    from tandau.services.jobs.uploads import submit_control_import
    from tandau.store.files import default_store

    given = {part: path for part, path in paths.items() if path is not None}
    if "budget" in given:
        try:
            found = csv_path(_json.loads(given["budget"].read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"not a readable datapackage.json ({exc.__class__.__name__})",
                             file=str(given["budget"]), parameter="--budget") from None
        if found is None:
            raise InputError("no resource with a CSV path", file=str(given["budget"]), parameter="--budget")
        given["budget_data"] = given["budget"].parent / found
    files: dict[str, tuple[str | None, bytes]] = {}
    for part, path in given.items():
        if not path.is_file():
            raise InputError("file not found", file=str(path), parameter="--" + part.replace("_", "-"))
        files[part] = (path.name, path.read_bytes())
    limit = default_store().max_bytes
    report_submitted(db, actor, lambda s, who, dispatch: submit_control_import(s, who, files, limit=limit,
                                                                                dispatch=dispatch),
                     wait=wait, fmt="table")


@app.command("links")
def links_cmd(
    out: Path = typer.Option(..., "--out", help="Where to write LINKS.csv (atomically)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Write the stored links of contracting processes to programme items as LINKS.csv, to correct (set status
    to manual on the rows you change) and import again with 'tandau control import --links'."""
    from tandau.io.control_links import write_links
    from tandau.services.control.links import links_for_export

    with session_scope(db) as session:
        links = links_for_export(session, Actor.central(f"cli:{actor}"))
    write_links(out, links)
    out_console.print(f"{len(links)} link(s) written to {out}", markup=False, highlight=False)


@app.command("board")
def board_cmd(
    as_of: str = typer.Option(..., "--as-of", help="The day of the assessment, YYYY-MM-DD."),
    region: str | None = typer.Option(None, "--region", help="One region (9-digit KATO code, or KZ): its series "
                                      "with their reports, and its procurement flags."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """The control board from the database: regions × programmes with the worst status of each cell, the flags,
    and the overdue cases; with --region, one region's page."""
    from tandau.services.control import board as boards
    from tandau.services.control.export import board_json, region_json
    from tandau.services.control.procurement import region_procurement

    if fmt not in ("json", "table"):
        raise InputError(f"expected json or table, got {fmt!r}", parameter="--format")
    day = _as_of(as_of)
    who = Actor.central(f"cli:{actor}")
    with session_scope(db) as session:
        if region is None:
            data = board_json(boards.control_board(session, who, day))
        else:
            view = boards.region_view(session, who, region, day)
            procurement = region_procurement(session, who, region) if region != "KZ" else None
            data = region_json(view, procurement)
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    _print(data)


def _print(data: dict[str, object]) -> None:
    from rich.table import Table

    rows = data.get("rows")
    if isinstance(rows, list):
        table = Table(title=f"Control board at {data['as_of']} (overdue cases: {data['overdue_cases']})")
        table.add_column("region")
        for p in cast(list[str], data["programmes"]):
            table.add_column(str(p))
        for row in rows:
            table.add_row(row["region"], *(f"{c['status'] or '–'} ({c['flags']} flags)" for c in row["cells"]))
        out_console.print(table)
        return
    series = data.get("series")
    table = Table(title=f"Region {data['region']} at {data['as_of']}")
    for column in ("programme", "indicator", "actual", "target", "deadline", "p", "status", "flags"):
        table.add_column(column)
    for s in series if isinstance(series, list) else ():
        a = s["assessment"]
        table.add_row(a["programme"], a["indicator"], str(a["actual"]), str(a["target"]), a["deadline"],
                      f"{a['p_on_time']:.2f}", a["status"], " ".join(f["code"] for f in s["flags"]))
    out_console.print(table)
