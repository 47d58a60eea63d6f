"""``tandau jobs`` and ``tandau worker``: background jobs (issue 15, item 2; docs/deployment.md, "Workers").

``tandau worker --db URL [--concurrency N]`` runs jobs from PostgreSQL (procrastinate) until SIGTERM, giving a
running job back to the queue at its next step. ``tandau jobs list|show|cancel`` read and cancel the ``jobs``
record (``--format table|json``; ``list`` leaves out the internal kinds unless ``--internal``); ``tandau jobs
setup`` applies procrastinate's schema (the worker and the app do it on start); ``tandau jobs submit KIND
key=value ...`` queues a job (``--wait`` runs it here and waits); ``tandau jobs purge`` deletes old finished jobs
(:mod:`tandau.services.jobs.retention`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from tandau.cli._app import new_app, out_console
from tandau.cli._db import ACTOR, DB, central, session_scope
from tandau.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from tandau.services.jobs import JobView
    from tandau.services.primaries.access import Actor

app = new_app("Background jobs: list, show, cancel, submit; the queue's setup.")
FORMATS = ("table", "json")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"must be table or json, got {fmt!r}", parameter="--format")


def _progress(job: JobView) -> str:
    total = "?" if job.total is None else str(job.total)
    percent = "" if job.percent is None else f" ({job.percent}%)"
    return f"{job.done}/{total}{percent}"


def print_job(job: JobView, fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(job.public(), ensure_ascii=False, indent=2))
        return
    lines = [("job", job.id), ("kind", job.kind), ("arguments", json.dumps(job.arguments, ensure_ascii=False)),
             ("status", job.status + (" (cancel requested)" if job.cancel_requested and not job.finished else "")),
             ("progress", _progress(job)), ("step", job.step or "-"),
             ("attempts", f"{job.attempts} of {job.max_attempts}"),
             ("next attempt", job.next_attempt_at.isoformat() if job.next_attempt_at else "-"),
             ("requested by", job.requested_by), ("territory", job.territory or "whole country"),
             ("created", job.created_at.isoformat()),
             ("finished", job.finished_at.isoformat() if job.finished_at else "-"),
             ("result", json.dumps(job.result, ensure_ascii=False) if job.result is not None else "-"),
             ("output", job.output_name or "-"), ("error", job.error or "-")]
    for name, value in lines:
        out_console.print(f"{name:>13}: {value}", markup=False)


@app.command("list")
def list_cmd(
    db: str | None = DB,
    status: str | None = typer.Option(None, "--status", help="queued, running, succeeded, failed or cancelled."),
    kind: str | None = typer.Option(None, "--kind", help="Only jobs of this kind."),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="At most this many, newest first."),
    internal: bool = typer.Option(False, "--internal", help="Include the jobs Tandau starts itself (otp.deliver: "
                                  "one per sign-in code), left out by default."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    actor: str = ACTOR,
) -> None:
    """The jobs, newest first: status, progress, attempts."""
    from tandau.services.jobs import list_jobs

    _check_format(fmt)
    with session_scope(db) as s:
        found = list_jobs(s, central(actor), status=status, kind=kind, limit=limit, internal=internal)
    if fmt == "json":
        typer.echo(json.dumps([j.public() for j in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out_console.print("no jobs", markup=False)
        return
    for j in found:
        out_console.print(f"{j.id}  {j.kind:<22} {j.status:<10} {_progress(j):<14} attempts {j.attempts}  "
                          f"{j.created_at:%Y-%m-%d %H:%M}  {j.step}", markup=False)


@app.command("show")
def show_cmd(
    job_id: str = typer.Argument(..., help="The job's id."),
    db: str | None = DB,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    actor: str = ACTOR,
) -> None:
    """One job: progress, attempts, next attempt, result or error."""
    from tandau.services.jobs import get_job

    _check_format(fmt)
    with session_scope(db) as s:
        print_job(get_job(s, central(actor), job_id), fmt)


@app.command("cancel")
def cancel_cmd(
    job_id: str = typer.Argument(..., help="The job's id."),
    db: str | None = DB,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    actor: str = ACTOR,
) -> None:
    """Cancel a job: a queued one at once, a running one at its next step (audited)."""
    from tandau.services.jobs import cancel_job

    _check_format(fmt)
    with session_scope(db) as s:
        print_job(cancel_job(s, central(actor), job_id), fmt)


@app.command("setup")
def setup_cmd(db: str | None = DB) -> None:
    """Apply procrastinate's schema to a PostgreSQL database (idempotent; the worker and the app do it on start)."""
    from tandau.services.jobs import ensure_schema
    from tandau.store.engine import database_url, make_engine

    engine = make_engine(database_url(db))
    try:
        if engine.dialect.name != "postgresql":
            out_console.print("SQLite: jobs run in the process that submits them; nothing to set up", markup=False)
            return
        applied = ensure_schema(engine)
    finally:
        engine.dispose()
    out_console.print("procrastinate schema applied" if applied else "procrastinate schema already present",
                      markup=False)


@app.command("purge")
def purge_cmd(
    db: str | None = DB,
    older_than: float | None = typer.Option(None, "--older-than", min=0, help="Days since the job finished "
                                            "(default: 1 for the internal kinds only, else 90)."),
    kind: list[str] = typer.Option(None, "--kind", help="Purge this kind (repeatable; default: the internal "
                                   "kinds, otp.deliver)."),
    every: bool = typer.Option(False, "--all-kinds", help="Purge every kind."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; delete nothing."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    actor: str = ACTOR,
) -> None:
    """Delete finished jobs (succeeded, failed, cancelled; never queued or running) older than the period, with their
    output files and procrastinate's finished rows; audited unless only internal kinds went."""
    from tandau.services.jobs.retention import purge_jobs, purge_queue

    _check_format(fmt)
    if every and kind:
        raise InputError("name kinds or ask for every kind, not both", parameter="--all-kinds")
    with session_scope(db) as s:
        done = purge_jobs(s, central(actor), kinds=kind or None, every=every, older_than_days=older_than,
                          dry_run=dry_run)
        if not dry_run:
            from dataclasses import replace

            done = replace(done, queue_rows=purge_queue(s.get_bind(), done.older_than_days))  # type: ignore[arg-type]
    if fmt == "json":
        typer.echo(json.dumps(done.public(), ensure_ascii=False, indent=2))
        return
    verb = "would delete" if dry_run else "deleted"
    by_kind = ", ".join(f"{k} {n}" for k, n in done.removed.items()) or "none"
    out_console.print(f"{verb} {done.total} finished jobs of {', '.join(done.kinds) or 'no kind'} finished before "
                      f"{done.before:%Y-%m-%d %H:%M} UTC ({done.older_than_days:g} days): {by_kind}"
                      + ("" if dry_run else f"; {done.files} output files")
                      + ("; audited" if done.audited else ""), markup=False)
    if done.queue_rows is not None:
        out_console.print(f"deleted {done.queue_rows} finished procrastinate rows of the tandau queue", markup=False)


def _arguments(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputError(f"arguments are name=value, got {pair!r}", parameter="ARGUMENTS")
        found[name] = value
    return found


def submit_and_report(db: str | None, actor: str, kind: str, arguments: dict[str, str], *, wait: bool,
                      key: str | None, fmt: str) -> None:
    """Queue the job; with ``wait`` (always on SQLite: the CLI process would end before its thread) run it here
    and print its final state, exiting 1 unless it succeeded."""
    from tandau.services.jobs import submit

    report_submitted(db, actor, lambda s, who, dispatch: submit(s, who, kind, arguments, idempotency_key=key,
                                                                 dispatch=dispatch), wait=wait, fmt=fmt)


def report_submitted(db: str | None, actor: str, make: Callable[[Session, Actor, bool], JobView], *, wait: bool,
                     fmt: str) -> None:
    """Queue a job with ``make(session, actor, dispatch)`` (:func:`tandau.services.jobs.submit`, or
    :mod:`tandau.services.jobs.uploads` for a file); with ``wait`` (always on SQLite) run it here and print its
    final state, exiting 1 unless it succeeded."""
    from tandau.services.jobs import get_job, run_job

    with session_scope(db) as s:
        here = wait or s.get_bind().dialect.name != "postgresql"
        job = make(s, central(actor), not here)
        if here and not job.finished:
            run_job(s.get_bind(), job.id)  # type: ignore[arg-type]
            s.expire_all()
            job = get_job(s, central(actor), job.id)
        print_job(job, fmt)
    if here and job.status != "succeeded":
        raise typer.Exit(1)


@app.command("submit")
def submit_cmd(
    kind: str = typer.Argument(..., help="The job kind (tandau jobs kinds)."),
    arguments: list[str] = typer.Argument(None, help="name=value arguments of the kind."),
    db: str | None = DB,
    wait: bool = typer.Option(False, "--wait", help="Run the job in this process and wait for it (always so on "
                              "SQLite)."),
    key: str | None = typer.Option(None, "--key", help="Idempotency key: the same key again gives the same job."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    actor: str = ACTOR,
) -> None:
    """Queue a job of KIND (on PostgreSQL a worker runs it; on SQLite it runs here)."""
    _check_format(fmt)
    submit_and_report(db, actor, kind, _arguments(arguments or []), wait=wait, key=key, fmt=fmt)


@app.command("kinds")
def kinds_cmd() -> None:
    """The registered job kinds and the arguments each takes."""
    from tandau.services.jobs import KINDS, load_kinds

    load_kinds()
    for kind in sorted(KINDS.values(), key=lambda k: k.id):
        args = ", ".join(sorted(kind.arguments)) or "-"
        out_console.print(f"{kind.id:<22} {kind.title} (arguments: {args})", markup=False)


def register(root: typer.Typer) -> None:
    """Add ``tandau worker`` at the top level."""
    root.command("worker")(worker_cmd)


def worker_cmd(
    db: str | None = DB,
    concurrency: int = typer.Option(1, "--concurrency", min=1, max=64, help="Jobs run at once by this worker."),
    heartbeat: float = typer.Option(10.0, "--heartbeat", min=0.2, help="Seconds between the worker's heartbeats."),
    stalled_after: float = typer.Option(30.0, "--stalled-after", min=1.0, help="Seconds without a heartbeat after "
                                        "which another worker's jobs are retried."),
    poll: float = typer.Option(2.0, "--poll", min=0.05, help="Seconds between looks for retries that became due."),
) -> None:
    """Run background jobs from PostgreSQL until SIGTERM (the running job goes back to the queue at its next step).

    Outside TANDAU_ENVIRONMENT=development it refuses to start with a default, published or short
    TANDAU_SECRET_KEY or the console sender, as tandau serve does: the worker opens and sends one-time codes."""
    import asyncio
    import logging

    from tandau.services.jobs.worker import run_worker
    from tandau.settings import get_settings
    from tandau.store.engine import database_url, make_engine

    engine = make_engine(database_url(db))
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise InputError("a worker needs PostgreSQL; with SQLite jobs run in the process that submits them",
                         parameter="--db")
    get_settings.cache_clear()  # the environment of this start, not one read earlier in the process
    try:
        get_settings().check_safe()  # the app servers' own check: one rule for every process holding the key
    except InputError:
        engine.dispose()
        raise
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        asyncio.run(run_worker(engine, concurrency=concurrency, heartbeat=heartbeat, stalled_after=stalled_after,
                               poll=poll))
    finally:
        engine.dispose()
