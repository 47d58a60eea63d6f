"""Submitting, reading and cancelling jobs: the use cases every face calls (the page, the API, the CLI).

Every submission and every cancellation is authorised through the single policy and written to the audit log in
the same transaction as the row. A submission with an ``idempotency_key`` that was seen before returns the job
it made then (and audits nothing new); two racing submissions with one key meet at the table's unique key.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.jobs import JobStatus, check_arguments, may_cancel
from tandau.errors import InputError
from tandau.services.jobs.registry import REDACTED, JobKind, get_kind, internal_kinds, is_internal
from tandau.services.primaries import audit
from tandau.services.primaries.access import (
    Action,
    Actor,
    actor_from_record,
    allowed_somewhere,
    grants_record,
    is_allowed,
    require,
    territories,
)
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import covers
from tandau.store.jobs_models import Job

PAGE = 50


@dataclass(frozen=True, slots=True)
class JobView:
    """What the faces show of a job (never its output bytes)."""

    id: str
    kind: str
    arguments: dict[str, Any]
    status: str
    done: int
    total: int | None
    step: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    result: dict[str, Any] | None
    error: str | None
    requested_by: str
    territory: str | None
    cancel_requested: bool
    has_output: bool
    output_name: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))

    def public(self) -> dict[str, Any]:
        """The JSON the API and ``tandau jobs show --format json`` give."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, datetime) else value
        out["percent"] = self.percent
        return out


def view(row: Job) -> JobView:
    """What the faces show of ``row``; an internal kind's arguments are hidden (a sealed one-time code)."""
    arguments = dict(REDACTED) if is_internal(row.kind) else json.loads(row.arguments)
    return JobView(row.id, row.kind, arguments, row.status, row.done, row.total, row.step,
                   row.attempts, row.max_attempts, row.next_attempt_at,
                   None if row.result is None else json.loads(row.result), row.error, row.requested_by,
                   row.territory, row.cancel_requested, row.output_name is not None, row.output_name,
                   row.created_at, row.started_at, row.finished_at, row.updated_at)


def grants_json(actor: Actor) -> str:
    return json.dumps(grants_record(actor))


def actor_of(row: Job) -> Actor:
    """The requester as an actor, so the run is authorised as they would be at the moment they asked."""
    return actor_from_record(row.requested_by, json.loads(row.grants))


def new_row(actor: Actor, kind_id: str, arguments: Mapping[str, Any], *, idempotency_key: str | None,
            now: datetime, internal: bool = False) -> Job:
    """A queued job row for ``kind_id`` (arguments checked against the kind; the requester authorised).

    ``internal``: a Tandau service starts an internal kind on its own authority (sign-in sends a one-time code
    for whoever asks, as the synchronous path did); every other submission of an internal kind is refused."""
    kind = get_kind(kind_id)
    if kind.internal != internal:
        raise InputError(f"a {kind.id} job is started by Tandau itself, never by hand" if kind.internal
                         else f"{kind.id} is not an internal job kind", parameter="kind")
    args = check_arguments(arguments, kind.arguments)
    territory = kind.territory(args)
    if not kind.internal:
        require(actor, Action.JOB_SUBMIT, territory)  # who may act at all (not a reader: an observer)
        require(actor, kind.action, territory)  # and the work itself
    if idempotency_key is not None and not 8 <= len(idempotency_key) <= 200:
        raise InputError("an idempotency key has 8 to 200 characters", parameter="idempotency_key")
    return Job(id=secrets.token_hex(16), kind=kind.id, arguments=json.dumps(args, sort_keys=True),
               idempotency_key=idempotency_key, status=JobStatus.QUEUED, done=0, total=None, step="", attempts=0,
               max_attempts=kind.retry.max_attempts, requested_by=actor.subject_id[:64], grants=grants_json(actor),
               territory=territory, cancel_requested=False, local_only=kind.local_only, created_at=now,
               updated_at=now)


def may_submit(actor: Actor, kind: JobKind) -> bool:
    """Whether ``actor`` may start a job of ``kind`` somewhere (what :func:`new_row` requires, for the faces that
    offer the button)."""
    return allowed_somewhere(actor, Action.JOB_SUBMIT) and allowed_somewhere(actor, kind.action)


def find_by_key(session: Session, key: str) -> Job | None:
    return session.execute(select(Job).where(Job.idempotency_key == key)).scalar_one_or_none()


def insert(session: Session, actor: Actor, row: Job, now: datetime) -> tuple[Job, bool]:
    """Add ``row`` with its audit entry (the caller commits); an existing job with its key instead: (job, new?)."""
    if row.idempotency_key is not None:
        found = find_by_key(session, row.idempotency_key)
        if found is not None:
            return found, False
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = find_by_key(session, row.idempotency_key or "")
        if found is None:
            raise
        return found, False
    if is_internal(row.kind):  # not an administrative act (a one-time code asked for at sign-in): not audited
        return row, True
    audit.append(session, actor=actor.subject_id, action="job.submit", target=row.id,
                 details={"kind": row.kind, "arguments": json.loads(row.arguments)}, now=now)
    return row, True


def _visible(session: Session, actor: Actor, job_id: str) -> Job:
    if not territories(actor, Action.JOB_VIEW):  # no jobs are theirs anywhere: refused, not "not found"
        require(actor, Action.JOB_VIEW, None)
    row = session.get(Job, job_id)
    if row is None or not is_allowed(actor, Action.JOB_VIEW, row.territory):
        raise NotFoundError("job", job_id)
    return row


def get_job(session: Session, actor: Actor, job_id: str) -> JobView:
    """One job the actor may see (someone else's territory reads as not found)."""
    return view(_visible(session, actor, job_id))


def job_output(session: Session, actor: Actor, job_id: str) -> tuple[bytes, str, str]:
    """The job's output file: (bytes, file name, media type)."""
    from tandau.services.jobs.runner import output_key
    from tandau.store.files import default_store

    row = _visible(session, actor, job_id)
    if row.output_name is None:
        raise NotFoundError("output of job", job_id)
    data = bytes(row.output) if row.output is not None else default_store().read(session,
                                                                                 output_key(row.id, row.output_name))
    return data, row.output_name, row.output_type or "application/octet-stream"


def list_jobs(session: Session, actor: Actor, *, status: str | None = None, kind: str | None = None,
              limit: int = PAGE, offset: int = 0, internal: bool = False) -> list[JobView]:
    """The jobs the actor may see, newest first (the central office: all; a secretary: their territory's).

    The jobs of internal kinds (``otp.deliver``: one per sign-in code) are left out unless ``internal`` is asked
    for or ``kind`` names one of them."""
    reach = territories(actor, Action.JOB_VIEW)
    if not reach:
        require(actor, Action.JOB_VIEW, None)
    query = select(Job)
    if None not in reach:
        query = query.where(or_(*[Job.territory.startswith(k.rstrip("0") or k) for k in reach if k]))
    if status is not None:
        if status not in set(JobStatus):
            raise InputError(f"status must be one of {', '.join(JobStatus)}, got {status!r}", parameter="status")
        query = query.where(Job.status == status)
    if kind is not None:
        query = query.where(Job.kind == kind)
    elif not internal and internal_kinds():
        query = query.where(Job.kind.not_in(internal_kinds()))
    rows = session.execute(query.order_by(Job.created_at.desc(), Job.id).limit(max(1, min(limit, 500)))
                           .offset(max(0, offset))).scalars().all()
    return [view(r) for r in rows if None in reach or any(covers(k, r.territory) for k in reach if k)]


def cancel_job(session: Session, actor: Actor, job_id: str, *, now: datetime | None = None) -> JobView:
    """Ask a job to stop: a queued job is cancelled at once; a running one stops at its next step (its runner
    checks the flag between steps, so every finished step stays committed and nothing half-done remains)."""
    if not territories(actor, Action.JOB_CANCEL):
        require(actor, Action.JOB_CANCEL, None)
    row = _visible(session, actor, job_id)
    require(actor, Action.JOB_CANCEL, row.territory)
    if not may_cancel(row.status):
        raise StateError(f"job {job_id} is {row.status}; only a queued or running job can be cancelled")
    moment = now or datetime.now(UTC)
    row.cancel_requested = True
    row.updated_at = moment
    if row.status == JobStatus.QUEUED:
        row.status = JobStatus.CANCELLED
        row.finished_at = moment
        row.next_attempt_at = None
    audit.append(session, actor=actor.subject_id, action="job.cancel", target=row.id,
                 details={"kind": row.kind, "status": row.status}, now=moment)
    session.commit()
    return view(row)


def queue_depth(session: Session) -> int:
    """Jobs waiting for a runner (queued, including those waiting for their next attempt)."""
    return int(session.execute(select(func.count()).select_from(Job).where(Job.status == JobStatus.QUEUED))
               .scalar_one())
