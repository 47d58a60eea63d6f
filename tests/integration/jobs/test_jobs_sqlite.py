"""Jobs on the embedded SQLite default: idempotency, retry with back-off, cancel, release, audit, authorization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tandau.errors import InputError
from tandau.services.jobs import cancel_job, get_job, list_jobs, queue_depth, run_job, submit, transports
from tandau.services.jobs.runner import stopping
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.store.jobs_models import Job

from ..primaries.conftest import CENTRAL, Db

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SECRETARY = Actor("sec-75", (Grant(Role.SECRETARY, "750000000"),))


def _steps(db: Db, job_id: str) -> list[str]:
    with db.Session() as s:
        return sorted(e.target for e in audit.entries(s) if e.action == "test.step" and e.target.startswith(job_id))


def test_a_job_runs_in_process_with_progress_and_audit(db: Db) -> None:
    with db.Session() as s:
        job = submit(s, CENTRAL, "test.steps", {"n": 3}, idempotency_key="same-request-1")
        again = submit(s, CENTRAL, "test.steps", {"n": 3}, idempotency_key="same-request-1")
    assert again.id == job.id  # the same request twice: the same job
    assert transports(db.engine)[1].idle(20)
    with db.Session() as s:
        done = get_job(s, CENTRAL, job.id)
        submitted = [e for e in audit.entries(s) if e.action == "job.submit"]
        assert audit.verify(s).ok
        assert queue_depth(s) == 0
    assert (done.status, done.done, done.total, done.attempts, done.result) == ("succeeded", 3, 3, 1, {"steps": 3})
    assert _steps(db, job.id) == [f"{job.id}:{i}" for i in range(3)]
    assert [e.target for e in submitted] == [job.id]  # one audit entry for the two identical submissions


def test_a_failing_step_is_retried_with_backoff_and_applied_once(db: Db) -> None:
    with db.Session() as s:
        job = submit(s, CENTRAL, "test.steps", {"n": 4, "fail_at": 2, "fail_times": 1}, dispatch=False)
    assert run_job(db.engine, job.id) == "queued"
    with db.Session() as s:
        row = s.get(Job, job.id)
        assert row is not None and row.next_attempt_at is not None
        wait = (row.next_attempt_at - row.updated_at).total_seconds()
        assert wait == 0.05  # the base (0.05 s) after the first failure, from the moment it failed
        assert (row.done, row.attempts, row.error) == (2, 1, "RuntimeError: flaky step")
    assert run_job(db.engine, job.id) is None  # not due yet: nobody may claim it
    with db.Session() as s:
        s.get(Job, job.id).next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)  # type: ignore[union-attr]
        s.commit()
    assert run_job(db.engine, job.id) == "succeeded"
    assert _steps(db, job.id) == [f"{job.id}:{i}" for i in range(4)]  # steps 0 and 1 not repeated


def test_a_job_gives_up_after_its_attempts(db: Db) -> None:
    with db.Session() as s:
        job = submit(s, CENTRAL, "test.steps", {"n": 2, "fail_times": 5}, dispatch=False)
    statuses = []
    for _ in range(3):
        statuses.append(run_job(db.engine, job.id))
        with db.Session() as s:
            s.get(Job, job.id).next_attempt_at = None  # type: ignore[union-attr]
            s.commit()
    assert statuses == ["queued", "queued", "failed"]
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).attempts == 3


def test_cancel_a_queued_job_and_a_running_one_between_steps(db: Db) -> None:
    with db.Session() as s:
        queued = submit(s, CENTRAL, "test.steps", {"n": 2}, dispatch=False)
        cancelled = cancel_job(s, CENTRAL, queued.id)
        assert cancelled.status == "cancelled"
        with pytest.raises(StateError):
            cancel_job(s, CENTRAL, queued.id)
        running = submit(s, CENTRAL, "test.steps", {"n": 5}, dispatch=False)
        s.get(Job, running.id).status = "running"  # type: ignore[union-attr]
        s.get(Job, running.id).done = 2  # type: ignore[union-attr]
        s.commit()
        assert cancel_job(s, CENTRAL, running.id).status == "running"  # stops at its next step
        assert [e.target for e in audit.entries(s) if e.action == "job.cancel"] == [queued.id, running.id]
    assert run_job(db.engine, queued.id) is None
    assert run_job(db.engine, running.id, resume=True) == "cancelled"
    assert _steps(db, running.id) == []


def test_a_stopping_runner_gives_the_job_back(db: Db) -> None:
    with db.Session() as s:
        job = submit(s, CENTRAL, "test.steps", {"n": 2}, dispatch=False)
    with stopping():
        assert run_job(db.engine, job.id) == "queued"
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).attempts == 0
    assert run_job(db.engine, job.id) == "succeeded"


def test_arguments_authorization_and_visibility(db: Db) -> None:
    with db.Session() as s:
        with pytest.raises(InputError, match="unknown argument 'shares'"):
            submit(s, CENTRAL, "test.steps", {"n": 1, "shares": "x"})
        with pytest.raises(InputError, match="valid kinds"):
            submit(s, CENTRAL, "no.such", {})
        with pytest.raises(PermissionDeniedError):
            submit(s, SECRETARY, "test.steps", {"n": 1})  # the national workspace is the central office's
        job = submit(s, CENTRAL, "test.steps", {"n": 1}, dispatch=False)
        with pytest.raises(NotFoundError):
            get_job(s, SECRETARY, job.id)
        assert list_jobs(s, SECRETARY) == []
        assert [j.id for j in list_jobs(s, CENTRAL)] == [job.id]
        assert queue_depth(s) == 1
        assert s.execute(select(Job.arguments)).scalar_one() == '{"n": 1}'


def test_queue_depth_is_the_metrics_gauge(db: Db, tmp_path: Path) -> None:
    from tests.integration.web.conftest import WebClient, make_app

    with db.Session() as s:
        for n in (1, 2):  # waiting for a retry an hour from now: queued, and not taken up by the app meanwhile
            row = s.get(Job, submit(s, CENTRAL, "test.steps", {"n": n}, dispatch=False).id)
            assert row is not None
            row.next_attempt_at = datetime.now(UTC) + timedelta(hours=1)
        s.commit()
    app = make_app(db, tmp_path)
    with WebClient(app, client=("127.0.0.1", 5000)) as client:
        text = client.get("/metrics").text
    app.state.engine.dispose()
    assert "tandau_job_queue_depth 2.0" in text


def test_the_app_takes_up_jobs_left_queued_or_by_a_dead_process(db: Db, tmp_path: Path) -> None:
    from tests.integration.web.conftest import WebClient, make_app

    with db.Session() as s:
        queued = submit(s, CENTRAL, "test.steps", {"n": 1}, dispatch=False)
        orphan = submit(s, CENTRAL, "test.steps", {"n": 2}, dispatch=False)
        row = s.get(Job, orphan.id)
        assert row is not None
        row.status, row.done, row.attempts, row.runner = "running", 1, 1, f"{__import__('socket').gethostname()}:999999"
        s.commit()
    app = make_app(db, tmp_path)
    with WebClient(app):  # the lifespan starts the in-process runner
        assert transports(app.state.engine)[1].idle(20)
    app.state.engine.dispose()
    with db.Session() as s:
        assert get_job(s, CENTRAL, queued.id).status == "succeeded"
        resumed = get_job(s, CENTRAL, orphan.id)
    assert (resumed.status, resumed.attempts, resumed.result) == ("succeeded", 2, {"steps": 2})
    assert _steps(db, orphan.id) == [f"{orphan.id}:1"]  # step 0 was committed before the process died
