"""``tandau cases``: control cases — open, list, show, take a step, attach evidence.

The command line acts as the central office (``--actor`` names who, for the audit log, as ``cli:NAME``); it calls
the same service as the pages and the API (:mod:`tandau.services.control.cases`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from tandau.cli._app import new_app, out_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.errors import InputError
from tandau.services.control import cases
from tandau.services.primaries.access import Actor
from tandau.settings import get_settings
from tandau.store.control_models import ControlCase

app = new_app("Control cases: open a case from a red flag, a citizen's signal or a deputy, and follow it to its end.")

JSON = typer.Option(False, "--json", help="Print JSON instead of text.")
DUE = typer.Option(None, "--due", help="Deadline of the next step, YYYY-MM-DD (default: per status).")


def _actor(name: str) -> Actor:
    return Actor.central(f"cli:{name}")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a day such as 2026-04-30, got {text!r}", parameter="--due") from None


def _row(case: ControlCase, overdue: bool) -> dict[str, Any]:
    return {"id": case.id, "title": case.title, "kato": case.kato, "source": case.source,
            "flag": None if case.flag_code is None else {"kind": case.flag_kind, "code": case.flag_code,
                                                         "ref": case.flag_ref},
            "owner_kind": case.owner_kind, "owner": case.owner, "status": case.status, "outcome": case.outcome,
            "resolution": case.resolution, "due_at": None if case.due_at is None else case.due_at.isoformat(),
            "overdue": overdue}


def _line(case: ControlCase, overdue: bool) -> str:
    due = "" if case.due_at is None else f"  due {case.due_at:%Y-%m-%d %H:%M}Z"
    late = "  OVERDUE" if overdue else ""
    outcome = f" ({case.outcome})" if case.outcome else ""
    return f"{case.id}  {case.kato or 'KZ':9}  {case.status}{outcome}{due}{late}  {case.title}"


@app.command("open")
def open_command(
    title: str = typer.Argument(..., help="What the case is about."),
    kato: str | None = typer.Option(None, "--kato", help="9-digit KATO code of the territory (default: the country)."),
    source: str = typer.Option("signal", "--source", help="flag | signal | deputy."),
    flag_kind: str | None = typer.Option(None, "--flag-kind", help="programme | procurement (with --source flag)."),
    flag_code: str | None = typer.Option(None, "--flag-code", help="The flag's code, e.g. P04 or R018."),
    flag_ref: str | None = typer.Option(None, "--flag-ref", help="The series or the process (ocid) it fired on."),
    owner_kind: str = typer.Option("commission", "--owner-kind", help="commission | deputy."),
    owner: str | None = typer.Option(None, "--owner", help="The deputy's name (with --owner-kind deputy)."),
    description: str = typer.Option("", "--description", help="Details."),
    due: str | None = DUE,
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Open a case; prints its id."""
    request = cases.CaseRequest(title=title, kato=kato, source=source, description=description, flag_kind=flag_kind,
                                flag_code=flag_code, flag_ref=flag_ref, owner_kind=owner_kind, owner=owner,
                                due=_day(due))
    with session_scope(db) as session:
        case = cases.open_case(session, _actor(actor), request)
        out_console.print(case.id)


@app.command("list")
def list_command(
    status: str | None = typer.Option(None, "--status", help="Only cases in this status."),
    territory: str | None = typer.Option(None, "--territory", help="Only cases inside this KATO territory."),
    overdue: bool = typer.Option(False, "--overdue", help="Only cases past their deadline."),
    as_json: bool = JSON,
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """The cases, overdue first, then open ones by deadline."""
    with session_scope(db) as session:
        rows = cases.list_cases(session, _actor(actor), status=status, territory=territory,
                                overdue=True if overdue else None)
        if as_json:
            typer.echo(json.dumps([_row(r.case, r.overdue) for r in rows], ensure_ascii=False))
            return
        for r in rows:
            out_console.print(_line(r.case, r.overdue), markup=False)
        if not rows:
            out_console.print("no case")


@app.command("show")
def show_command(case_id: str, as_json: bool = JSON, db: str | None = DB, actor: str = ACTOR) -> None:
    """A case: its history, evidence files and the next allowed steps."""
    with session_scope(db) as session:
        d = cases.detail(session, _actor(actor), case_id)
        steps = [{"step": s.step, "from": s.from_status, "to": s.to_status, "note": s.note, "actor": s.actor,
                  "at": s.at.isoformat(), "due_at": None if s.due_at is None else s.due_at.isoformat()}
                 for s in d.steps]
        files = [{"id": f.id, "name": f.name, "type": f.media_type, "size": f.size, "sha256": f.sha256}
                 for f in d.files]
        if as_json:
            typer.echo(json.dumps(_row(d.case, d.overdue) | {"steps": steps, "files": files,
                                                             "next_steps": list(d.next_steps)}, ensure_ascii=False))
            return
        out_console.print(_line(d.case, d.overdue), markup=False)
        for st in d.steps:
            out_console.print(f"  {st.at:%Y-%m-%d %H:%M}Z  {st.actor}  {st.step} -> {st.to_status}  {st.note}",
                              markup=False)
        for f in files:
            out_console.print(f"  file {f['id']}  {f['name']}  {f['type']}  {f['size']} B  sha256 {f['sha256']}",
                              markup=False)
        out_console.print("next: " + (", ".join(d.next_steps) or "nothing"))


@app.command("step")
def step_command(
    case_id: str,
    step: str = typer.Argument(..., help="send_inquiry | record_answer | resolve | escalate | close."),
    note: str = typer.Option("", "--note", help="Note (required to resolve and to escalate)."),
    outcome: str | None = typer.Option(None, "--outcome", help="confirmed | not_confirmed (with resolve)."),
    due: str | None = DUE,
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Take a step of the workflow; a step the case's status does not allow is refused (exit 2)."""
    with session_scope(db) as session:
        case = cases.take_step(session, _actor(actor), case_id, step, note=note, outcome=outcome, due=_day(due))
        out_console.print(_line(case, False), markup=False)


@app.command("attach")
def attach_command(
    case_id: str,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="PDF, PNG, JPEG, XLSX, CSV "
                                "or plain text."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Attach an evidence file (kept in the file store with its SHA-256; refused over TANDAU_CASE_FILE_MAX_BYTES)."""
    limit = get_settings().case_file_max_bytes
    with file.open("rb") as handle:
        data = handle.read(limit + 1)
    with session_scope(db) as session:
        info = cases.attach(session, _actor(actor), case_id, file.name, data, limit=limit)
        out_console.print(f"{info.id}  {info.name}  {info.media_type}  {info.size} B  sha256 {info.sha256}",
                          markup=False)
