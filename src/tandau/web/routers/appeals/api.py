"""JSON API of appeals (``/api/v1/appeals``, tag ``appeals``): public intake, receipts and satisfaction; the
staff queue, an appeal, its workflow steps, the dashboard, reminders, import and the pseudonymised export. The
services decide who may do what (``APPEAL_*`` of :data:`~tandau.services.primaries.access.POLICY`) and what each
reader sees (the applicant only for the case's handler, its territory's secretary and the central office)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from tandau.services.appeals import data, imports, intake, oversight, read, workflow
from tandau.services.appeals.intake import AppealForm
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.appeals import common
from tandau.web.routers.appeals.staff import take_step
from tandau.web.text_input import STORABLE
from tandau.web.uploads import UploadField, chosen_file

router = APIRouter()
Short = Annotated[str, Field(max_length=200), STORABLE]
Long = Annotated[str, Field(max_length=intake.MAX_TEXT), STORABLE]
Status = Literal["received", "in_progress", "extended", "redirected", "answered", "closed"]


class AppealCreate(BaseModel):
    text: Long = Field(description="10 to 5,000 characters")
    territory: Annotated[str, Field(max_length=9), STORABLE] = Field(description="9-digit KATO code")
    name: Short = Field(default="", description="the applicant's name (personal data)")
    contact: Short = Field(default="", description="a phone or e-mail to answer (personal data)")
    website: Short = Field(default="", description="honeypot: leave empty")


class ReceiptCreated(BaseModel):
    id: str
    receipt: str = Field(description="the receipt code, shown only in this answer")
    status: Status
    due_on: date
    theme: str | None


class AppealStatus(BaseModel):
    id: str
    received_on: date
    status: Status
    due_on: date
    extended: bool
    extension_reason: str | None
    outcome: Literal["resolved", "explained", "redirected", "refused"] | None
    outcome_reason: str | None
    redirected_to: str | None
    answered_on: date | None
    satisfaction: int | None


class Satisfaction(BaseModel):
    satisfaction: int = Field(ge=1, le=5)


class AppealStaff(BaseModel):
    id: str
    external_id: str | None
    channel: str
    received_at: datetime
    received_on: date
    kato: str
    theme: str | None
    confidence: float | None
    lang: str
    text: str
    route_kind: str | None
    route_to: str | None
    handler: str | None
    status: Status
    due_on: date
    overdue: bool
    extension_reason: str | None
    outcome: str | None
    outcome_reason: str | None
    answered_on: date | None
    satisfaction: int | None
    repeat_of: str | None
    escalated: bool
    closed_at: datetime | None
    applicant_name: str | None = Field(description="only for the case's handler, its secretary, the central office")
    applicant_contact: str | None = Field(description="as applicant_name")


class StepPublic(BaseModel):
    step: str
    detail: str
    note: str
    at: datetime
    actor: str


class AppealDetail(AppealStaff):
    steps: list[StepPublic]
    repeated_by: list[str]
    redirect_by: date
    extension_limit: date
    actions: list[str]


class AppealList(BaseModel):
    total: int
    offset: int
    limit: int
    appeals: list[AppealStaff]


class StepCreate(BaseModel):
    step: Literal["route", "extend", "redirect", "answer", "close", "satisfaction"]
    kind: Literal["", "deputy", "branch"] = ""
    to: Short = ""
    handler: Short = ""
    due: Short = Field(default="", description="extend: the new due day, YYYY-MM-DD")
    reason: Long = ""
    body: Short = Field(default="", description="redirect: the competent state body")
    outcome: Literal["", "resolved", "explained", "refused"] = ""
    text: Long = ""
    satisfaction: Short = ""
    note: Long = ""


class RegionFigures(BaseModel):
    region: str
    total: int
    open: int
    overdue: int
    escalated: int
    answered: int
    on_time: int
    on_time_rate: float | None
    rated: int
    satisfaction: float | None


class DashboardPublic(BaseModel):
    today: date
    total: RegionFigures
    regions: list[RegionFigures]
    by_status: dict[str, int]
    by_channel: dict[str, int]
    by_theme: dict[str, int]
    by_outcome: dict[str, int]
    by_month: dict[str, int]
    repeats: int


class ReminderPublic(BaseModel):
    id: str
    kato: str
    handler: str | None
    status: Status
    due_on: date
    working_days_left: int


class ImportPublic(BaseModel):
    file: str
    sha256: str
    applied: bool
    added: int
    repeats: int


def _staff(row: read.Row, name: str | None = None, contact: str | None = None) -> AppealStaff:
    a = row.appeal
    return AppealStaff(
        id=a.id, external_id=a.external_id, channel=a.channel, received_at=a.received_at, received_on=a.received_on,
        kato=a.kato, theme=a.theme, confidence=a.confidence, lang=a.lang, text=a.text, route_kind=a.route_kind,
        route_to=a.route_to, handler=a.handler, status=a.status, due_on=a.due_on,  # type: ignore[arg-type]
        overdue=row.overdue, extension_reason=a.extension_reason, outcome=a.outcome, outcome_reason=a.outcome_reason,
        answered_on=a.answered_on, satisfaction=a.satisfaction, repeat_of=a.repeat_of, escalated=a.escalated,
        closed_at=a.closed_at, applicant_name=name, applicant_contact=contact)


def _figures(line: read.RegionLine) -> RegionFigures:
    rate = line.on_time_rate
    return RegionFigures(region=line.region, total=line.total, open=line.open, overdue=line.overdue,
                         escalated=line.escalated, answered=line.answered, on_time=line.on_time,
                         on_time_rate=None if rate is None else round(rate, 4), rated=line.rated,
                         satisfaction=None if line.satisfaction is None else round(line.satisfaction, 2))


@router.post("/api/v1/appeals", tags=["appeals"], status_code=201)
def submit_api(request: Request, session: SessionDep, body: AppealCreate) -> ReceiptCreated:
    """Send an appeal (anyone, no account; at most 5 per address and hour: 429 ``too_many_attempts``)."""
    appeal, code = intake.submit(session, AppealForm(body.text, body.territory, body.name, body.contact, "",
                                                     body.website),
                                 keys=common.keys(request), address=common.address(request),
                                 per_hour=common.per_hour(request))
    return ReceiptCreated(id=appeal.id, receipt=code, status="received", due_on=appeal.due_on, theme=appeal.theme)


def _status(view: read.PublicView) -> AppealStatus:
    return AppealStatus(id=view.id, received_on=view.received_on, status=view.status,  # type: ignore[arg-type]
                        due_on=view.due_on, extended=view.extended, extension_reason=view.extension_reason,
                        outcome=view.outcome,  # type: ignore[arg-type]
                        outcome_reason=view.outcome_reason, redirected_to=view.redirected_to,
                        answered_on=view.answered_on, satisfaction=view.satisfaction)


@router.get("/api/v1/appeals/receipt/{code}", tags=["appeals"])
def receipt_api(request: Request, session: SessionDep, code: str) -> AppealStatus:
    """Where an appeal stands, by its receipt code (anyone): never its text or applicant."""
    return _status(read.public_view(intake.by_receipt(session, common.keys(request).receipt, code)))


@router.post("/api/v1/appeals/receipt/{code}/satisfaction", tags=["appeals"])
def rate_api(request: Request, session: SessionDep, code: str, body: Satisfaction) -> AppealStatus:
    """The applicant's satisfaction (1-5) with the answer, by the receipt code (409 before an answer)."""
    appeal = intake.by_receipt(session, common.keys(request).receipt, code)
    return _status(read.public_view(workflow.rate(session, appeal, body.satisfaction)))


@router.get("/api/v1/appeals", tags=["appeals"])
def queue_api(session: SessionDep, user: CurrentUser, territory: str | None = None, status: str | None = None,
              handler: str | None = None, theme: str | None = None, overdue: bool = False, offset: int = 0,
              limit: int = read.PAGE) -> AppealList:
    """The appeals the caller may read (no applicant in a list), escalated and overdue first."""
    page = read.queue(session, user, territory=territory, status=status, handler=handler, theme=theme,
                      overdue=overdue, offset=offset, limit=limit)
    return AppealList(total=page.total, offset=page.offset, limit=page.limit, appeals=[_staff(r) for r in page.rows])


@router.get("/api/v1/appeals/dashboard", tags=["appeals"])
def dashboard_api(session: SessionDep, user: CurrentUser, territory: str | None = None) -> DashboardPublic:
    """Volumes, on-time rate and satisfaction by region; counts by status, channel, theme, outcome and month."""
    b = read.dashboard(session, user, territory=territory)
    return DashboardPublic(today=b.today, total=_figures(b.total), regions=[_figures(r) for r in b.regions],
                           by_status=b.by_status, by_channel=b.by_channel, by_theme=b.by_theme,
                           by_outcome=b.by_outcome, by_month=b.by_month, repeats=b.repeats)


@router.get("/api/v1/appeals/reminders", tags=["appeals"])
def reminders_api(session: SessionDep, user: CurrentUser) -> list[ReminderPublic]:
    """The open appeals the caller may read that are due within the reminder term, soonest first."""
    return [ReminderPublic(id=r.appeal.id, kato=r.appeal.kato, handler=r.appeal.handler,
                           status=r.appeal.status, due_on=r.due,  # type: ignore[arg-type]
                           working_days_left=r.working_days_left) for r in oversight.reminders(session, user)]


@router.get("/api/v1/appeals/export", tags=["appeals"], response_class=Response)
def export_api(request: Request, session: SessionDep, user: CurrentUser, territory: str | None = None) -> Response:
    """The pseudonymised CSV of the appeals the caller may export (no name, contact or text)."""
    text = data.export_csv(session, user, key=common.export_key(request), territory=territory)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="appeals.csv"'})


@router.post("/api/v1/appeals/import", tags=["appeals"])
def import_api(request: Request, session: SessionDep, user: CurrentUser, file: UploadField = None,
               dry_run: Annotated[bool, Form()] = False) -> ImportPublic:
    """Import appeals from a CSV or XLSX file (all or nothing; ``dry_run`` checks only)."""
    imports.require_import(user)
    name, data = chosen_file(file)
    outcome = imports.upload(session, user, name, data, apply=not dry_run, applicant_key=common.keys(request).applicant)
    return ImportPublic(file=outcome.file, sha256=outcome.sha256, applied=outcome.applied, added=outcome.added,
                        repeats=outcome.repeats)


@router.get("/api/v1/appeals/{appeal_id}", tags=["appeals"])
def appeal_api(session: SessionDep, user: CurrentUser, appeal_id: str) -> AppealDetail:
    """An appeal with its steps; its applicant only for who may see them."""
    d = read.detail(session, user, appeal_id)
    base = _staff(read.Row(d.appeal, d.overdue), d.applicant_name, d.applicant_contact)
    return AppealDetail(**base.model_dump(), steps=[
        StepPublic(step=s.step, detail=s.detail, note=s.note, at=s.at, actor=s.actor) for s in d.steps],
        repeated_by=list(d.repeats), redirect_by=d.redirect_by, extension_limit=d.extension_limit,
        actions=list(d.actions))


@router.post("/api/v1/appeals/{appeal_id}/steps", tags=["appeals"])
def step_api(session: SessionDep, user: CurrentUser, appeal_id: str, body: StepCreate) -> AppealDetail:
    """Take a step: route (kind, to, handler), extend (due, reason), redirect (body, reason), answer (outcome,
    text), close (note), satisfaction (1-5, as the applicant told)."""
    take_step(session, user, appeal_id, body.step, kind=body.kind, to=body.to, handler=body.handler, due=body.due,
              reason=body.reason, body=body.body, outcome=body.outcome, text=body.text,
              satisfaction=body.satisfaction, note=body.note)
    return appeal_api(session, user, appeal_id)
