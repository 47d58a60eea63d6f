"""Retention of finished jobs (``tandau jobs purge``; the worker's periodic purge; docs/deployment.md, "Retention").

Every one-time code asked for at sign-in is an ``otp.deliver`` job, so at national scale the ``jobs`` table grows by
a row per code. :func:`purge_jobs` deletes *finished* jobs (succeeded, failed, cancelled — never queued or running)
finished before a cut-off, with their output files in the files store, and :func:`purge_queue` the finished rows of
procrastinate's own table for Tandau's queue (procrastinate's ``JobManager.delete_old_jobs``).

- Without a kind the purge takes the internal kinds (:data:`INTERNAL_DAYS`: finished over a day ago); naming a
  kind (or every kind) purges it after :data:`OTHER_DAYS` unless the period is given: the record of a report or an
  import is kept for a season unless an operator asks.
- A purge that removes jobs of a kind started by hand is an administrative act: one ``job.purge`` audit entry in
  the same transaction as the deletion (every row, so nothing is deleted unaudited). A purge of internal kinds only
  is not audited — their submissions never were (a code asked for at sign-in is no administrative act), and the
  worker runs it every hour — and is committed in batches of :data:`BATCH` rows.
- Only the central office may purge (``cancel a background job`` for the whole country); the worker's periodic
  purge (:func:`purge_internal`) acts on Tandau's own authority and takes internal kinds only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tandau.core.jobs import JobStatus
from tandau.errors import InputError
from tandau.services.jobs.registry import KINDS, get_kind, internal_kinds, is_internal, load_kinds
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.engine import session_factory
from tandau.store.files_models import StoredFile
from tandau.store.jobs_models import Job

INTERNAL_DAYS = 1.0  # internal kinds (a sign-in code's job): kept a day, for support questions
OTHER_DAYS = 90.0  # kinds started by hand: kept a season unless the operator asks for a shorter period
BATCH = 2000  # rows deleted per transaction in an unaudited purge
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
PROCRASTINATE_FINAL = ("succeeded", "failed", "cancelled", "aborted")
SYSTEM = "tandau:retention"


@dataclass(frozen=True, slots=True)
class Purge:
    """What a purge removed (or, with ``dry_run``, would remove)."""

    kinds: tuple[str, ...]
    older_than_days: float
    before: datetime
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)  # jobs by kind
    files: int = 0  # output files of those jobs
    audited: bool = False
    queue_rows: int | None = None  # procrastinate's finished rows removed (None: not asked, SQLite or a dry run)

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def public(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "older_than_days": self.older_than_days,
                "before": self.before.isoformat(), "dry_run": self.dry_run, "removed": dict(self.removed),
                "total": self.total, "files": self.files, "audited": self.audited, "queue_rows": self.queue_rows}


def chosen_kinds(kinds: Sequence[str] | None = None, *, every: bool = False) -> tuple[str, ...]:
    """The kinds a purge takes: ``every`` registered kind, the named ones (each checked), or the internal ones."""
    load_kinds()
    if every:
        return tuple(sorted(KINDS))
    if kinds:
        return tuple(sorted({get_kind(k).id for k in kinds}))
    return internal_kinds()


def default_days(kinds: Sequence[str]) -> float:
    """How old a finished job must be by default: a day when every kind is internal, else a season.

    >>> default_days(["otp.deliver"]), default_days(["otp.deliver", "report.congress"])
    (1.0, 90.0)
    """
    return INTERNAL_DAYS if kinds and all(is_internal(k) for k in kinds) else OTHER_DAYS


def _expired(kinds: Sequence[str], before: datetime) -> Any:
    return and_(Job.kind.in_(kinds), Job.status.in_(FINISHED),
                or_(Job.finished_at < before, and_(Job.finished_at.is_(None), Job.updated_at < before)))


def _count(session: Session, kinds: Sequence[str], before: datetime) -> dict[str, int]:
    rows = session.execute(select(Job.kind, func.count()).where(_expired(kinds, before)).group_by(Job.kind)).all()
    return {kind: int(n) for kind, n in sorted(rows)}


def _delete_batch(session: Session, kinds: Sequence[str], before: datetime, limit: int | None,
                  removed: Counter[str]) -> tuple[int, int]:
    """Delete up to ``limit`` expired jobs (all with None) and their output files, counting them by kind in
    ``removed``: (jobs, files)."""
    from tandau.store.files import default_store

    query = select(Job.id, Job.kind).where(_expired(kinds, before)).order_by(Job.id)
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    files = 0
    for start in range(0, len(rows), 500):
        part = [job_id for job_id, _kind in rows[start:start + 500]]
        keys = list(session.scalars(select(StoredFile.key).where(StoredFile.owner_kind == "job",
                                                                 StoredFile.owner_id.in_(part))))
        for key in keys:  # through the store: an object in the S3 bucket goes too
            default_store().delete(session, key)
        files += len(keys)
        session.execute(delete(Job).where(Job.id.in_(part)).execution_options(synchronize_session=False))
    removed.update(kind for _id, kind in rows)
    return len(rows), files


def purge_jobs(session: Session, actor: Actor | None, *, kinds: Sequence[str] | None = None, every: bool = False,
               older_than_days: float | None = None, dry_run: bool = False,
               now: datetime | None = None) -> Purge:
    """Delete the finished jobs of the chosen kinds finished more than ``older_than_days`` ago (default:
    :func:`default_days`), with their output files; commits. ``actor`` None: Tandau itself (internal kinds only)."""
    chosen = chosen_kinds(kinds, every=every)
    internal_only = bool(chosen) and all(is_internal(k) for k in chosen)
    if actor is None:
        if not internal_only:
            raise InputError("only the internal kinds are purged without a requester", parameter="kind")
    else:
        require(actor, Action.JOB_CANCEL, None)  # the whole country's jobs: the central office
    days = default_days(chosen) if older_than_days is None else older_than_days
    if not 0 <= days <= 36500:
        raise InputError(f"the period is 0 to 36500 days, got {days:g}", parameter="--older-than")
    moment = now or datetime.now(UTC)
    before = moment - timedelta(days=days)
    counts = _count(session, chosen, before) if chosen else {}
    if dry_run or not counts:
        session.rollback()
        return Purge(chosen, days, before, dry_run, counts)
    audited = not internal_only
    removed: Counter[str] = Counter()
    files = 0
    while True:
        n, f = _delete_batch(session, chosen, before, None if audited else BATCH, removed)
        files += f
        if audited or n == 0:
            break
        session.commit()
    by_kind = dict(sorted(removed.items()))
    if audited and by_kind:
        audit.append(session, actor=actor.subject_id if actor else SYSTEM, action="job.purge", target="jobs",
                     details={"kinds": list(chosen), "older_than_days": days, "before": before.isoformat(),
                              "removed": by_kind, "files": files}, now=moment)
    session.commit()
    return Purge(chosen, days, before, False, by_kind, files, audited and bool(by_kind))


def purge_internal(engine: Engine, *, now: datetime | None = None) -> Purge:
    """The worker's periodic purge: finished jobs of the internal kinds older than :data:`INTERNAL_DAYS`."""
    with session_factory(engine)() as s:
        return purge_jobs(s, None, now=now)


def queue_hours(days: float) -> int:
    """procrastinate counts whole hours: the period rounded down (its rows are transport, never read once final).

    >>> queue_hours(1.0), queue_hours(0.5), queue_hours(0.01)
    (24, 12, 0)
    """
    return max(0, int(days * 24))


def queue_finished(engine: Engine) -> int:
    """procrastinate's rows of Tandau's queue in a final state (0 on SQLite, or before its schema exists)."""
    from tandau.services.jobs.transport import QUEUE

    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
            return 0
        return int(conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = :q "
                                     "AND status::text = ANY(:s)"),
                                {"q": QUEUE, "s": list(PROCRASTINATE_FINAL)}).scalar_one())


async def delete_queue_rows(app: Any, days: float) -> None:
    """procrastinate's ``delete_old_jobs`` on Tandau's queue: its rows in every final state older than ``days``
    (``app``: an open procrastinate app; the worker's own in its periodic task)."""
    from tandau.services.jobs.transport import QUEUE

    await app.job_manager.delete_old_jobs(nb_hours=queue_hours(days), queue=QUEUE, include_failed=True,
                                          include_cancelled=True, include_aborted=True)


def purge_queue(engine: Engine, days: float) -> int | None:
    """Delete procrastinate's finished rows of Tandau's queue older than ``days`` (from a command: opens its own
    procrastinate app); how many went (None on SQLite, which has no such table). procrastinate keeps one row per
    job it ran that did not succeed (a succeeded one is deleted at once: the worker's ``delete_jobs``), and
    Tandau never reads a final one: the ``jobs`` row is the record, so the period applies whatever the kind."""
    import asyncio

    from tandau.services.jobs.transport import ensure_schema
    from tandau.services.jobs.worker import make_app

    if engine.dialect.name != "postgresql":
        return None
    ensure_schema(engine)
    before = queue_finished(engine)

    async def run() -> None:
        app = make_app(engine)
        async with app.open_async():
            await delete_queue_rows(app, days)

    asyncio.run(run())
    return max(0, before - queue_finished(engine))
