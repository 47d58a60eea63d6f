"""The crash test (issue 15, quality bar): ``tandau worker`` is killed with SIGKILL in the middle of forming every
list of a cycle; another worker finds the stalled job (procrastinate's heartbeat), claims it again and resumes after
the last step that committed — each list formed once and audited once, the job succeeded on its second attempt.

Deterministic without sleeps in the product: the test holds an uncommitted row of the second contest's stored list,
so the worker's second step blocks on that row's unique key after the first step has committed; the kill comes
while it waits, and the blocked transaction dies with the worker.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

import tandau
from tandau.services.jobs import submit
from tandau.services.primaries import audit
from tandau.store import Base, make_engine, session_factory
from tandau.store.jobs_models import Job
from tandau.store.models import workspace_lists

from ..primaries.conftest import CENTRAL, Db, _postgres_url, build_world
from .conftest import vote_and_close

SRC = str(Path(tandau.__file__).resolve().parents[1])


@pytest.fixture
def own_database() -> Iterator[str]:
    """A schema of its own, named in the URL the worker processes are given (libpq's ``options``)."""
    base = _postgres_url()
    name = "t_jobs_" + secrets.token_hex(5)
    admin = make_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
        conn.commit()
    try:
        yield make_url(base).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
            conn.commit()
        admin.dispose()


def _worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC, "TANDAU_ENVIRONMENT": "development"}  # the default secret key
    with log.open("wb") as out:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "tandau", "worker", "--db", url, "--heartbeat", "0.3",
                                 "--stalled-after", "2", "--poll", "0.2"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)


def _until(what: str, check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.05)


def _job(engine: Engine, job_id: str) -> Job:
    with session_factory(engine)() as s:
        row = s.get(Job, job_id)
        assert row is not None
        return row


def test_sigkill_mid_job_then_another_worker_resumes_it_exactly_once(own_database: str, tmp_path: Path) -> None:
    engine = make_engine(own_database)
    try:
        _crash_and_resume(engine, own_database, tmp_path)
    finally:
        engine.dispose()


def _crash_and_resume(engine: Engine, own_database: str, tmp_path: Path) -> None:
    Base.metadata.create_all(engine)
    world = build_world(Db("postgresql", engine, session_factory(engine), own_database), tmp_path)
    vote_and_close(world)
    blocker = engine.connect()
    blocker.execute(workspace_lists.insert().values(  # uncommitted: the second step's insert waits on its key
        contest_id="almaty-region", rules="x", length=1, seats=1, pins="[]", exclude="[]", votes="{}", result="{}",
        updated_at=datetime.now(UTC), updated_by="test"))
    with world.session() as s:
        job = submit(s, CENTRAL, "lists.form-all", {"cycle_id": "2026"})
    first = _worker(own_database, tmp_path / "worker1.log")
    second: subprocess.Popen[bytes] | None = None
    try:
        _until("the first step committed", lambda: _job(engine, job.id).done == 1, 60)
        with engine.connect() as probe:
            _until("the second step waiting on the held row", lambda: bool(probe.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()), 20)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        blocker.rollback()
        blocker.close()
        row = _job(engine, job.id)
        assert (row.status, row.done, row.attempts) == ("running", 1, 1)
        second = _worker(own_database, tmp_path / "worker2.log")
        _until("the job finished by the second worker", lambda: _job(engine, job.id).status != "running", 60)
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)
    row = _job(engine, job.id)
    assert (row.status, row.done, row.total, row.attempts) == ("succeeded", 2, 2, 2), (
        row.error, (tmp_path / "worker2.log").read_text())
    assert '"resumed_at": 1' in (row.result or "")
    with world.session() as s:
        formed = sorted(s.execute(workspace_lists.select()).scalars())
        audited = sorted(e.target for e in audit.entries(s) if e.action == "list.form")
        assert audit.verify(s).ok
    assert formed == audited == ["almaty-city", "almaty-region"]  # each list formed once, audited once
