"""``tandau programmes development import / show``: territorial development programmes in the database (issue 13,
item 2), the same service as the pages and the API (:mod:`tandau.services.programmes.development`).

The command line acts as the central office (``--actor`` names who, for the audit log, as ``cli:NAME``).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tandau.cli._app import new_app
from tandau.cli._db import ACTOR, DB, central, session_scope
from tandau.errors import InputError

app = new_app("Territorial development programmes in the database: import and show their indicators.")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="DEVELOPMENT.csv (or .xlsx): territory, programme, indicator, unit, "
                                "year, value, kind (baseline|plan); optional section, source."),
    synthetic: bool = typer.Option(False, "--synthetic", help="Mark the values SYNTHETIC (demos and tests)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Import a development programme's indicators, all or nothing.

    A value new to its territory, programme, indicator, year and kind is added; the same value again is skipped;
    a changed value becomes a new version (the earlier one is kept). Bad input, or rows that conflict with what is
    stored (a second baseline, a plan year not after the baseline, another unit), name the file, row and column:
    exit 2, nothing written. Audited (development.import).
    """
    from tandau.services.programmes.development import import_file

    with session_scope(db) as session:
        out = import_file(session, central(actor), file, synthetic=synthetic)
    what = f"import {out.import_id}" if out.written else "nothing written: every value is already stored"
    typer.echo(f"{file.name}: {out.rows} row(s), {len(out.territories)} territory(ies): {out.added} added, "
               f"{out.changed} changed (new version), {out.unchanged} unchanged; {what}")


@app.command("show")
def show_cmd(
    territory: str = typer.Option(..., "--territory", help="The territory, a 9-digit KATO code."),
    fmt: str = typer.Option("json", "--format", help="json or csv (DEVELOPMENT.csv of the current values)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """The current values of a territory's development programme, with their versions."""
    from tandau.io.development_csv import development_csv
    from tandau.services.programmes.development import territory_values

    if fmt not in ("json", "csv"):
        raise InputError(f"--format must be json or csv, got {fmt!r}", parameter="--format")
    with session_scope(db) as session:
        data, meta = territory_values(session, central(actor), territory)
    if fmt == "csv":
        typer.echo(development_csv(data.indicators), nl=False)
        return
    items = []
    for r in data.indicators:
        m = meta[(r.territory, r.programme, r.indicator, r.year, r.kind)]
        items.append({"territory": r.territory, "programme": r.programme, "indicator": r.indicator, "unit": r.unit,
                      "year": r.year, "value": f"{r.value.normalize():f}", "kind": r.kind, "section": r.section,
                      "source": r.source, "version": m.version, "synthetic": m.synthetic})
    typer.echo(json.dumps({"territory": territory, "values": items}, ensure_ascii=False))
