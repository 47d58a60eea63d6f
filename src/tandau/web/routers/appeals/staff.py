"""Staff pages of appeals (module "Appeals" of the navigation): the queue (scoped by territory and handler), an
appeal's page (its applicant only for who may see it; the workflow's forms with CSRF), the dashboard (volumes,
on-time rate and satisfaction by region, reminders), the entry of an office visit or a phone call, and the import
of a CSV or XLSX file (all or nothing). The services
check every permission and write the audit log; these routes parse, call them and present."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.appeals import imports, intake, oversight, read, workflow
from tandau.services.appeals.intake import AppealForm
from tandau.services.primaries.access import Action, Actor, allowed_somewhere
from tandau.services.primaries.errors import PermissionDeniedError, StateError
from tandau.services.primaries.imports import MAX_BYTES
from tandau.services.proposals import themes
from tandau.web import charts, uploads
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import language, translator
from tandau.web.routers import staff_assets
from tandau.web.routers.appeals import charts as appeal_charts
from tandau.web.routers.appeals import common
from tandau.web.routers.proposals import common as places
from tandau.web.routers.proposals.staff import IMPORT_PROBLEMS
from tandau.web.templating import render
from tandau.web.uploads import UploadField

router = APIRouter()
FormText = Annotated[str, Form()]


def _common(request: Request) -> dict[str, Any]:
    return {"labels": common.LABELS, "place": places.place_namer(request), "theme": places.theme_namer(request),
            "themes": themes.theme_codes(), "statuses": workflow.STATUSES}


def day_of(value: str, parameter: str) -> date:
    """A day typed in a form (``YYYY-MM-DD``)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"expected a day such as 2026-04-30, got {value!r}", parameter=parameter) from None


@router.get("/appeals/queue", include_in_schema=False)
def queue_page(request: Request, session: SessionDep, user: CurrentUser, territory: str = "", status: str = "",
               handler: str = "", theme: str = "", overdue: str = "", page: int = 1) -> Response:
    number = max(1, page)
    found = read.queue(session, user, territory=territory or None, status=status or None, handler=handler or None,
                       theme=theme or None, overdue=overdue == "1", offset=(number - 1) * read.PAGE)
    filters = {"territory": territory, "status": status, "handler": handler, "theme": theme, "overdue": overdue}
    return render(request, "appeals/queue.html", _common(request) | {
        "page": found, "number": number, "pages": max(1, -(-found.total // read.PAGE)), "f": filters,
        "may_enter": allowed_somewhere(user, Action.APPEAL_INTAKE)})


@router.get("/appeals/dashboard", include_in_schema=False)
def dashboard_page(request: Request, session: SessionDep, user: CurrentUser, territory: str = "") -> Response:
    board = read.dashboard(session, user, territory=territory or None)
    spec = appeal_charts.on_time(board.regions, translator(request), places.place_namer(request))
    return render(request, "appeals/dashboard.html", _common(request) | {
        "b": board, "territory": territory, "reminders": oversight.reminders(session, user, limit=50),
        "spec": spec if spec["data"]["values"] else None, "charts": charts,
        "charts_ready": staff_assets.available(request)})


@router.get("/appeals/a/{appeal_id}", include_in_schema=False)
def appeal_page(request: Request, session: SessionDep, user: CurrentUser, appeal_id: str) -> Response:
    found = read.detail(session, user, appeal_id)
    return render(request, "appeals/appeal.html", _common(request) | {"d": found, "a": found.appeal})


@router.post("/appeals/a/{appeal_id}/steps", include_in_schema=False)
def step_page(request: Request, session: SessionDep, user: CurrentUser, appeal_id: str, step: FormText,
              kind: FormText = "", to: FormText = "", handler: FormText = "", due: FormText = "",
              reason: FormText = "", body: FormText = "", outcome: FormText = "", text: FormText = "",
              satisfaction: FormText = "", note: FormText = "") -> Response:
    try:
        take_step(session, user, appeal_id, step, kind=kind, to=to, handler=handler, due=due, reason=reason,
                  body=body, outcome=outcome, text=text, satisfaction=satisfaction, note=note)
    except (InputError, StateError) as exc:  # the appeal's page again, with the problem next to its forms
        session.rollback()
        found = read.detail(session, user, appeal_id)
        problem = exc.problem if isinstance(exc, InputError) else str(exc)
        return render(request, "appeals/appeal.html", _common(request) | {
            "d": found, "a": found.appeal, "error": problem, "field": getattr(exc, "parameter", None),
            "failed_step": step}, status_code=409 if isinstance(exc, StateError) else 400)
    return RedirectResponse(f"/appeals/a/{appeal_id}", status_code=303)


def take_step(session: Session, user: Actor, appeal_id: str, step: str, **f: str) -> None:
    """Dispatch one workflow step named by a form or the API (the service checks who and when)."""
    if step == "route":
        workflow.route(session, user, appeal_id, f["kind"], f["to"], handler=f["handler"] or None, note=f["note"])
    elif step == "extend":
        workflow.extend(session, user, appeal_id, day_of(f["due"], "due"), f["reason"])
    elif step == "redirect":
        workflow.redirect(session, user, appeal_id, f["body"], f["reason"])
    elif step == "answer":
        workflow.answer(session, user, appeal_id, f["outcome"], f["text"] or f["reason"])
    elif step == "close":
        workflow.close(session, user, appeal_id, note=f["note"])
    elif step == "satisfaction":
        workflow.rate_by_staff(session, user, appeal_id, f["satisfaction"])
    else:
        raise InputError(f"unknown step {step!r}; valid: route, extend, redirect, answer, close, satisfaction",
                         parameter="step")


def _entry(request: Request, status_code: int = 200, **context: Any) -> Response:
    choice = places.region_choice(str(context.pop("region", "") or ""), language(request))
    return render(request, "appeals/entry.html", _common(request) | choice | {
        "values": context.pop("values", {}), "max_text": intake.MAX_TEXT} | context, status_code=status_code)


@router.get("/appeals/entry", include_in_schema=False)
def entry_form(request: Request, user: CurrentUser, region: str = "") -> Response:
    if not allowed_somewhere(user, Action.APPEAL_INTAKE):
        raise PermissionDeniedError(user.subject_id, Action.APPEAL_INTAKE.value, None)
    return _entry(request, region=region)


@router.post("/appeals/entry", include_in_schema=False)
def entry_page(request: Request, session: SessionDep, user: CurrentUser, channel: FormText = "office",
               text: FormText = "", region: FormText = "", territory: FormText = "", name: FormText = "",
               contact: FormText = "") -> Response:
    values = {"text": text, "territory": territory, "name": name, "contact": contact, "channel": channel}
    try:
        appeal, code = intake.register(session, user, AppealForm(text, territory or region, name, contact), channel,
                                       keys=common.keys(request))
    except InputError as exc:
        return _entry(request, 400, region=region, values=values, error=exc.problem, field=exc.parameter)
    return _entry(request, 201, created=appeal, code=code)


def _import_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    return render(request, "appeals/import.html", _common(request) | {
        "limit_mib": MAX_BYTES // 2**20, "messages": IMPORT_PROBLEMS} | context, status_code=status_code)


@router.get("/appeals/import", include_in_schema=False)
def import_form(request: Request, user: CurrentUser) -> Response:
    imports.require_import(user)
    return _import_page(request)


@router.post("/appeals/import", include_in_schema=False)
def import_page(request: Request, session: SessionDep, user: CurrentUser, file: UploadField = None,
                action: FormText = "check") -> Response:
    imports.require_import(user)
    return uploads.import_page(file, partial(_import_page, request), lambda name, data: imports.upload(
        session, user, name, data, apply=action == "import", applicant_key=common.keys(request).applicant))
