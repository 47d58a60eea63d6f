"""Retention of finished jobs: the lists leave out the internal kinds unless asked (service, CLI, API, page); ``tandau
jobs purge`` deletes finished jobs only (never queued or running) older than the period — the internal kinds by
default after a day, a named kind after 90 days — with their output files, audited unless only internal kinds went;
on PostgreSQL procrastinate's finished rows go too, and the worker's periodic task purges the internal kinds.
``tandau worker`` refuses the default secret key outside development."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from tandau.cli.main import build_app
from tandau.errors import InputError
from tandau.services.jobs import list_jobs, submit, transports
from tandau.services.jobs.retention import purge_jobs, purge_queue, queue_finished
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.settings import get_settings
from tandau.store.files import default_store
from tandau.store.files_models import StoredFile
from tandau.store.jobs_models import Job
from tests.integration.web.conftest import WebClient, database_url_of

from ..primaries.conftest import CENTRAL, Db

NOW = datetime.now(UTC)
SECRETARY = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))


def add_job(db: Db, kind: str, status: str, age_days: float, *, output: bool = False) -> str:
    """A job row of ``kind`` finished (or created, when unfinished) ``age_days`` ago; with ``output``, a file in
    the files store under its key, as a kind's :meth:`Context.store_output` leaves it."""
    job_id = secrets.token_hex(16)
    moment = NOW - timedelta(days=age_days)
    finished = status in ("succeeded", "failed", "cancelled")
    with db.Session() as s:
        s.add(Job(id=job_id, kind=kind, arguments="{}", status=status, done=0, step="", attempts=1, max_attempts=3,
                  requested_by="tandau:sign-in" if kind == "otp.deliver" else "central-test", grants="[]",
                  territory=None, cancel_requested=False, local_only=False, created_at=moment,
                  finished_at=moment if finished else None, updated_at=moment,
                  output_name="out.pdf" if output else None, output_type="application/pdf" if output else None))
        if output:
            default_store().put(s, f"jobs/{job_id}/out.pdf", b"%PDF-1.4 " + job_id.encode(),
                                content_type="application/pdf", owner_kind="job", owner_id=job_id)
        s.commit()
    return job_id


def ids(db: Db) -> set[str]:
    with db.Session() as s:
        return set(s.scalars(select(Job.id)))


def purges(db: Db) -> list[dict[str, object]]:
    with db.Session() as s:
        return [dict(e.details) for e in audit.entries(s) if e.action == "job.purge"]


def test_the_lists_leave_out_internal_kinds_unless_asked(web: tuple[Db, WebClient]) -> None:
    db, client = web
    otp_job = add_job(db, "otp.deliver", "succeeded", 0.01)
    with db.Session() as s:
        mine = submit(s, CENTRAL, "test.steps", {"n": 1}, dispatch=False).id
        assert [j.id for j in list_jobs(s, CENTRAL)] == [mine]
        assert {j.id for j in list_jobs(s, CENTRAL, internal=True)} == {mine, otp_job}
        assert [j.id for j in list_jobs(s, CENTRAL, kind="otp.deliver")] == [otp_job]  # naming it asks for it
    cli, runner = build_app(), CliRunner()
    listed = runner.invoke(cli, ["jobs", "list", "--db", db.url, "--format", "json"])
    assert [j["id"] for j in json.loads(listed.output)] == [mine]
    listed = runner.invoke(cli, ["jobs", "list", "--db", db.url, "--format", "json", "--internal"])
    assert {j["id"] for j in json.loads(listed.output)} == {mine, otp_job}
    staff = client.login("central")
    assert [j["id"] for j in staff.get("/api/v1/jobs").json()] == [mine]
    assert {j["id"] for j in staff.get("/api/v1/jobs?internal=true").json()} == {mine, otp_job}
    page = staff.get("/jobs")
    assert mine in page.text and otp_job not in page.text and 'name="internal"' in page.text
    shown = staff.get("/jobs?internal=true")
    assert otp_job in shown.text and "checked" in shown.text
    if client.app.state.vendor.get("htmx.org"):  # type: ignore[attr-defined]
        assert "internal=true" in shown.text  # the refreshed rows keep the filter
    assert "Tandau өзі бастайтын тапсырмаларды да көрсету" in staff.get("/jobs?lang=kk").text
    assert "Показывать и задания, которые Tandau запускает сам" in staff.get("/jobs?lang=ru").text


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_purge_takes_finished_internal_jobs_by_default_and_a_named_kind_when_asked(db: Db) -> None:
    old_done = {add_job(db, "otp.deliver", status, 2) for status in ("succeeded", "failed", "cancelled")}
    recent = add_job(db, "otp.deliver", "succeeded", 0.5)
    unfinished = {add_job(db, "otp.deliver", status, 30) for status in ("queued", "running")}
    report_old = add_job(db, "test.steps", "succeeded", 100, output=True)
    report_mid = add_job(db, "test.steps", "failed", 10, output=True)
    everything = old_done | unfinished | {recent, report_old, report_mid}
    with db.Session() as s:
        dry = purge_jobs(s, CENTRAL, dry_run=True)
    assert (dry.kinds, dry.older_than_days, dry.removed, dry.audited) == (("otp.deliver",), 1.0,
                                                                          {"otp.deliver": 3}, False)
    assert ids(db) == everything
    with db.Session() as s:
        done = purge_jobs(s, CENTRAL)
    assert done.removed == {"otp.deliver": 3} and not done.audited and purges(db) == []
    assert ids(db) == everything - old_done  # the recent one and the unfinished ones stay
    with db.Session() as s:
        kept = purge_jobs(s, CENTRAL, kinds=["test.steps"])  # 90 days by default for a kind started by hand
    assert kept.older_than_days == 90.0 and kept.removed == {"test.steps": 1} and kept.files == 1 and kept.audited
    assert report_old not in ids(db) and report_mid in ids(db)
    with db.Session() as s:
        keys = set(s.scalars(select(StoredFile.key)))
    assert keys == {f"jobs/{report_mid}/out.pdf"}  # the purged job's output went with it
    [entry] = purges(db)
    assert entry["kinds"] == ["test.steps"] and entry["removed"] == {"test.steps": 1} and entry["files"] == 1
    with db.Session() as s:
        nothing = purge_jobs(s, CENTRAL, every=True, older_than_days=5, dry_run=True)
        assert nothing.removed == {"test.steps": 1}  # every kind: the 10-day-old failed one (its otp ones: recent)
        with pytest.raises(PermissionDeniedError):
            purge_jobs(s, SECRETARY)
        with pytest.raises(InputError, match="unknown job kind"):
            purge_jobs(s, CENTRAL, kinds=["nope"])
        with pytest.raises(InputError, match="only the internal kinds"):
            purge_jobs(s, None, kinds=["test.steps"])
    assert ids(db) == everything - old_done - {report_old}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_purge_command(db: Db) -> None:
    cli, runner = build_app(), CliRunner()
    otp_old = add_job(db, "otp.deliver", "succeeded", 3)
    steps_old = add_job(db, "test.steps", "cancelled", 3)
    dry = runner.invoke(cli, ["jobs", "purge", "--db", db.url, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would delete 1 finished jobs of otp.deliver" in dry.output and "otp.deliver 1" in dry.output
    assert ids(db) == {otp_old, steps_old}
    done = runner.invoke(cli, ["jobs", "purge", "--db", db.url, "--format", "json"])
    report = json.loads(done.output)
    assert (report["total"], report["audited"], report["queue_rows"]) == (1, False, None)  # SQLite: no queue table
    named = runner.invoke(cli, ["jobs", "purge", "--db", db.url, "--kind", "test.steps", "--older-than", "2"])
    assert named.exit_code == 0 and "deleted 1 finished jobs of test.steps" in named.output
    assert "audited" in named.output
    assert ids(db) == set() and len(purges(db)) == 1
    both = runner.invoke(cli, ["jobs", "purge", "--db", db.url, "--kind", "test.steps", "--all-kinds"])
    assert both.exit_code == 2 and "not both" in both.output
    assert "jobs purge" in (Path(__file__).parents[3] / "docs" / "cli.md").read_text(encoding="utf-8")


def _procrastinate_rows(db: Db, status: str | None = None) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'tandau'"
                                     + (" AND status::text = :s" if status else "")), {"s": status}).scalar_one())


def _age_procrastinate(db: Db, days: float) -> None:
    """Make procrastinate's rows of the queue failed and their events ``days`` old (a job whose run raised)."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE procrastinate_jobs SET status = 'failed' WHERE queue_name = 'tandau'"))
        conn.execute(text("UPDATE procrastinate_events SET at = now() - make_interval(secs => :s)"),
                     {"s": days * 86400})


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_on_postgresql_procrastinate_finished_rows_go_too(db: Db) -> None:
    with db.Session() as s:
        submit(s, CENTRAL, "test.steps", {"n": 1})  # deferred to procrastinate in the same transaction
    assert _procrastinate_rows(db) == 1 and queue_finished(db.engine) == 0
    assert purge_queue(db.engine, 1.0) == 0  # a job waiting to run is never removed
    _age_procrastinate(db, 3)
    assert queue_finished(db.engine) == 1
    assert purge_queue(db.engine, 7.0) == 0 and _procrastinate_rows(db) == 1  # younger than the period
    done = CliRunner().invoke(build_app(), ["jobs", "purge", "--db", database_url_of(db), "--older-than", "2",
                                            "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["queue_rows"] == 1 and _procrastinate_rows(db) == 0


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_worker_runs_the_periodic_purge_of_internal_kinds(db: Db) -> None:
    from tandau.services.jobs.worker import PURGE_CRON, PURGE_TASK, run_worker

    assert PURGE_CRON.split()[1:] == ["*", "*", "*", "*"]  # every hour
    old = add_job(db, "otp.deliver", "succeeded", 2)
    young = add_job(db, "otp.deliver", "failed", 0.2)
    by_hand = add_job(db, "test.steps", "succeeded", 200)
    stop = threading.Event()
    worker = threading.Thread(target=lambda: asyncio.run(run_worker(
        db.engine, heartbeat=0.5, stalled_after=3.0, poll=0.2, stop_when=stop)), daemon=True)
    worker.start()
    try:
        app = transports(db.engine)[0].app  # type: ignore[attr-defined]
        with db.engine.begin() as conn:  # what procrastinate's periodic deferrer does at minute 17
            conn.execute(text("SELECT 1"))  # the transaction the defer joins (committed by the block)
            app.configure_task(PURGE_TASK, connection=conn.connection.driver_connection).defer(
                timestamp=int(time.time()))
        deadline = time.monotonic() + 20
        while old in ids(db) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(15)
    assert not worker.is_alive()
    assert ids(db) == {young, by_hand} and purges(db) == []


def test_the_worker_refuses_the_default_secret_key_outside_development() -> None:
    cli, runner = build_app(), CliRunner()
    nowhere = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # refused before any connection
    try:
        refused = runner.invoke(cli, ["worker", "--db", nowhere], env={"TANDAU_ENVIRONMENT": "production",
                                                                       "TANDAU_SECRET_KEY": None})
        assert refused.exit_code == 2, refused.output
        assert "refusing to start in production" in refused.output and "TANDAU_SECRET_KEY" in refused.output
        console = runner.invoke(cli, ["worker", "--db", nowhere], env={
            "TANDAU_ENVIRONMENT": "production", "TANDAU_SECRET_KEY": secrets.token_urlsafe(48),
            "TANDAU_OTP_DELIVERY": "console"})
        assert console.exit_code == 2 and "console sender" in console.output  # the worker sends the codes
    finally:
        get_settings.cache_clear()
