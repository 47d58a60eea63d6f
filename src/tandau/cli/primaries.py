"""``tandau primaries``: database, roll and nominations imports, voting windows, publication, audit.

The command line acts as central office (``--actor`` names who, for the audit log); it calls the same
services as the web interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import typer

from tandau.cli._app import err_console, new_app, out_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.core.systems import DEFAULT_CYCLE_SYSTEM
from tandau.errors import InputError
from tandau.services.primaries import audit, auth, contests, nominations, publish, roll
from tandau.services.primaries.access import Actor, Role
from tandau.store.engine import database_url, make_engine

app = new_app("Online primaries: member roll, nominations, voting windows, results and the audit log.")
db_app = new_app("The primaries database.")
roll_app = new_app("The member roll.")
nominations_app = new_app("Nominations of candidates.")
contest_app = new_app("Contests: create, open, extend and close the voting window.")
audit_app = new_app("The hash-chained audit log of administrative actions.")
cycle_app = new_app("Election cycles.")
access_app = new_app("Staff accounts: roles scoped to a territory, and passwords.")
app.add_typer(cycle_app, name="cycle")
app.add_typer(access_app, name="access")
app.add_typer(db_app, name="db")
app.add_typer(roll_app, name="roll")
app.add_typer(nominations_app, name="nominations")
app.add_typer(contest_app, name="contest")
app.add_typer(audit_app, name="audit")


def _keys_app() -> typer.Typer:
    from tandau.cli.keys import app as keys_app

    return keys_app


app.add_typer(_keys_app(), name="keys")


def _districts_app() -> typer.Typer:
    from tandau.cli.districts import app as districts_app

    return districts_app


app.add_typer(_districts_app(), name="districts")


@audit_app.callback()
def _audit_group() -> None:
    """The hash-chained audit log of administrative actions (also ``tandau audit``)."""



# the services name their parameters; the command line says which option to change
CONTEST_OPTIONS = {"opens_at": "--opens", "closes_at": "--closes", "council_id": "--council", "kato": "--kato",
                   "max_marks": "--max-marks", "seats": "--seats", "id": "CONTEST_ID", "cycle_id": "--cycle",
                   "level": "--level", "rule": "--rule", "ties": "--ties"}


@contextmanager
def _options_named(options: dict[str, str]) -> Iterator[None]:
    """Re-raise an InputError about a service parameter as one about the command's option."""
    try:
        yield
    except InputError as exc:
        if exc.parameter not in options:
            raise
        raise InputError(exc.problem, file=exc.file, row=exc.row, column=exc.column,
                         parameter=options[exc.parameter], code=exc.code, params=exc.params) from None


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


@db_app.command("prune")
def db_prune(
    keep_days: int = typer.Option(30, "--keep-days", min=1, help="Keep sessions that ended within this many days."),
    db: str | None = DB,
) -> None:
    """Housekeeping: delete ended sessions and sign-in failure counters that no longer count (run it daily,
    e.g. from cron; nothing else removes them)."""
    from tandau.services.primaries import sessions, throttle
    from tandau.settings import Settings

    with session_scope(db) as session:
        gone_sessions = sessions.prune(session, keep_days=keep_days)
        gone_counters = throttle.prune(session, throttle.Limits.of(Settings()))
    out_console.print(f"{gone_sessions} ended session(s) and {gone_counters} stale sign-in counter(s) deleted")


@roll_app.command("import")
def roll_import(
    file: Path = typer.Argument(..., help="CSV or XLSX: id,name,sex,birth_date,territory,contact"),
    reason: str | None = typer.Option(
        None, "--reason", help="Why; required (central office only) for rows that change the frozen roll of an "
        "open or closed contest, each audited with its values before and after."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Import the member roll, all or nothing. From opening until publication the roll of a contest's territory
    is frozen: only the central office changes it, with --reason."""
    with session_scope(db) as session:
        done = roll.import_roll(session, _actor(actor), file, reason=reason)
    frozen = f"; {done.frozen} in frozen rolls ({', '.join(done.frozen_contests)})" if done.frozen else ""
    out_console.print(f"{done.file}: {done.added} added, {done.updated} updated{frozen} "
                      f"(sha256 {done.sha256[:12]}…)")


@nominations_app.command("import")
def nominations_import(
    file: Path = typer.Argument(..., help="CSV or XLSX: contest,member,nominated_by[,organisation,tags]"),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Import nominations with eligibility checks, all or nothing."""
    with session_scope(db) as session:
        n = nominations.import_nominations(session, _actor(actor), file)
    out_console.print(f"{n} nomination(s) registered")


@cycle_app.command("create")
def cycle_create(
    cycle_id: str = typer.Argument(..., help="A stable id, e.g. maslikhat-2026."),
    name: str = typer.Option(..., "--name", help="Display name."),
    election_date: str | None = typer.Option(None, "--election-date", help="YYYY-MM-DD; ages count on this day."),
    system: str = typer.Option(DEFAULT_CYCLE_SYSTEM, "--system", help="Electoral system (`tandau territory "
                               "systems`): kz-2021 (every seat from party lists) or kz-2023 (mixed; single-member "
                               "districts)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Create an election cycle under an electoral system."""
    day = None
    if election_date is not None:
        try:
            day = date.fromisoformat(election_date)
        except ValueError:
            raise InputError(f"expected YYYY-MM-DD, got {election_date!r}", parameter="--election-date") from None
    with session_scope(db) as session:
        cycle = contests.create_cycle(session, _actor(actor), cycle_id, name, day, system=system)
    out_console.print(f"cycle {cycle.id} created (system {cycle.system})")


@contest_app.command("create")
def contest_create(
    contest_id: str = typer.Argument(..., help="A stable id, e.g. M-1110 or national."),
    cycle: str = typer.Option(..., "--cycle", help="The cycle it belongs to."),
    name: str = typer.Option(..., "--name", help="Display name."),
    level: str = typer.Option(..., "--level", help="regional | city | district | national (a city of republican "
                              "significance is regional; republican_city is taken as regional). Every level but "
                              "national needs --council and --kato."),
    region: str = typer.Option("", "--region", help="Region name as pages show it (e.g. 'Almaty region'); empty for "
                               "the national list."),
    rule: str = typer.Option("approval", "--rule", help="Counting rule id (see tandau tally --help)."),
    seats: int = typer.Option(..., "--seats", help="Places the primary ranks for."),
    max_marks: int | None = typer.Option(None, "--max-marks", help="Approval: at most this many marks."),
    opens: str = typer.Option(..., "--opens", help="Opening time (ISO, with zone)."),
    closes: str = typer.Option(..., "--closes", help="Closing time (ISO, with zone)."),
    council: str | None = typer.Option(None, "--council", help="Council id (none: the national list)."),
    kato: str | None = typer.Option(None, "--kato", help="KATO code (9 digits) of the council's territory."),
    ties: str = typer.Option("refuse", "--ties", help="Tie policy of the count: refuse | nomination-order | lot "
                             "(drawn from the seed committed when voting opens; alias nomination = nomination-order)."),
    revote: bool = typer.Option(False, "--revote", help="Members may vote again; the last ballot counts."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Create a contest (in draft: nominations can be registered, then it is opened)."""
    level = "regional" if level == "republican_city" else level
    if level != "national" and (council is None or kato is None):
        raise InputError(f"a {level} contest needs --council (the council's id) and --kato (its territory, 9 digits)",
                         parameter="--council" if council is None else "--kato")
    spec = contests.ContestSpec(
        id=contest_id, cycle_id=cycle, name=name, level=level, region=region, rule=rule, seats=seats,
        opens_at=_moment(opens, "--opens"), closes_at=_moment(closes, "--closes"), council_id=council,
        kato=kato, max_marks=max_marks, tie_policy=ties, revote=revote,
    )
    with session_scope(db) as session, _options_named(CONTEST_OPTIONS):
        c = contests.create_contest(session, _actor(actor), spec)
    out_console.print(f"contest {c.id} created ({c.status})")


@access_app.command("grant")
def access_grant(
    subject: str = typer.Argument(..., help="A member id or a staff login."),
    role: str = typer.Argument(..., help="secretary | control | moderator | deputy | appeal_handler (each with "
                                         "--kato) | central | observer | keyholder."),
    kato: str | None = typer.Option(
        None, "--kato", help="Territory of a secretary or control-commission member (KATO code, 9 digits)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Give a role (a branch secretary sees and changes only their territory and what lies under it)."""
    valid = [r.value for r in Role]
    if role not in valid:
        raise InputError(f"unknown role {role!r}; valid: {', '.join(valid)}", parameter="ROLE")
    with session_scope(db) as session:
        auth.grant_role(session, _actor(actor), subject, Role(role), kato)
        session.commit()
    out_console.print(f"{subject} is now {role}" + (f" for {kato}" if kato else ""))


@access_app.command("password")
def access_password(
    subject: str = typer.Argument(..., help="A member id or a staff login."),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True,
                                 help="The new password (asked for when not given)."),
    db: str | None = DB,
) -> None:
    """Set a password (stored as an argon2id hash); every session of the subject is signed out."""
    from tandau.services.primaries import sessions

    with session_scope(db) as session:
        auth.set_password(session, subject, password)
        revoked = sessions.revoke_subject(session, subject)
    out_console.print(f"password of {subject} set; {revoked} session(s) signed out")


@access_app.command("revoke-sessions")
def access_revoke_sessions(
    subject: str = typer.Argument(..., help="A member id or a staff login."),
    reason: str | None = typer.Option(None, "--reason", help="Why (recorded in the audit log)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Sign a subject out everywhere (a stolen cookie, a lost phone): every live session is revoked, audited
    as session.revoke. App processes drop their cached copy within TANDAU_SESSION_CACHE_SECONDS."""
    from tandau.services.primaries import sessions

    with session_scope(db) as session:
        count = sessions.revoke_by_administrator(session, _actor(actor), subject, reason=reason)
    out_console.print(f"{count} session(s) of {subject} revoked")


@contest_app.command("open")
def contest_open(contest_id: str, db: str | None = DB, actor: str = ACTOR) -> None:
    """Open a draft contest for voting during its window."""
    with session_scope(db) as session:
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
    with session_scope(db) as session:
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
    with session_scope(db) as session:
        c = contests.close_contest(session, _actor(actor), contest_id, early=early)
    out_console.print(f"{c.id} closed")


@contest_app.command("exclude")
def contest_exclude(
    contest_id: str,
    candidate: str = typer.Option(..., "--candidate", help="The candidate's member id or public id."),
    reason: str = typer.Option(..., "--reason", help="Why the party's rules require it (on the bulletin)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Leave a candidate out of the count of a closed contest; the bulletin keeps every ballot as cast."""
    with session_scope(db) as session:
        publish.exclude_candidate(session, _actor(actor), contest_id, candidate, reason)
    out_console.print(f"{candidate} excluded from the count of {contest_id}")


@app.command("publish")
def publish_cmd(
    contest_id: str,
    out: Path | None = typer.Option(None, "--out", help="Also write the bulletin board to this file (.jsonl); it is "
                                    "kept in the file store either way (served by every app process)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the 'lot' tie policy, only for a contest opened "
                                    "before seed commitments (others use the seed committed at opening)."),
    lot_on_tie: bool = typer.Option(False, "--lot-on-tie", help="Central office: decide a tie the contest's policy "
                                    "refuses by lot on the committed seed (audited)."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Count a closed contest, store its bulletin board (and write it to --out) and publish the result."""
    with session_scope(db) as session:
        result = publish.publish_contest(session, _actor(actor), contest_id, out, seed=seed, lot_on_tie=lot_on_tie)
    where = publish.bulletin_key(contest_id) + ("" if out is None else f" and {out}")
    out_console.print(f"{contest_id}: elected {', '.join(result.elected) or '-'}; bulletin board {where}")


@audit_app.command("verify")
def audit_verify(db: str | None = DB) -> None:
    """Recompute the hash chain; exit 1 if any entry was altered, removed or reordered."""
    with session_scope(db) as session:
        report = audit.verify(session)
    if report.ok:
        out_console.print(f"audit log intact: {report.entries} entries, head {report.head}")
        return
    for problem in report.problems:
        err_console.print(f"tampered: {problem}")
    raise typer.Exit(1)
