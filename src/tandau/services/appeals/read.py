"""Reading appeals: the staff queue (scoped), one appeal with its steps, the dashboard, and the applicant's view
by receipt code.

Staff read the appeals of the territories where ``APPEAL_VIEW`` lets them (secretaries, appeal handlers and
deputies their territory; the central office and observers everywhere) and, wherever they are, the appeals they
handle. No list carries personal data; an appeal's page carries the applicant's name and contact only for who may
see them (:func:`.workflow.may_see_applicant`: the case's handler, its territory's secretary, the central office).
The dashboard is computed by the database (grouped counts), so it answers quickly on hundreds of thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, case, cast, func, or_, select
from sqlalchemy.orm import Session

from tandau.core.appeals.terms import Terms, extension_limit
from tandau.services.appeals import deadlines, workflow
from tandau.services.primaries.access import Action, Actor, is_allowed, territories
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.proposals.rules import check_choice
from tandau.store.appeals_models import Appeal, AppealStep

PAGE = 50
MAX_PAGE = 500


def scope_clause(actor: Actor) -> ColumnElement[bool] | None:
    """The appeals ``actor`` may read as a condition (None: all; refused when none)."""
    scopes = territories(actor, Action.APPEAL_VIEW)
    if None in scopes:
        return None
    conditions = [Appeal.kato.startswith(kato_prefix(k)) for k in scopes if k is not None]
    conditions.append(Appeal.handler == actor.subject_id)
    if not scopes and not is_allowed(actor, Action.APPEAL_HANDLE, None, subject=actor.subject_id):
        raise PermissionDeniedError(actor.subject_id, Action.APPEAL_VIEW.value, None)
    return or_(*conditions)


def _overdue(today: date) -> ColumnElement[bool]:
    return Appeal.status.in_(workflow.OPEN) & (Appeal.due_on < today)


@dataclass(frozen=True, slots=True)
class Row:
    """An appeal in a list (no personal data) and whether it is overdue."""

    appeal: Appeal
    overdue: bool


@dataclass(frozen=True, slots=True)
class Page:
    rows: tuple[Row, ...]
    total: int
    offset: int
    limit: int


def queue(session: Session, actor: Actor, *, territory: str | None = None, status: str | None = None,
          handler: str | None = None, theme: str | None = None, overdue: bool = False, offset: int = 0,
          limit: int = PAGE, now: datetime | None = None) -> Page:
    """The appeals ``actor`` may read, filtered; escalated and overdue first, then by due date."""
    today = deadlines.local_date(deadlines.now_utc(now))
    query = select(Appeal)
    scope = scope_clause(actor)
    if scope is not None:
        query = query.where(scope)
    if territory:
        query = query.where(Appeal.kato.startswith(kato_prefix(territory.strip())))
    if status:
        query = query.where(Appeal.status == check_choice(status, workflow.STATUSES, "status"))
    if handler:
        query = query.where(Appeal.handler == handler.strip())
    if theme:
        query = query.where(Appeal.theme == theme)
    if overdue:
        query = query.where(_overdue(today))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    limit = max(1, min(limit, MAX_PAGE))
    late = case((_overdue(today), 0), else_=1)
    rows = session.scalars(query.order_by(Appeal.escalated.desc(), late, Appeal.due_on, Appeal.id)
                           .offset(max(0, offset)).limit(limit)).all()
    return Page(tuple(Row(a, a.status in workflow.OPEN and a.due_on < today) for a in rows), total, offset, limit)


@dataclass(frozen=True, slots=True)
class Detail:
    """An appeal as its reader may see it, the steps, and what the reader may do next."""

    appeal: Appeal
    overdue: bool
    applicant_name: str | None
    applicant_contact: str | None
    may_see_applicant: bool
    steps: tuple[AppealStep, ...]
    repeats: tuple[str, ...]  # later appeals that repeat this one
    may_route: bool
    may_handle: bool
    redirect_by: date
    extension_limit: date
    actions: tuple[str, ...]


def detail(session: Session, actor: Actor, appeal_id: str, *, terms: Terms | None = None,
           now: datetime | None = None) -> Detail:
    """One appeal for ``actor`` (:class:`NotFoundError` / :class:`PermissionDeniedError` otherwise)."""
    terms = terms or deadlines.terms_from()
    appeal = workflow.visible(session, actor, appeal_id)
    today = deadlines.local_date(deadlines.now_utc(now))
    personal = workflow.may_see_applicant(actor, appeal)
    steps = tuple(session.scalars(select(AppealStep).where(AppealStep.appeal_id == appeal.id)
                                  .order_by(AppealStep.at, AppealStep.id)))
    later = tuple(session.scalars(select(Appeal.id).where(Appeal.repeat_of == appeal.id).order_by(Appeal.received_at)))
    may_route = is_allowed(actor, Action.APPEAL_ROUTE, appeal.kato)
    may_handle = workflow.may_handle(actor, appeal)
    actions: list[str] = []
    if appeal.status in workflow.OPEN:
        actions += ["route"] if may_route else []
        if may_handle:
            actions += (["extend", "redirect"] if appeal.status != "extended" else []) + ["answer"]
    if may_handle and appeal.status in ("answered", "redirected"):
        actions.append("close")
    if may_handle and appeal.status in ("answered", "redirected", "closed"):
        actions.append("satisfaction")
    return Detail(appeal, appeal.status in workflow.OPEN and appeal.due_on < today,
                  appeal.applicant_name if personal else None, appeal.applicant_contact if personal else None,
                  personal, steps, later, may_route, may_handle, workflow.redirect_by(appeal, terms),
                  extension_limit(appeal.received_on, terms), tuple(actions))


@dataclass(frozen=True, slots=True)
class RegionLine:
    """A region's figures: volume, open, overdue, escalated, answered (on time), satisfaction."""

    region: str
    total: int
    open: int
    overdue: int
    escalated: int
    answered: int
    on_time: int
    rated: int
    satisfaction: float | None

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.answered else self.on_time / self.answered


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The dashboard of the appeals ``actor`` may read."""

    today: date
    regions: tuple[RegionLine, ...]
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)
    repeats: int = 0

    @property
    def total(self) -> RegionLine:
        lines = self.regions
        rated = sum(r.rated for r in lines)
        score = sum((r.satisfaction or 0) * r.rated for r in lines)
        return RegionLine("", sum(r.total for r in lines), sum(r.open for r in lines), sum(r.overdue for r in lines),
                          sum(r.escalated for r in lines), sum(r.answered for r in lines),
                          sum(r.on_time for r in lines), rated, score / rated if rated else None)


def _counts(session: Session, column: Any, scope: ColumnElement[bool]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(scope).group_by(column))
    return {str(k or ""): int(n) for k, n in rows}


def _one(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0).cast(Integer))


def dashboard(session: Session, actor: Actor, *, territory: str | None = None,
              now: datetime | None = None) -> Dashboard:
    """Volumes, on-time rate and satisfaction by region, and counts by status, channel, theme, outcome, month."""
    today = deadlines.local_date(deadlines.now_utc(now))
    scope = scope_clause(actor)
    where = Appeal.id.is_not(None) if scope is None else scope
    if territory:
        where = where & Appeal.kato.startswith(kato_prefix(territory.strip()))
    region = func.substr(Appeal.kato, 1, 2)
    answered = Appeal.answered_on.is_not(None)
    rows = session.execute(select(
        region, func.count(), _one(Appeal.status.in_(workflow.OPEN)), _one(_overdue(today)),
        _one(Appeal.escalated.is_(True)),
        _one(answered), _one(answered & (Appeal.answered_on <= Appeal.due_on)), func.count(Appeal.satisfaction),
        func.avg(Appeal.satisfaction)).where(where).group_by(region).order_by(region))
    regions = tuple(RegionLine(str(r[0]) + "0000000", int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0),
                               int(r[5] or 0), int(r[6] or 0), int(r[7] or 0),
                               None if r[8] is None else float(r[8])) for r in rows)
    month = func.substr(cast(Appeal.received_on, String), 1, 7)
    return Dashboard(today, regions, _counts(session, Appeal.status, where), _counts(session, Appeal.channel, where),
                     _counts(session, Appeal.theme, where), _counts(session, Appeal.outcome, where & answered),
                     _counts(session, month, where),
                     session.scalar(select(func.count()).where(where, Appeal.repeat_of.is_not(None))) or 0)


@dataclass(frozen=True, slots=True)
class PublicView:
    """What the receipt code shows: where the appeal stands, never its text or applicant."""

    id: str
    received_on: date
    status: str
    due_on: date
    extended: bool
    extension_reason: str | None
    outcome: str | None
    outcome_reason: str | None
    redirected_to: str | None
    answered_on: date | None
    satisfaction: int | None
    may_rate: bool


def public_view(appeal: Appeal) -> PublicView:
    return PublicView(appeal.id, appeal.received_on, appeal.status, appeal.due_on, appeal.extension_reason is not None,
                      appeal.extension_reason, appeal.outcome, appeal.outcome_reason,
                      appeal.route_to if appeal.route_kind == "state_body" else None, appeal.answered_on,
                      appeal.satisfaction, appeal.status in ("answered", "redirected", "closed"))

