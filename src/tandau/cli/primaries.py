"""``tandau primaries``: database, roll and nominations imports, voting windows, publication, audit.

The command line acts as central office (``--actor`` names who, for the audit log); it calls the same
services as the web interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from tandau.cli._app import err_console, new_app, out_console
from tandau.errors import InputError
from tandau.services.primaries import audit, contests, nominations, publish, roll
from tandau.services.primaries.access import Actor
from tandau.store.engine import database_url, make_engine, session_factory

app = new_app("Online primaries: member roll, nominations, voting windows, results and the audit log.")
db_app = new_app("The primaries database.")
roll_app = new_app("The member roll.")
nominations_app = new_app("Nominations of candidates.")
contest_app = new_app("Contests: open, extend and close the voting window.")
audit_app = new_app("The hash-chained audit log of administrative actions.")
app.add_typer(db_app, name="db")
app.add_typer(roll_app, name="roll")
app.add_typer(nominations_app, name="nominations")
app.add_typer(contest_app, name="contest")
app.add_typer(audit_app, name="audit")


@audit_app.callback()
def _audit_group() -> None:
    """The hash-chained audit log of administrative actions (also ``tandau audit``)."""

DB = typer.Option(None, "--db", help="SQLite file or database URL (default: TANDAU_DATABASE_URL).")
ACTOR = typer.Option("cli", "--actor", help="Who acts (recorded in the audit log as cli:NAME).")


@contextmanager
def _session(db: str | None) -> Iterator[Session]:
    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _actor(name: str) -> Actor:
    return Actor.central(f"cli:{name}")


def _moment(text: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"expected an ISO time such as 2025-03-01T20:00+05:00, got {text!r}", parameter=option
        ) from None


@db_app.command("upgrade")
def db_upgrade(db: str | None = DB) -> None:
    """Create or migrate the schema to the newest revision."""
    from tandau.store.migrate import current_revision, upgrade

    engine = make_engine(database_url(db))
    try:
        upgrade(engine)
        out_console.print(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@roll_app.command("import")
def roll_import(
    file: Path = typer.Argument(..., help="CSV or XLSX: id,name,sex,birth_date,territory,contact"),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Import the member roll, all or nothing."""
    with _session(db) as session:
        done = roll.import_roll(session, _actor(actor), file)
    out_console.print(f"{done.file}: {done.added} added, {done.updated} updated (sha256 {done.sha256[:12]}…)")


@nominations_app.command("import")
def nominations_import(
    file: Path = typer.Argument(..., help="CSV or XLSX: contest,member,nominated_by[,organisation,tags]"),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Import nominations with eligibility checks, all or nothing."""
    with _session(db) as session:
        n = nominations.import_nominations(session, _actor(actor), file)
    out_console.print(f"{n} nomination(s) registered")


@contest_app.command("open")
def contest_open(contest_id: str, db: str | None = DB, actor: str = ACTOR) -> None:
    """Open a draft contest for voting during its window."""
    with _session(db) as session:
        c = contests.open_contest(session, _actor(actor), contest_id)
    out_console.print(f"{c.id} open from {c.opens_at.isoformat()} to {c.closes_at.isoformat()} (server time)")


@contest_app.command("extend")
def contest_extend(
    contest_id: str,
    until: str = typer.Option(..., "--until", help="New closing time (ISO, with zone)."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Extend the voting window of a contest."""
    with _session(db) as session:
        c = contests.extend_contest(session, _actor(actor), contest_id, _moment(until, "--until"), reason=reason)
    out_console.print(f"{c.id} now closes at {c.closes_at.isoformat()}")


@contest_app.command("close")
def contest_close(
    contest_id: str,
    early: bool = typer.Option(False, "--early", help="Close before the window ends."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Close a contest whose window has ended."""
    with _session(db) as session:
        c = contests.close_contest(session, _actor(actor), contest_id, early=early)
    out_console.print(f"{c.id} closed")


@app.command("publish")
def publish_cmd(
    contest_id: str,
    out: Path = typer.Option(..., "--out", help="Bulletin board file (.jsonl) to write."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the 'lot' tie policy (recorded)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Count a closed contest, write its bulletin board and publish the result."""
    with _session(db) as session:
        result = publish.publish_contest(session, _actor(actor), contest_id, out, seed=seed)
    out_console.print(f"{contest_id}: elected {', '.join(result.elected) or '-'}; bulletin board {out}")


@audit_app.command("verify")
def audit_verify(db: str | None = DB) -> None:
    """Recompute the hash chain; exit 1 if any entry was altered, removed or reordered."""
    with _session(db) as session:
        report = audit.verify(session)
    if report.ok:
        out_console.print(f"audit log intact: {report.entries} entries, head {report.head}")
        return
    for problem in report.problems:
        err_console.print(f"tampered: {problem}")
    raise typer.Exit(1)
