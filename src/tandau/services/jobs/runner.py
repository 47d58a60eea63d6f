"""Running one job: claim it, give its kind a :class:`Context`, record the outcome (issue 15, item 2).

Claiming is one conditional ``UPDATE`` (``queued`` -> ``running``, attempts + 1), so of two runners offered the
same job only one gets it; a job left ``running`` by a runner that died is claimed again only by the transport's
own recovery (procrastinate's stalled-job retry; the in-process runner's start-up scan), with ``resume=True``.

Outcomes: the kind returns a summary -> ``succeeded``; it raises :class:`~tandau.errors.TandauError` (bad
input, a refused permission, a wrong state) -> ``failed`` at once, since trying again cannot help; any other
exception -> ``queued`` again after the back-off of :func:`tandau.core.jobs.after_failure`, or ``failed`` once
its attempts are used; the cancel flag seen between steps -> ``cancelled``; the runner shutting down between
steps -> ``queued`` at once (the attempt is given back, nothing half-done remains).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tandau.core.jobs import JobStatus, after_failure, step_text
from tandau.errors import TandauError
from tandau.services.jobs.queue import actor_of
from tandau.services.jobs.registry import JobKind, get_kind
from tandau.services.primaries.access import Actor
from tandau.store.engine import session_factory
from tandau.store.jobs_models import Job

log = logging.getLogger("tandau.jobs")
STOPPING = threading.Event()  # set by the worker on SIGTERM: running jobs give their job back between steps
RUNNER = f"{socket.gethostname()[:80]}:{os.getpid()}"
Requeue = Callable[[Session, str, datetime | None], None]


class JobCancelled(Exception):
    """The job's cancel flag was seen between steps."""


class JobReleased(Exception):
    """The runner is shutting down: the job goes back to the queue."""


class Context:
    """What a running job sees: sessions, the requester, its arguments, its progress and the stop checks."""

    def __init__(self, sessions: sessionmaker[Session], row: Job, kind: JobKind,
                 inputs: Mapping[str, Any] | None = None) -> None:
        self.sessions = sessions
        self.job_id = row.id
        self.kind = kind
        self.actor: Actor = actor_of(row)
        self.arguments: dict[str, Any] = json.loads(row.arguments)
        self.done = row.done  # steps committed by earlier attempts: a resumed job starts after them
        self.attempt = row.attempts
        self.inputs: Mapping[str, Any] = inputs or {}  # in-memory inputs of a local-only job (never stored)

    def session(self) -> Session:
        return self.sessions()

    def check(self) -> None:
        """Between steps: stop if the job was cancelled or the runner is shutting down."""
        with self.sessions() as s:
            flag = s.execute(select(Job.cancel_requested).where(Job.id == self.job_id)).scalar_one()
        if flag:
            raise JobCancelled
        if STOPPING.is_set():
            raise JobReleased

    def advance(self, session: Session, done: int, total: int | None, step: str) -> None:
        """Record progress inside ``session``'s transaction: committed with the step's own effect, so a retry after
        a crash resumes exactly after the last step whose effect is in the database."""
        session.execute(update(Job).where(Job.id == self.job_id)
                        .values(done=done, total=total, step=step_text(step), updated_at=datetime.now(UTC)))
        self.done = done

    def progress(self, done: int, total: int | None, step: str) -> None:
        """Record progress on its own (a step with no database effect, or before the first)."""
        with self.sessions() as s:
            self.advance(s, done, total, step)
            s.commit()

    def store_output(self, session: Session, data: bytes, name: str, media_type: str) -> None:
        """Keep the job's output file in the files store (migration 0017: the database, or the S3 option) under
        ``jobs/<job id>/<name>``, inside ``session``'s transaction, so every process can hand it out."""
        from tandau.store.files import default_store

        default_store().put(session, output_key(self.job_id, name), data, content_type=media_type,
                            owner_kind="job", owner_id=self.job_id)
        session.execute(update(Job).where(Job.id == self.job_id)
                        .values(output_name=name[:200], output_type=media_type[:100]))


def output_key(job_id: str, name: str) -> str:
    """Where a job's output file lives in the files store.

    >>> output_key("ab12", "report.pdf")
    'jobs/ab12/report.pdf'
    """
    return f"jobs/{job_id}/{name}"


def claim(sessions: sessionmaker[Session], job_id: str, *, resume: bool = False) -> Job | None:
    """Take the job for this process: queued (and due) -> running; with ``resume`` also a job left running by a
    runner that died. None when another runner has it or it is finished."""
    now = datetime.now(UTC)
    states = [JobStatus.QUEUED, JobStatus.RUNNING] if resume else [JobStatus.QUEUED]
    with sessions() as s:
        taken = s.execute(
            update(Job).where(Job.id == job_id, Job.status.in_(states),
                              or_(Job.next_attempt_at.is_(None), Job.next_attempt_at <= now))
            .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, runner=RUNNER, started_at=now,
                    next_attempt_at=None, updated_at=now)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            s.rollback()
            return None
        s.commit()
        return s.get(Job, job_id, populate_existing=True)


def _finish(sessions: sessionmaker[Session], job_id: str, requeue: Requeue | None, **values: Any) -> None:
    with sessions() as s:
        values.setdefault("updated_at", datetime.now(UTC))
        s.execute(update(Job).where(Job.id == job_id).values(**values))
        if values.get("status") == JobStatus.QUEUED and requeue is not None:
            requeue(s, job_id, values.get("next_attempt_at"))
        s.commit()


def run_job(engine: Engine, job_id: str, *, resume: bool = False, inputs: Mapping[str, Any] | None = None,
            requeue: Requeue | None = None) -> str | None:
    """Run ``job_id`` here if it can be claimed; the final (or re-queued) status, or None when not claimed.

    ``requeue(session, job_id, at)`` hands a job that goes back to the queue to the transport inside the
    transaction that re-queues it (procrastinate: a new deferred job scheduled at ``at``)."""
    sessions = session_factory(engine)
    row = claim(sessions, job_id, resume=resume)
    if row is None:
        return None
    kind = get_kind(row.kind)
    now = datetime.now(UTC)
    if row.attempts > row.max_attempts:  # a crashed runner used the last attempt
        _finish(sessions, job_id, None, status=JobStatus.FAILED, finished_at=now,
                error=f"gave up after {row.max_attempts} attempts (the last one did not finish)")
        return JobStatus.FAILED
    if kind.local_only and inputs is None:
        _finish(sessions, job_id, None, status=JobStatus.FAILED, finished_at=now,
                error="this job's inputs (key shares) lived only in the process that was running it, which stopped; "
                      "hand them in again")
        return JobStatus.FAILED
    context = Context(sessions, row, kind, inputs)
    try:
        context.check()
        summary = dict(kind.run(context))
    except JobCancelled:
        _finish(sessions, job_id, None, status=JobStatus.CANCELLED, finished_at=datetime.now(UTC))
        return JobStatus.CANCELLED
    except JobReleased:
        _finish(sessions, job_id, requeue, status=JobStatus.QUEUED, attempts=row.attempts - 1,
                next_attempt_at=None, step=step_text(f"{row.step} (released by a stopping worker)"))
        return JobStatus.QUEUED
    except TandauError as exc:
        _finish(sessions, job_id, None, status=JobStatus.FAILED, finished_at=datetime.now(UTC), error=str(exc)[:2000])
        return JobStatus.FAILED
    except Exception as exc:  # an unexpected failure: retried with back-off
        log.warning("job %s (%s) attempt %d failed: %s", job_id, row.kind, row.attempts, type(exc).__name__)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        failed_at = datetime.now(UTC)
        at = after_failure(kind.retry, row.attempts, failed_at)
        if at is None or kind.local_only:
            _finish(sessions, job_id, None, status=JobStatus.FAILED, finished_at=failed_at, error=error)
            return JobStatus.FAILED
        _finish(sessions, job_id, requeue, status=JobStatus.QUEUED, next_attempt_at=at, error=error,
                updated_at=failed_at)
        return JobStatus.QUEUED
    _finish(sessions, job_id, None, status=JobStatus.SUCCEEDED, finished_at=datetime.now(UTC), error=None,
            result=json.dumps(summary, sort_keys=True, ensure_ascii=False, default=str))
    return JobStatus.SUCCEEDED


@contextmanager
def stopping() -> Iterator[None]:
    """Within the block the runner is shutting down (tests of the release path)."""
    STOPPING.set()
    try:
        yield
    finally:
        STOPPING.clear()
