"""``tandau programmes create / submit / return / approve / publish / diff / export / to-control``: election
programmes in the database (issue 13, items 1, 5 and 7), registered on ``tandau programmes`` by
:func:`register`.

The command line acts as the central office (``--actor`` names who, for the audit log, as ``cli:NAME``); it calls
the same services as the pages and the API (:mod:`tandau.services.programmes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer

from tandau.cli._db import ACTOR, DB, session_scope
from tandau.services.primaries.access import Actor

PROGRAMME = typer.Argument(..., help="The programme's id (M-5910-2026, youth-2026).")


def _actor(name: str) -> Actor:
    return Actor.central(f"cli:{name}")


def create_cmd(
    cycle: str = typer.Option(..., "--cycle", help="The electoral cycle's id."),
    council: str | None = typer.Option(None, "--council", help="The council's id (M-5910, M-75, KZ-MAJILIS)."),
    wing: str | None = typer.Option(None, "--wing", help="A wing's national programme instead: youth."),
    source: Path | None = typer.Option(None, "--from", help="PROGRAMME.csv (or .xlsx) with the first version's "
                                       "commitments; none: an empty programme."),
    note: str = typer.Option("", "--note", help="The first version's note (default: the file's name)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Create a council's (or a wing's) programme in draft; prints its id, version and the checks' summary."""
    from tandau.io.programme_csv import read_programme
    from tandau.services.programmes import responsible, workflow
    from tandau.services.programmes.records import record_of

    with session_scope(db) as session:
        owner = workflow.owner_of(session, council=council, wing=wing)
        faction = responsible.faction(session, owner.kind, owner.id)
        records = [record_of(c) for c in read_programme(source, faction).commitments] if source is not None else []
        row = workflow.create(session, _actor(actor), owner, cycle, records,
                              note=note or (source.name if source else ""))
        head = workflow.current(session, row)
        typer.echo(f"{row.id}  {row.status}  version {head.number}: {len(records)} commitment(s), "
                   f"{head.errors} error(s), {head.notices} notice(s)")


def _step(step: str, programme_id: str, reason: str, db: str | None, actor: str) -> None:
    from tandau.services.programmes import workflow

    with session_scope(db) as session:
        row = workflow.take_step(session, _actor(actor), programme_id, step, reason=reason)
        typer.echo(f"{row.id}  {row.status}  version {row.version}")


def submit_cmd(programme_id: str = PROGRAMME, db: str | None = DB, actor: str = ACTOR) -> None:
    """Submit a programme (draft or returned) to the central office."""
    _step("submit", programme_id, "", db, actor)


def return_cmd(programme_id: str = PROGRAMME,
               reason: str = typer.Option(..., "--reason", help="Why it is returned (required)."),
               db: str | None = DB, actor: str = ACTOR) -> None:
    """Return a submitted (or approved) programme to its branch, with the reasons."""
    _step("return", programme_id, reason, db, actor)


def approve_cmd(programme_id: str = PROGRAMME,
                reason: str = typer.Option("", "--reason", help="A note (optional)."),
                db: str | None = DB, actor: str = ACTOR) -> None:
    """Approve a submitted programme; refused while its current version has an error-level finding."""
    _step("approve", programme_id, reason, db, actor)


def publish_cmd(programme_id: str = PROGRAMME,
                reason: str = typer.Option("", "--reason", help="A note (optional)."),
                db: str | None = DB, actor: str = ACTOR) -> None:
    """Publish an approved programme: its public page and open data."""
    _step("publish", programme_id, reason, db, actor)


def diff_cmd(programme_id: str = PROGRAMME,
             before: int = typer.Argument(..., help="The older version's number."),
             after: int = typer.Argument(..., help="The newer version's number."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
             db: str | None = DB, actor: str = ACTOR) -> None:
    """The commitments added, removed and changed (field by field) between two versions."""
    from tandau.services.programmes import workflow

    with session_scope(db) as session:
        d = workflow.diff(session, _actor(actor), programme_id, before, after)
    if as_json:
        typer.echo(json.dumps({"before": before, "after": after, "added": list(d.added), "removed": list(d.removed),
                               "changed": [{"commitment": c.commitment, "fields": [
                                   {"field": f.field, "before": f.before, "after": f.after} for f in c.fields]}
                                   for c in d.changed], "unchanged": d.unchanged}, ensure_ascii=False, default=list))
        return
    if d.empty:
        typer.echo(f"no change from version {before} to version {after}")
    for r in d.added:
        typer.echo(f"+ {r['commitment']}  {r.get('text_ru') or r.get('text_kk')}")
    for r in d.removed:
        typer.echo(f"- {r['commitment']}  {r.get('text_ru') or r.get('text_kk')}")
    for c in d.changed:
        typer.echo(f"~ {c.commitment}")
        for f in c.fields:
            typer.echo(f"    {f.field}: {f.before if f.before is not None else '—'} -> "
                       f"{f.after if f.after is not None else '—'}")


def export_cmd(cycle: str = typer.Option(..., "--cycle", help="The electoral cycle's id."),
               out: Path = typer.Option(..., "--out", help="FILE.json to write (atomically)."),
               db: str | None = DB) -> None:
    """Every published programme of a cycle as one open-data JSON document (schema tandau-programmes/1)."""
    from tandau.io.programme_csv import write_atomic
    from tandau.services.programmes.publication import cycle_json

    with session_scope(db) as session:
        doc = cycle_json(session, cycle)
    write_atomic(out, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    typer.echo(f"{out}: {len(doc['programmes'])} published programme(s) of cycle {cycle}")


def to_control_cmd(programme_id: str = PROGRAMME,
                   commitment: str = typer.Argument(..., help="The commitment's id."),
                   db: str | None = DB, actor: str = ACTOR) -> None:
    """Make a commitment of an approved or published programme a control target (imported as TARGETS)."""
    from tandau.services.programmes.to_control import to_control

    with session_scope(db) as session:
        made = to_control(session, _actor(actor), programme_id, commitment)
    t = made.target
    added = sum(i.added for i in made.summary.imported)
    typer.echo(f"{'/'.join(t.key)}: target {t.target} {t.unit} by {t.deadline} "
               f"({'added' if added else 'already stored'})")


def list_cmd(cycle: str | None = typer.Option(None, "--cycle", help="Only this cycle."),
             status: str | None = typer.Option(None, "--status", help="draft, submitted, returned, approved or "
                                               "published."),
             territory: str | None = typer.Option(None, "--territory", help="A KATO code (what lies in it) or KZ."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
             db: str | None = DB, actor: str = ACTOR) -> None:
    """The programmes, national ones first, then by territory."""
    from tandau.services.programmes import workflow

    with session_scope(db) as session:
        rows = workflow.list_programmes(session, _actor(actor), status=status, cycle=cycle, territory=territory)
        items = [{"id": r.id, "cycle": r.cycle_id, "kind": r.kind, "owner": r.owner, "territory": r.kato,
                  "status": r.status, "version": r.version, "title_ru": r.title_ru} for r in rows]
    if as_json:
        typer.echo(json.dumps(items, ensure_ascii=False))
        return
    if not items:
        typer.echo("no programme")
    for i in items:
        typer.echo(f"{i['id']}  {i['territory']:9}  {i['status']:9}  v{i['version']}  {i['title_ru']}")


def show_cmd(programme_id: str = PROGRAMME,
             lang: str = typer.Option("en", "--lang", help="Language of the findings: kk, ru or en."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
             db: str | None = DB, actor: str = ACTOR) -> None:
    """A programme: status, current version, the checks' findings, commitments, history and next steps."""
    from tandau.core.programmes import message
    from tandau.services.programmes import workflow

    with session_scope(db) as session:
        d = workflow.detail(session, _actor(actor), programme_id)
        p = d.programme
        payload = {"id": p.id, "cycle": p.cycle_id, "territory": p.kato, "status": p.status, "version": p.version,
                   "title": {"kk": p.title_kk, "ru": p.title_ru}, "commitments": list(d.records),
                   "findings": [f.to_json(lang) for f in d.findings],
                   "steps": [{"step": s.step, "to": s.to_status, "version": s.version, "reason": s.reason,
                              "actor": s.actor, "at": s.at.isoformat()} for s in d.steps],
                   "next_steps": list(d.next_steps)}
        lines = [f"{p.id}  {p.status}  version {p.version}  {p.title_ru}"]
        lines += [f"  {c['commitment']}  {c['section']}  {c.get('text_ru') or c.get('text_kk')}" for c in d.records]
        lines += [f"  ! {f.commitment} {f.code}: {message(f, lang)}" for f in d.findings]
        lines += [f"  {s.at:%Y-%m-%d %H:%M}Z {s.actor}: {s.step} -> {s.to_status}{': ' + s.reason if s.reason else ''}"
                  for s in d.steps]
        lines.append(f"  next: {', '.join(d.next_steps) or 'none'}")
    typer.echo(json.dumps(payload, ensure_ascii=False) if as_json else "\n".join(lines))


COMMANDS: dict[str, Callable[..., None]] = {"list": list_cmd, "show": show_cmd,
    "create": create_cmd, "submit": submit_cmd, "return": return_cmd, "approve": approve_cmd, "publish": publish_cmd,
    "diff": diff_cmd, "export": export_cmd, "to-control": to_control_cmd}


def register(app: typer.Typer) -> None:
    """Add the commands to ``tandau programmes``."""
    for name, command in COMMANDS.items():
        app.command(name)(command)
