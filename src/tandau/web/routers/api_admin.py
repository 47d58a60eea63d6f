"""API for secretaries, central office and observers: nominations, voting window, turnout, publication, and
imports of the roll and of nominations from an uploaded file (``multipart/form-data``, field ``file``).

Authorization is the services' (``access.POLICY``): a secretary acts on their territory and everything
under it; anything else is 403 ``forbidden``. A rejected import is 400 ``import_rejected`` whose ``details``
list every problem as ``{"file", "row", "column", "problem"}`` (and ``loc``/``message``) with its stable
``code`` and ``params`` (:mod:`tandau.services.primaries.problems`), from which a client can say it in its own
language; a file over the limit is 413 ``file_too_large``.

A large import (over 1 MiB or 5,000 rows: :func:`tandau.services.primaries.imports.in_background`), or one asked
for with ``background=true``, is not done in the request: the file is kept in the files store and a job imports
it (:func:`tandau.services.jobs.uploads.submit_import`, the staff imports page's path); the answer is 202 Accepted
with the job (as ``GET /api/v1/jobs/{id}``, which its ``Location`` header names) to follow until it has succeeded
(its ``result`` holds the counts) or failed (its ``error`` names the file's first problems by row and column).
A dry run always stays in the request.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from tandau.services.jobs import JobView, uploads
from tandau.services.primaries import contests, imports, nominations, publish, read, voting
from tandau.services.primaries.access import Action, Actor, require
from tandau.web import stored_files
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers import schemas as s
from tandau.web.routers.api_voter import ERRORS, contest_public
from tandau.web.routers.jobs.api import JobPublic, public
from tandau.web.uploads import UploadField, upload_bytes, upload_limit

router = APIRouter(responses=ERRORS, tags=["administration"])


def nomination_list(session: Session, actor: Actor, contest_id: str) -> list[s.NominationPublic]:
    contest = contests.get_contest(session, contest_id)
    require(actor, Action.NOMINATION_REGISTER, contest.kato)
    return [_public(row) for row in read.nominations_of(session, contest_id)]


@router.get("/contests/{contest_id}/nominations")
def list_nominations(session: SessionDep, user: CurrentUser, contest_id: str) -> list[s.NominationPublic]:
    """Every nomination of the contest with its status and reason (secretary of the territory, central)."""
    return nomination_list(session, user, contest_id)


@router.post("/contests/{contest_id}/nominations", status_code=201)
def register_nomination(session: SessionDep, user: CurrentUser, contest_id: str,
                        body: s.NominationCreate) -> list[s.NominationPublic]:
    """Register a nomination after the eligibility checks (403 ``not_eligible`` lists every failed rule)."""
    req = nominations.NominationRequest(contest_id, body.member_id, body.nominated_by, body.organisation,
                                        tuple(body.tags))
    nominations.register_nomination(session, user, req)
    return nomination_list(session, user, contest_id)


@router.post("/contests/{contest_id}/nominations/{member_id}/withdraw")
def withdraw(session: SessionDep, user: CurrentUser, contest_id: str, member_id: str,
             body: s.ReasonCreate) -> s.NominationPublic:
    n = nominations.withdraw(session, user, contest_id, member_id, body.reason)
    return _one(session, contest_id, n.member_id)


@router.post("/contests/{contest_id}/nominations/{member_id}/disqualify")
def disqualify(session: SessionDep, user: CurrentUser, contest_id: str, member_id: str,
               body: s.ReasonCreate) -> s.NominationPublic:
    n = nominations.disqualify(session, user, contest_id, member_id, body.reason)
    return _one(session, contest_id, n.member_id)


def _one(session: Session, contest_id: str, member_id: str) -> s.NominationPublic:
    return _public(next(r for r in read.nominations_of(session, contest_id) if r.member_id == member_id))


def _public(row: read.NominationRow) -> s.NominationPublic:
    return s.NominationPublic(member_id=row.member_id, name=row.name, sex=row.sex, nominated_by=row.nominated_by,
                              organisation=row.organisation, status=row.status, reason=row.reason,
                              position=row.position)


@router.post("/contests/{contest_id}/open")
def open_contest(session: SessionDep, user: CurrentUser, contest_id: str) -> s.ContestPublic:
    return contest_public(contests.open_contest(session, user, contest_id))


@router.post("/contests/{contest_id}/extend")
def extend_contest(session: SessionDep, user: CurrentUser, contest_id: str, body: s.ExtendCreate) -> s.ContestPublic:
    return contest_public(contests.extend_contest(session, user, contest_id, body.closes_at, reason=body.reason))


@router.post("/contests/{contest_id}/close")
def close_contest(session: SessionDep, user: CurrentUser, contest_id: str, body: s.CloseCreate) -> s.ContestPublic:
    return contest_public(contests.close_contest(session, user, contest_id, early=body.early))


@router.post("/contests/{contest_id}/publish")
def publish_contest(request: Request, session: SessionDep, user: CurrentUser, contest_id: str,
                    body: s.PublishCreate) -> s.ResultPublic:
    """Count, write the bulletin board, publish (secretary of the territory or central office)."""
    publish.publish_contest(session, user, contest_id, seed=body.seed, lot_on_tie=body.lot_on_tie,
                            store=stored_files.store(request))
    from tandau.web.routers.api_voter import results

    return results(session, contest_id)


@router.get("/contests/{contest_id}/turnout")
def turnout(session: SessionDep, user: CurrentUser, contest_id: str) -> s.TurnoutPublic:
    """Members who voted / members entitled, by territory of residence (secretary, central, observer)."""
    t = voting.turnout(session, user, contest_id)
    return s.TurnoutPublic(contest_id=t.contest_id, voted=t.voted, eligible=t.eligible,
                           by_territory=[s.TurnoutRow(territory=k, voted=v, eligible=e) for k, v, e in t.by_territory])


def _import_public(outcome: imports.ImportOutcome) -> s.ImportPublic:
    return s.ImportPublic(kind=outcome.kind, file=outcome.file, sha256=outcome.sha256, applied=outcome.applied,
                          added=outcome.added, updated=outcome.updated, contests=list(outcome.contests),
                          frozen=outcome.frozen, frozen_contests=list(outcome.frozen_contests))


#: the OpenAPI answers of an import: 202 when a job does it, 413 for a file over the limit
IMPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    202: {"model": JobPublic, "description": "The import was handed to a background job (a large file, or "
          "``background=true``): follow it at the ``Location`` header, ``/api/v1/jobs/{id}``.",
          "headers": {"Location": {"description": "/api/v1/jobs/{id}", "schema": {"type": "string"}}}},
    413: {"model": s.ErrorPublic},
}


def _accepted(job: JobView) -> Response:
    return JSONResponse(jsonable_encoder(public(job)), status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.post("/roll/import", response_model=s.ImportPublic, responses=IMPORT_RESPONSES)
def import_roll(request: Request, session: SessionDep, user: CurrentUser, file: UploadField = None,
                dry_run: bool = False, reason: str | None = None,
                background: bool = False) -> s.ImportPublic | Response:
    """Import the member roll from a CSV or XLSX file, all or nothing (``dry_run=true``: check and count only).

    Central office, or a secretary for members who live (and, when updated, already lived) in their territory.
    While a contest is open or closed its territory's roll is frozen: a row that adds or changes a member
    there is refused for a secretary (400 ``import_rejected``, code ``roll_frozen`` naming the contest); the
    central office must give ``reason`` (400 ``invalid_input`` on ``reason`` otherwise), and each such row is
    audited with before and after (``frozen`` counts them).

    A file over 1 MiB or 5,000 rows, or any file with ``background=true``, is imported by a background job:
    202 with the job (``Location: /api/v1/jobs/{id}``). A dry run is always answered here.
    """
    imports.require_roll_import(user)  # refused before the file is read
    name, data = upload_bytes(request, file)
    if not dry_run and (background or imports.in_background(data)):
        return _accepted(uploads.submit_import(session, user, "roll", name, data, reason=reason,
                                               limit=upload_limit(request)))
    return _import_public(imports.roll_upload(session, user, name, data, apply=not dry_run,
                                              limit=upload_limit(request), reason=reason))


@router.post("/contests/{contest_id}/nominations/import", response_model=s.ImportPublic, responses=IMPORT_RESPONSES)
def import_nominations(request: Request, session: SessionDep, user: CurrentUser, contest_id: str,
                       file: UploadField = None, dry_run: bool = False,
                       background: bool = False) -> s.ImportPublic | Response:
    """Import nominations into a draft contest from a CSV or XLSX file (columns member, nominated_by
    [, organisation, tags, contest]), all or nothing, with the eligibility checks (``dry_run=true``: check only).

    A file over 1 MiB or 5,000 rows, or any file with ``background=true``, is imported by a background job:
    202 with the job (``Location: /api/v1/jobs/{id}``). A dry run is always answered here.
    """
    imports.require_nomination_import(session, user, contest_id)  # refused before the file is read
    name, data = upload_bytes(request, file)
    if not dry_run and (background or imports.in_background(data)):
        return _accepted(uploads.submit_import(session, user, "nominations", name, data, contest_id=contest_id,
                                               limit=upload_limit(request)))
    return _import_public(imports.nominations_upload(session, user, contest_id, name, data, apply=not dry_run,
                                                     limit=upload_limit(request)))
