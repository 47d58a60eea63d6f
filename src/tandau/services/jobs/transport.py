"""How a job reaches a runner: procrastinate on PostgreSQL, a thread of this process on SQLite (issue 15, item 2).

One interface for both, chosen by the database URL (:func:`transport_for`):

- :class:`ProcrastinateTransport` (PostgreSQL): a submission defers a procrastinate job ``tandau.run_job`` on the
  *same connection and transaction* that inserts the ``jobs`` row (procrastinate's ``connection=`` option), so
  the row and its queue entry commit together or not at all; ``tandau worker`` runs them
  (:mod:`tandau.services.jobs.worker`).
- :class:`LocalTransport` (SQLite, and local-only jobs everywhere): a daemon thread of this process runs due jobs
  one at a time, waking at each job's next-attempt time; ``make demo`` needs nothing more.

Procrastinate's own schema is applied by :func:`ensure_schema` (``tandau jobs setup``; the worker and the app
call it on start): idempotent, under an advisory lock, from the installed procrastinate's schema file.
"""

from __future__ import annotations

import heapq
import logging
import threading
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tandau.core.jobs import JobStatus
from tandau.services.jobs.registry import get_kind
from tandau.store.engine import session_factory
from tandau.store.jobs_models import Job

log = logging.getLogger("tandau.jobs")
TASK_NAME = "tandau.run_job"
QUEUE = "tandau"
_SCHEMA_LOCK = 0x7A4D18  # advisory lock: one process applies procrastinate's schema


class Transport(Protocol):
    def enqueue(self, session: Session, job_id: str, at: datetime | None) -> None:
        """Hand the job to the queue inside the caller's transaction."""

    def committed(self, job_id: str, at: datetime | None, inputs: Mapping[str, Any] | None = None) -> None:
        """After the transaction committed (the in-process runner starts it then)."""


def ensure_schema(engine: Engine) -> bool:
    """Apply procrastinate's schema to the database (its current schema) unless it is there; True if applied."""
    if engine.dialect.name != "postgresql":
        return False
    from procrastinate.schema import SchemaManager

    # pg_class itself, not to_regclass(): a name looked up before the lock is remembered as missing by the
    # backend's catalog cache until its next transaction, while a scan of pg_class reads the statement's snapshot
    present = text("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE c.relname = 'procrastinate_jobs' AND n.nspname = current_schema()")
    with engine.connect() as conn:
        if conn.execute(present).scalar() is not None:
            return False
        conn.rollback()
        # a new transaction that takes the lock first: its later statements see what the lock's holder committed
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
        if conn.execute(present).scalar() is not None:
            conn.rollback()
            return False
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:  # no parameters: the schema's own % signs are not placeholders
            cursor.execute(SchemaManager.get_schema())
        conn.commit()
    return True


def conninfo(engine: Engine) -> tuple[str, dict[str, Any]]:
    """The libpq address of ``engine``'s database and the connection options (its ``search_path`` when it is not
    the default: the tests' per-test schemas), for procrastinate's own pools."""
    url = engine.url.set(drivername="postgresql")
    kwargs: dict[str, Any] = {}
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
    if schema and schema != "public" and "options" not in url.query:
        kwargs["options"] = f"-csearch_path={schema}"
    return url.render_as_string(hide_password=False), kwargs


class ProcrastinateTransport:
    """Jobs deferred to procrastinate in the submitting transaction."""

    def __init__(self, engine: Engine) -> None:
        from tandau.services.jobs.worker import make_app

        ensure_schema(engine)
        self.app = make_app(engine)

    def enqueue(self, session: Session, job_id: str, at: datetime | None) -> None:
        raw = session.connection().connection.driver_connection
        options: dict[str, Any] = {"queueing_lock": None, "connection": raw}
        if at is not None:
            options["schedule_at"] = at
        self.app.configure_task(TASK_NAME, queue=QUEUE, **options).defer(job_id=job_id)

    def committed(self, job_id: str, at: datetime | None, inputs: Mapping[str, Any] | None = None) -> None:
        return None


class LocalTransport:
    """A daemon thread of this process that runs due jobs one after another."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._heap: list[tuple[datetime, str]] = []
        self._inputs: dict[str, Mapping[str, Any]] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False

    def enqueue(self, session: Session, job_id: str, at: datetime | None) -> None:
        return None  # nothing to write: the row is the queue; committed() wakes the thread

    def committed(self, job_id: str, at: datetime | None, inputs: Mapping[str, Any] | None = None) -> None:
        with self._cond:
            if inputs is not None:
                self._inputs[job_id] = inputs
            heapq.heappush(self._heap, (at or datetime.now(UTC), job_id))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="tandau-jobs", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def recover(self) -> int:
        """At start: queue the jobs this process should run — every queued job, and jobs left running by a
        process of this host that is gone (a local-only one fails: its inputs died with it). How many."""
        from tandau.services.jobs.runner import RUNNER

        host = RUNNER.rsplit(":", 1)[0]
        found = 0
        with session_factory(self.engine)() as s:
            rows = s.execute(select(Job.id, Job.status, Job.runner, Job.next_attempt_at, Job.local_only)
                             .where(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))).all()
            for job_id, status, runner, at, local_only in rows:
                if status == JobStatus.RUNNING:
                    if not runner or runner.rsplit(":", 1)[0] != host or _alive(runner.rsplit(":", 1)[1]):
                        continue
                    s.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
                              .values(status=JobStatus.QUEUED, updated_at=datetime.now(UTC)))
                elif local_only:
                    continue  # its submitter is alive somewhere and runs it
                found += 1
                self.committed(job_id, at)
            s.commit()
        return found

    def idle(self, timeout: float = 30.0) -> bool:
        """Wait until no job is due or running (tests and ``--wait``); False on timeout."""
        deadline = datetime.now(UTC).timestamp() + timeout
        with self._cond:
            while self._busy or any(at <= datetime.now(UTC) for at, _ in self._heap):
                left = deadline - datetime.now(UTC).timestamp()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def _loop(self) -> None:
        from tandau.services.jobs.runner import run_job

        while True:
            with self._cond:
                if not self._heap:
                    self._thread = None
                    return
                at, job_id = self._heap[0]
                wait = (at - datetime.now(UTC)).total_seconds()
                if wait > 0:
                    self._cond.wait(min(wait, 1.0))
                    continue
                heapq.heappop(self._heap)
                inputs = self._inputs.get(job_id)
                self._busy = True
            try:
                resume = inputs is not None
                status = run_job(self.engine, job_id, inputs=inputs, resume=resume, requeue=self._requeue)
                if status != JobStatus.QUEUED:
                    self._inputs.pop(job_id, None)
            except Exception:  # the runner records every job error; this is the database itself failing
                log.exception("the in-process job runner failed on job %s", job_id)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _requeue(self, session: Session, job_id: str, at: datetime | None) -> None:
        with self._cond:
            heapq.heappush(self._heap, (at or datetime.now(UTC), job_id))
            self._cond.notify_all()


def fail_orphaned_local(engine: Engine) -> int:
    """Fail the local-only jobs (a decryption with key shares) left running by a process of this host that is
    gone: their inputs died with it, and no other process can take them over. How many. (On SQLite
    :meth:`LocalTransport.recover` does this too; on PostgreSQL the app and ``tandau worker`` call it at start.)"""
    from tandau.services.jobs.runner import RUNNER

    host = RUNNER.rsplit(":", 1)[0]
    failed = 0
    with session_factory(engine)() as s:
        rows = s.execute(select(Job.id, Job.runner).where(Job.status == JobStatus.RUNNING,
                                                          Job.local_only.is_(True))).all()
        for job_id, runner in rows:
            if not runner or runner.rsplit(":", 1)[0] != host or _alive(runner.rsplit(":", 1)[1]):
                continue
            now = datetime.now(UTC)
            s.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(
                status=JobStatus.FAILED, finished_at=now, updated_at=now,
                error="this job's inputs (key shares) lived only in the process that was running it, which "
                      "stopped; hand them in again"))
            failed += 1
        s.commit()
    return failed


def _alive(pid: str) -> bool:
    import os

    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


_TRANSPORTS: weakref.WeakKeyDictionary[Engine, tuple[Transport, LocalTransport]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def transports(engine: Engine) -> tuple[Transport, LocalTransport]:
    """The queue of ``engine``'s database (procrastinate or in-process) and this process's local runner."""
    with _LOCK:
        found = _TRANSPORTS.get(engine)
        if found is None:
            local = LocalTransport(engine)
            queue: Transport = ProcrastinateTransport(engine) if engine.dialect.name == "postgresql" else local
            found = (queue, local)
            _TRANSPORTS[engine] = found
        return found


def transport_for(engine: Engine, kind_id: str) -> Transport:
    """Where a job of ``kind_id`` goes: this process's runner when local-only, else the database's queue."""
    queue, local = transports(engine)
    return local if get_kind(kind_id).local_only else queue
