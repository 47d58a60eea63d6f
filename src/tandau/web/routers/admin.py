"""Secretary pages: contests of the territory, nominations, voting window, turnout, close and publish, and
imports from a file (the roll, the nominations of a draft contest: check first, then import).

Plain forms (CSRF token in each); the turnout table refreshes itself with htmx when it is served, and has
a refresh link otherwise. Every action goes through the services, which check the territory.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.jobs import uploads
from tandau.services.primaries import contests, imports, keys, nominations, publish, read, voting
from tandau.services.primaries.access import Action, Actor, allowed_somewhere
from tandau.services.primaries.errors import ImportRejectedError, NotEligibleError, PermissionDeniedError
from tandau.web import stored_files
from tandau.web.deps import CurrentUser, SessionDep, StaffUser, allowed, territories
from tandau.web.i18n import N_, language
from tandau.web.problems import problem_text, refusal_page
from tandau.web.templating import render
from tandau.web.uploads import UploadField, upload_bytes, upload_limit

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE_CONTESTS = 200  # contests a page of the secretariat (Previous/Next)

Text = Annotated[str, Form()]


def import_user(actor: CurrentUser) -> Actor:
    """Whoever ``access.POLICY`` lets import the roll or register nominations somewhere; 403 for anyone else."""
    if not (allowed_somewhere(actor, Action.ROLL_IMPORT) or allowed_somewhere(actor, Action.NOMINATION_REGISTER)):
        raise PermissionDeniedError(actor.subject_id, "use the import page", None)
    return actor


ImportUser = Annotated[Actor, Depends(import_user)]
# statuses shown translated in the templates ({{ _(contest.status) }})
STATUS_LABELS = (N_("draft"), N_("open"), N_("closed"), N_("published"),
                 N_("registered"), N_("withdrawn"), N_("disqualified"))


def _back(contest_id: str) -> Response:
    return RedirectResponse(f"/admin/contests/{contest_id}", status_code=303)


@router.get("")
def index(request: Request, session: SessionDep, user: StaffUser, offset: int = 0) -> Response:
    rows, total = read.manageable_page(session, user, offset=offset, limit=PAGE_CONTESTS)
    return render(request, "admin/index.html", {"contests": rows, "total": total, "offset": max(0, offset),
                                                "page_size": PAGE_CONTESTS})


@router.get("/contests/{contest_id}")
def contest_page(request: Request, session: SessionDep, user: StaffUser, contest_id: str) -> Response:
    contest = contests.get_contest(session, contest_id)
    can = {a.name: allowed(user, a, contest.kato) for a in Action}
    if not (can["TURNOUT_VIEW"] or can["NOMINATION_REGISTER"]):
        from tandau.services.primaries.access import require

        require(user, Action.TURNOUT_VIEW, contest.kato)
    rows = read.nominations_of(session, contest_id) if can["NOMINATION_REGISTER"] else []
    return render(request, "admin/contest.html", {"contest": contest, "can": can, "nominations": rows,
                                                  "result": publish.published_result(session, contest_id),
                                                  "key": keys.key_for(session, contest)})


@router.get("/contests/{contest_id}/turnout")
def turnout_page(request: Request, session: SessionDep, user: StaffUser, contest_id: str,
                 fragment: bool = False) -> Response:
    contest = contests.get_contest(session, contest_id)
    t = voting.turnout(session, user, contest_id)
    context = {"contest": contest, "turnout": t, "now": datetime.now(UTC)}
    return render(request, "admin/turnout_table.html" if fragment else "admin/turnout.html", context)


@router.post("/contests/{contest_id}/nominations")
def add_nomination(request: Request, session: SessionDep, user: CurrentUser, contest_id: str, member_id: Text,
                   nominated_by: Annotated[str, Form()] = "self",
                   organisation: Annotated[str, Form()] = "") -> Response:
    req = nominations.NominationRequest(contest_id, member_id.strip(), nominated_by, organisation.strip() or None)
    try:
        nominations.register_nomination(session, user, req)
    except NotEligibleError as exc:  # every failed rule, in the page's language
        return refusal_page(request, exc, contest_id)
    return _back(contest_id)


@router.post("/contests/{contest_id}/nominations/{member_id}/{what}")
def end_nomination(session: SessionDep, user: CurrentUser, contest_id: str, member_id: str, what: str,
                   reason: Text) -> Response:
    if what == "withdraw":
        nominations.withdraw(session, user, contest_id, member_id, reason)
    elif what == "disqualify":
        nominations.disqualify(session, user, contest_id, member_id, reason)
    else:
        raise InputError(f"unknown action {what!r}; valid: withdraw, disqualify", parameter="what")
    return _back(contest_id)


@router.post("/contests/{contest_id}/open")
def open_contest(session: SessionDep, user: CurrentUser, contest_id: str) -> Response:
    contests.open_contest(session, user, contest_id)
    return _back(contest_id)


@router.post("/contests/{contest_id}/extend")
def extend_contest(session: SessionDep, user: CurrentUser, contest_id: str, closes_at: Text, reason: Text,
                   ) -> Response:
    try:
        moment = datetime.fromisoformat(closes_at)
    except ValueError:
        raise InputError(f"expected a time such as 2026-03-04T20:00, got {closes_at!r}",
                         parameter="closes_at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the form's datetime-local field is read as UTC (the page says so)
    contests.extend_contest(session, user, contest_id, moment, reason=reason)
    return _back(contest_id)


@router.post("/contests/{contest_id}/close")
def close_contest(session: SessionDep, user: CurrentUser, contest_id: str,
                  early: Annotated[str, Form()] = "") -> Response:
    contests.close_contest(session, user, contest_id, early=early == "yes")
    return _back(contest_id)


@router.post("/contests/{contest_id}/publish")
def publish_contest(request: Request, session: SessionDep, user: CurrentUser, contest_id: str,
                    seed: Annotated[str, Form()] = "", lot_on_tie: Annotated[str, Form()] = "") -> Response:
    try:
        seed_value = int(seed) if seed.strip() else None
    except ValueError:
        raise InputError(f"a seed is a whole number, got {seed!r}", parameter="seed") from None
    publish.publish_contest(session, user, contest_id, seed=seed_value, lot_on_tie=lot_on_tie == "yes",
                            store=stored_files.store(request))
    return RedirectResponse(f"/results/{contest_id}", status_code=303)


@router.post("/contests/{contest_id}/exclude")
def exclude_candidate(session: SessionDep, user: CurrentUser, contest_id: str, candidate: Text,
                      reason: Text) -> Response:
    publish.exclude_candidate(session, user, contest_id, candidate, reason)
    return _back(contest_id)


def _imports_page(request: Request, session: Session, user: Actor, *, status_code: int = 200,
                  **context: object) -> Response:
    drafts = [c for c in read.all_contests(session, statuses=["draft"])
              if allowed(user, Action.NOMINATION_REGISTER, c.kato)]
    base = {"can_roll": imports.may_import_roll(user), "roll_scope": territories(user, Action.ROLL_IMPORT),
            "can_freeze": allowed_somewhere(user, Action.ROLL_CHANGE_FROZEN),
            "drafts": drafts, "limit_mib": upload_limit(request) / 2**20, "outcome": None, "problems": [],
            "too_large": False, "selected": "", "say_problem": problem_text(language(request))}
    return render(request, "admin/imports.html", {**base, **context}, status_code=status_code)


@router.get("/imports")
def imports_page(request: Request, session: SessionDep, user: ImportUser, contest: str = "",
                 done: int | None = None) -> Response:
    outcome = imports.recorded_import(session, user, done) if done is not None else None
    return _imports_page(request, session, user, outcome=outcome, selected=contest)


def _run_import(request: Request, session: Session, user: Actor, kind: str, action: str, contest: str,
                file: UploadField, reason: str = "") -> Response:
    if action not in ("check", "import"):
        raise InputError(f"unknown action {action!r}; valid: check, import", parameter="action")
    if kind == "roll":  # refused (403 page) before the file is read
        imports.require_roll_import(user)
    else:
        imports.require_nomination_import(session, user, contest)
    try:
        name, data = upload_bytes(request, file)
        if action == "import" and imports.in_background(data):  # a large file: a job, its page shows progress
            job = uploads.submit_import(session, user, kind, name, data, contest_id=contest or None,
                                        reason=reason.strip() or None, limit=upload_limit(request))
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        if kind == "roll":
            outcome = imports.roll_upload(session, user, name, data, apply=action == "import",
                                          limit=upload_limit(request), reason=reason.strip() or None)
        else:
            outcome = imports.nominations_upload(session, user, contest, name, data, apply=action == "import",
                                                 limit=upload_limit(request))
    except InputError as exc:  # every problem of the file, shown as a table under the form
        problems = list(exc.errors) if isinstance(exc, ImportRejectedError) else [exc]
        status = 413 if isinstance(exc, imports.UploadTooLargeError) else 400
        return _imports_page(request, session, user, status_code=status, problems=problems,
                             too_large=status == 413, selected=contest)
    if outcome.applied:  # post/redirect/get: reloading the result page does not import again
        return RedirectResponse(f"/admin/imports?done={imports.last_import_seq(session, user)}", status_code=303)
    return _imports_page(request, session, user, outcome=outcome, selected=contest)


@router.post("/imports/roll")
def import_roll(request: Request, session: SessionDep, user: ImportUser, file: UploadField = None,
                action: Annotated[str, Form()] = "check", reason: Annotated[str, Form()] = "") -> Response:
    """Check or import the member roll (central office; a secretary for members of their territory). Rows that
    change the frozen roll of an open or closed contest: central office only, with ``reason``."""
    return _run_import(request, session, user, "roll", action, "", file, reason)


@router.post("/imports/nominations")
def import_nominations(request: Request, session: SessionDep, user: ImportUser, contest: Text,
                       file: UploadField = None, action: Annotated[str, Form()] = "check") -> Response:
    """Check or import nominations into a draft contest (its territory's secretary, central office)."""
    return _run_import(request, session, user, "nominations", action, contest.strip(), file)
