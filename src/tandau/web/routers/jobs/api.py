"""``/api/v1/jobs``: list (newest first, the caller's reach), one job, submit (``Idempotency-Key`` header), cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from tandau.services.jobs import JobView, cancel_job, get_job, list_jobs, submit
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.text_input import STORABLE, Text

router = APIRouter()


class JobPublic(BaseModel):
    """A background job: its kind and arguments, state, progress, attempts, result or error."""

    id: str
    kind: str
    arguments: dict[str, Any]
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    done: int
    total: int | None
    percent: int | None
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


class JobCreate(BaseModel):
    """A job to queue: a registered kind and its arguments (ids and options only, never personal data)."""

    kind: Annotated[str, Field(min_length=1, max_length=64), STORABLE]
    arguments: dict[Annotated[str, Field(min_length=1, max_length=64), STORABLE], Text | int | float | bool | None] = (
        Field(default_factory=dict, max_length=50))


def public(job: JobView) -> JobPublic:
    return JobPublic(**job.public())


@router.get("/api/v1/jobs", response_model=list[JobPublic], tags=["jobs"])
def jobs_api(session: SessionDep, user: CurrentUser, status: str | None = None, kind: str | None = None,
             limit: int = 50, offset: int = 0, internal: bool = False) -> list[JobPublic]:
    """The jobs the caller may see (the central office: every job; a branch secretary: their territory's).

    The jobs Tandau starts itself (``otp.deliver``, one per sign-in code) are left out unless ``internal=true`` or
    ``kind`` names their kind."""
    return [public(j) for j in list_jobs(session, user, status=status, kind=kind, limit=limit, offset=offset,
                                         internal=internal)]


@router.post("/api/v1/jobs", response_model=JobPublic, status_code=202, tags=["jobs"])
def submit_api(request: Request, body: JobCreate, session: SessionDep, user: CurrentUser,
               idempotency_key: str | None = Header(None, alias="Idempotency-Key")) -> JobPublic:
    """Queue a job (authorised by the action of the work it does). The same ``Idempotency-Key`` again returns the
    job it made the first time. Kinds that need in-memory inputs (key shares) cannot be submitted here."""
    return public(submit(session, user, body.kind, body.arguments, idempotency_key=idempotency_key))


@router.get("/api/v1/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def job_api(job_id: str, session: SessionDep, user: CurrentUser) -> JobPublic:
    """One job with its progress, attempts, result or error."""
    return public(get_job(session, user, job_id))


@router.post("/api/v1/jobs/{job_id}/cancel", response_model=JobPublic, tags=["jobs"])
def cancel_api(job_id: str, session: SessionDep, user: CurrentUser) -> JobPublic:
    """Cancel a job: a queued one at once, a running one at its next step."""
    return public(cancel_job(session, user, job_id))
