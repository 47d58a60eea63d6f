"""Background jobs (issue 15, item 2; docs/deployment.md, "Workers"): long operations run outside the request or
the CLI call, on procrastinate with PostgreSQL and on a thread of the process with SQLite.

:func:`submit` is the one entry point for every face: it checks the kind's arguments, authorises the requester
with the kind's policy action, writes the ``jobs`` row and its audit entry and hands the job to the transport in
the same transaction. The record (:mod:`tandau.store.jobs_models`) is what every process reads:
:func:`~tandau.services.jobs.queue.list_jobs`, :func:`~tandau.services.jobs.queue.get_job`,
:func:`~tandau.services.jobs.queue.cancel_job`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from tandau.services.jobs.queue import (
    JobView,
    cancel_job,
    get_job,
    insert,
    job_output,
    list_jobs,
    may_submit,
    new_row,
    queue_depth,
    view,
)
from tandau.services.jobs.registry import KINDS, JobKind, UnknownJobKindError, get_kind, load_kinds, register
from tandau.services.jobs.runner import Context, run_job
from tandau.services.jobs.transport import ensure_schema, transport_for, transports
from tandau.services.primaries.access import Actor

__all__ = [
    "KINDS",
    "Context",
    "JobKind",
    "JobView",
    "UnknownJobKindError",
    "cancel_job",
    "ensure_schema",
    "get_job",
    "get_kind",
    "job_output",
    "list_jobs",
    "load_kinds",
    "may_submit",
    "queue_depth",
    "register",
    "run_job",
    "submit",
    "transports",
    "wait_for",
]


def submit(session: Session, actor: Actor, kind: str, arguments: Mapping[str, Any] | None = None, *,
           idempotency_key: str | None = None, inputs: Mapping[str, Any] | None = None,
           dispatch: bool = True, now: datetime | None = None, uploaded: bool = False,
           internal: bool = False) -> JobView:
    """Queue a job of ``kind`` for ``actor`` (authorised by the kind's action) and commit.

    ``inputs``: in-memory inputs of a local-only kind (key shares), handed to this process's runner and never
    written anywhere. ``dispatch=False``: the job is recorded but not handed to a runner — the caller runs it
    itself at once with :func:`run_job` (the CLI's ``--wait``). ``uploaded``: the caller kept the kind's file
    (:func:`tandau.services.jobs.uploads.submit_import`); an import kind is refused without it, so no request
    names a stored file of its choosing. ``internal``: a Tandau service starts an internal kind (``otp.deliver``)
    on its own authority; every other face is refused one (:func:`~tandau.services.jobs.queue.new_row`)."""
    moment = now or datetime.now(UTC)
    engine = session.get_bind()
    row = new_row(actor, kind, arguments or {}, idempotency_key=idempotency_key, now=moment, internal=internal)
    if get_kind(kind).local_only and inputs is None and dispatch:
        from tandau.errors import InputError

        raise InputError(f"a {kind} job needs its inputs in this process", parameter="inputs")
    if get_kind(kind).uploaded and not uploaded:
        from tandau.errors import InputError

        raise InputError(f"a {kind} job is started by uploading its file (the import page or API, or the import "
                         "command with --background)", parameter="kind")
    job, new = insert(session, actor, row, moment)
    transport = transport_for(engine, kind) if dispatch and new else None  # type: ignore[arg-type]
    if transport is not None:
        transport.enqueue(session, job.id, None)
    session.commit()
    if transport is not None:
        transport.committed(job.id, None, inputs)
    return view(job)


def wait_for(session: Session, actor: Actor, job_id: str, *, timeout: float = 600.0, poll: float = 0.2) -> JobView:
    """Poll until the job is finished (or ``timeout`` seconds pass); its last state."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        session.expire_all()
        found = get_job(session, actor, job_id)
        if found.finished or time.monotonic() >= deadline:
            return found
        time.sleep(poll)
