"""Jobs on PostgreSQL through a real procrastinate worker (in a thread of the test, on the test's own schema):
the submission and its queue entry in one transaction, progress, a retry after back-off, and SIGTERM-like stop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tandau.services.jobs import submit, wait_for
from tandau.services.jobs.worker import run_worker
from tandau.services.primaries import audit

from ..primaries.conftest import CENTRAL, Db

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def worker(db: Db) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=lambda: asyncio.run(run_worker(
        db.engine, heartbeat=0.5, stalled_after=3.0, poll=0.2, stop_when=stop)), daemon=True)
    thread.start()
    yield stop
    stop.set()
    thread.join(15)
    assert not thread.is_alive()


def test_a_procrastinate_worker_runs_and_retries_a_job(db: Db, worker: threading.Event) -> None:
    with db.Session() as s:
        plain = submit(s, CENTRAL, "test.steps", {"n": 3})
        flaky = submit(s, CENTRAL, "test.steps", {"n": 3, "fail_at": 1, "fail_times": 2})
        queued = s.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'tandau.run_job'")).scalar()
    assert queued is not None and queued >= 1
    with db.Session() as s:
        done = wait_for(s, CENTRAL, plain.id, timeout=20)
        retried = wait_for(s, CENTRAL, flaky.id, timeout=20)
        steps = sorted(e.target for e in audit.entries(s) if e.action == "test.step")
    assert (done.status, done.done, done.total, done.attempts) == ("succeeded", 3, 3, 1)
    assert (retried.status, retried.attempts, retried.done) == ("succeeded", 3, 3)
    assert steps == sorted([f"{plain.id}:{i}" for i in range(3)] + [f"{flaky.id}:{i}" for i in range(3)])


def test_a_key_share_job_of_a_dead_process_fails_when_a_worker_starts(db: Db) -> None:
    import socket

    from tandau.services.jobs import get_job
    from tandau.store.jobs_models import Job

    with db.Session() as s:
        job = submit(s, CENTRAL, "contest.close-decrypt", {"contest_id": "national"}, dispatch=False)
        row = s.get(Job, job.id)
        assert row is not None
        row.status, row.attempts, row.runner = "running", 1, f"{socket.gethostname()}:999999"
        s.commit()
    stop = threading.Event()
    stop.set()  # starts, recovers, stops
    asyncio.run(run_worker(db.engine, heartbeat=0.5, stalled_after=3.0, poll=0.2, stop_when=stop))
    with db.Session() as s:
        failed = get_job(s, CENTRAL, job.id)
    assert failed.status == "failed" and "hand them in again" in (failed.error or "")
