"""``/jobs`` (the list, its rows refreshed every few seconds with HTMX while a job is unfinished), ``/jobs/{id}``
(progress, attempts, result or error; refreshed the same way), ``POST /jobs/{id}/cancel`` and
``/jobs/{id}/output`` (the job's file: the congress report's PDF)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from tandau.errors import InputError
from tandau.services.jobs import (
    KINDS,
    JobKind,
    cancel_job,
    get_job,
    job_output,
    list_jobs,
    load_kinds,
    may_submit,
    submit,
)
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, require
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import N_
from tandau.web.templating import render

router = APIRouter()
# the statuses as the templates say them (``_(job.status)``); listed so the catalogues carry them
STATUSES = (N_("queued"), N_("running"), N_("succeeded"), N_("failed"), N_("cancelled"))


@router.get("/jobs", include_in_schema=False)
def jobs_page(request: Request, session: SessionDep, user: CurrentUser, fragment: int = 0,
              status: str | None = None, internal: bool = False) -> Response:
    """The jobs, newest first; those Tandau starts itself (a sign-in code's) only with ``internal``."""
    if not allowed_somewhere(user, Action.JOB_VIEW):
        require(user, Action.JOB_VIEW, None)
    jobs = list_jobs(session, user, status=status or None, internal=internal)
    context = {"jobs": jobs, "live": any(not j.finished for j in jobs), "status": status or "", "internal": internal,
               "can_cancel": allowed_somewhere(user, Action.JOB_CANCEL), "kinds": submittable(user),
               "request_key": secrets.token_urlsafe(18), "titles": titles()}
    return render(request, "jobs/_rows.html" if fragment else "jobs/list.html", context)


def titles() -> dict[str, str]:
    """Each registered kind's title (an msgid: the templates say it in the page's language)."""
    load_kinds()
    return {k.id: k.title for k in KINDS.values()}


def submittable(user: Actor) -> list[JobKind]:
    """The kinds this user may start from the page (authorised somewhere; not those needing in-memory inputs or an
    uploaded file, nor those only Tandau itself starts)."""
    load_kinds()
    return sorted((k for k in KINDS.values()
                   if not k.local_only and not k.uploaded and not k.internal and may_submit(user, k)),
                  key=lambda k: k.id)


def parse_arguments(text: str) -> dict[str, str]:
    """``name=value`` lines (blank lines skipped) as the job's arguments.

    >>> parse_arguments("cycle_id=2026\\n\\nlang=ru")
    {'cycle_id': '2026', 'lang': 'ru'}
    """
    found: dict[str, str] = {}
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise InputError(f"line {no}: arguments are name=value, got {line.strip()!r}", parameter="arguments")
        found[name.strip()] = value.strip()
    return found


@router.post("/jobs", include_in_schema=False)
def submit_page(session: SessionDep, user: CurrentUser, kind: str = Form(...), arguments: str = Form(""),
                request_key: str = Form("")) -> Response:
    """Queue a job from the page; the form's one-time key makes a double click or a resubmission one job."""
    job = submit(session, user, kind, parse_arguments(arguments), idempotency_key=request_key or None)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, session: SessionDep, user: CurrentUser, job_id: str, fragment: int = 0) -> Response:
    job = get_job(session, user, job_id)
    context = {"job": job, "can_cancel": allowed_somewhere(user, Action.JOB_CANCEL), "titles": titles()}
    return render(request, "jobs/_detail.html" if fragment else "jobs/detail.html", context)


@router.post("/jobs/{job_id}/cancel", include_in_schema=False)
def cancel_page(session: SessionDep, user: CurrentUser, job_id: str) -> Response:
    cancel_job(session, user, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/output", include_in_schema=False)
def output_page(session: SessionDep, user: CurrentUser, job_id: str) -> Response:
    data, name, media_type = job_output(session, user, job_id)
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
