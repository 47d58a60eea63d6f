"""``tandau appeals import / escalate / reminders / export / purge``: appeals in the database (docs/appeals.md).

Registered into the ``appeals`` group of :mod:`tandau.cli.appeals`. Each command acts as the central office
(recorded in the audit log as ``cli:NAME``); heavy modules are imported inside the commands. The keys of the
applicants' hashes and of the export's pseudonyms derive from ``TANDAU_SECRET_KEY`` (the same as the web app's).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from tandau.cli._app import err_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.cli.appeals import app
from tandau.errors import InputError


def _secret() -> str:
    from tandau.settings import get_settings

    return get_settings().secret_key.get_secret_value()


def _day(text: str | None, parameter: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", parameter=parameter) from None


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="CSV or XLSX: id, received_at, territory, text; optional channel, name, "
                                "contact, lang."),
    db: str | None = DB,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the whole file and count; write nothing."),
    actor: str = ACTOR,
) -> None:
    """Import appeals into the database, all or nothing (bulk inserts: 50,000 in seconds).

    Every problem is printed with its row and column (exit 2) and nothing is written while there is one. Prints
    {"file", "sha256", "applied", "added", "repeats"}.
    """
    from tandau.services.appeals import deadlines, imports
    from tandau.services.primaries.access import Actor

    if not file.is_file():
        raise InputError("file not found", file=str(file))
    with session_scope(db) as session:
        outcome = imports.upload(session, Actor.central(f"cli:{actor}"), file.name, file.read_bytes(),
                                 apply=not dry_run, applicant_key=deadlines.applicant_key(_secret()),
                                 limit=imports.BULK_MAX_BYTES, progress=lambda step: err_console.print(step))
    typer.echo(json.dumps({"file": outcome.file, "sha256": outcome.sha256, "applied": outcome.applied,
                           "added": outcome.added, "repeats": outcome.repeats}))


@app.command("escalate")
def escalate_cmd(db: str | None = DB, actor: str = ACTOR) -> None:
    """Escalate every open appeal past its due date (Asia/Almaty) that is not escalated yet; run it daily.

    Prints {"today", "escalated": [ids], "already_escalated": n}; each escalation is audited.
    """
    from tandau.services.appeals import oversight
    from tandau.services.primaries.access import Actor

    with session_scope(db) as session:
        run = oversight.escalate_overdue(session, Actor.central(f"cli:{actor}"))
    typer.echo(json.dumps({"today": run.today.isoformat(), "escalated": list(run.escalated),
                           "already_escalated": run.already}))


@app.command("reminders")
def reminders_cmd(db: str | None = DB) -> None:
    """List the open appeals due within the reminder term (2 working days by default), soonest first.

    Prints [{"id", "kato", "handler", "due", "working_days_left"}].
    """
    from tandau.services.appeals import oversight
    from tandau.services.primaries.access import Actor

    with session_scope(db) as session:
        found = oversight.reminders(session, Actor.central("cli"))
        typer.echo(json.dumps([{"id": r.appeal.id, "kato": r.appeal.kato, "handler": r.appeal.handler,
                                "due": r.due.isoformat(), "working_days_left": r.working_days_left}
                               for r in found]))


@app.command("export")
def export_cmd(
    out: Path = typer.Option(..., "--out", help="The CSV file to write."),
    db: str | None = DB,
    territory: str | None = typer.Option(None, "--territory", help="A KATO code: only appeals under it."),
    since: str | None = typer.Option(None, "--since", help="Received on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Received on or before YYYY-MM-DD."),
    actor: str = ACTOR,
) -> None:
    """Write the pseudonymised CSV of the appeals: no name, contact or text; the applicant as a keyed hash.

    Prints {"out", "rows"}; the export is audited.
    """
    from tandau.services.appeals import data
    from tandau.services.primaries.access import Actor

    with session_scope(db) as session:
        text = data.export_csv(session, Actor.central(f"cli:{actor}"), key=data.export_key(_secret()),
                               territory=territory, since=_day(since, "--since"), until=_day(until, "--until"))
    out.write_text(text, encoding="utf-8")
    typer.echo(json.dumps({"out": str(out), "rows": text.count("\n") - 1}))


@app.command("purge")
def purge_cmd(
    before: str | None = typer.Option(None, "--before", help="The day the retention is counted back from, "
                                      "YYYY-MM-DD (default: today in Almaty)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Remove the personal data (name, contact, applicant hash, text, reasons, notes) of the cases closed at
    least the retention (TANDAU_APPEALS_RETENTION_YEARS, default 5) before --before. Audited.

    Prints {"closed_on_or_before", "purged": n}.
    """
    from tandau.services.appeals import data
    from tandau.services.primaries.access import Actor

    with session_scope(db) as session:
        done = data.purge(session, Actor.central(f"cli:{actor}"), before=_day(before, "--before"))
    typer.echo(json.dumps({"closed_on_or_before": done.closed_on_or_before.isoformat(), "purged": len(done.ids)}))
