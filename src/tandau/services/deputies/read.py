"""Reading deputies: the list scoped to the reader's territories, a deputy's page (mandate, decisions, activity
and what they own), a council's faction, and the seam to the other modules' owners."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from tandau.core.deputies import ActivitySummary, Record, summarise
from tandau.services.deputies.activity import records_of
from tandau.services.deputies.commitments import DeputyCommitment, of_deputy
from tandau.services.deputies.common import get_council, get_deputy, require_view
from tandau.services.primaries.access import Action, Actor, is_allowed, territories
from tandau.services.primaries.kato import covers, kato_prefix
from tandau.store.appeals_models import Appeal
from tandau.store.control_models import ControlCase
from tandau.store.deputies_models import DeputyActivity, DeputyCouncil, DeputyRow, SeatDecision

STATUSES = ("active", "vacated")
MANDATES = ("list", "district")


@dataclass(frozen=True, slots=True)
class Owned:
    """What a deputy owns in the other modules: programme commitments (with their control status), control cases,
    appeals (ids and titles)."""

    commitments: tuple[DeputyCommitment, ...] = ()
    control_cases: tuple[tuple[str, str], ...] = ()
    appeals: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DeputyDetail:
    """A deputy's page: the mandate, its council, the seat decisions about it, activity and what they own."""

    deputy: DeputyRow
    council: DeputyCouncil
    decisions: tuple[SeatDecision, ...]
    activity: tuple[DeputyActivity, ...]
    summary: ActivitySummary
    owned: Owned
    may_manage: bool


@dataclass(frozen=True, slots=True)
class Faction:
    """A council's imported result and the party's faction (active deputies), with every decision."""

    council: DeputyCouncil
    deputies: tuple[DeputyRow, ...]
    former: tuple[DeputyRow, ...]
    decisions: tuple[SeatDecision, ...]
    votes: tuple[tuple[str, int], ...]
    may_manage: bool
    women: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def owned_by(session: Session, deputy: DeputyRow, as_of: date | None = None) -> Owned:
    """The seam to the modules that name owners: the commitments of the council's programmes that name the deputy,
    with the control board's status on ``as_of`` (default today; :mod:`.commitments`), control cases opened for a
    deputy (``owner_kind`` deputy, the deputy's id as owner) and appeals routed to the deputy or handled by them
    (the appeals module names a deputy by their subject id: the deputy row's id or person id)."""
    cases = session.execute(select(ControlCase.id, ControlCase.title).where(
        ControlCase.owner_kind == "deputy", ControlCase.owner == deputy.id).order_by(ControlCase.opened_at)).all()
    names = [n for n in (deputy.id, deputy.person_id) if n]
    appeals = session.execute(select(Appeal.id, Appeal.theme).where(
        or_(Appeal.handler.in_(names), and_(Appeal.route_kind == "deputy", Appeal.route_to.in_(names))))
        .order_by(Appeal.received_at).limit(200)).all()
    day = as_of or datetime.now(UTC).date()
    return Owned(commitments=of_deputy(session, deputy.id, deputy.council_id, day),
                 control_cases=tuple((str(i), str(t)) for i, t in cases),
                 appeals=tuple((str(i), str(t or "")) for i, t in appeals))


def list_deputies(session: Session, actor: Actor, *, territory: str | None = None, council: str | None = None,
                  status: str | None = "active", mandate: str | None = None, limit: int = 5000,
                  offset: int = 0) -> list[DeputyRow]:
    """The deputies of the territories ``actor`` may view (``DEPUTY_VIEW``), by council then mandate (at most
    ``limit`` of them from ``offset``)."""
    query, scopes = _deputies_query(actor, territory, council, status, mandate)
    rows = list(session.scalars(query.offset(max(0, offset)).limit(limit)))
    return [r for r in rows if any(covers(s, r.kato) for s in scopes)]


@dataclass(frozen=True, slots=True)
class DeputyPage:
    """``rows``: at most ``limit`` deputies of :func:`list_deputies` from ``offset``; ``total``: how many match."""

    rows: list[DeputyRow]
    total: int
    offset: int
    limit: int


def deputies_page(session: Session, actor: Actor, *, territory: str | None = None, council: str | None = None,
                  status: str | None = "active", offset: int = 0, limit: int = 200) -> DeputyPage:
    """A page of :func:`list_deputies` with the count of every deputy matching (the staff page's pager)."""
    query, _ = _deputies_query(actor, territory, council, status, None)
    total = int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)
    offset = max(0, offset)
    rows = list_deputies(session, actor, territory=territory, council=council, status=status, limit=limit,
                         offset=offset)
    return DeputyPage(rows, total, offset, limit)


def _deputies_query(actor: Actor, territory: str | None, council: str | None, status: str | None,
                    mandate: str | None) -> tuple[Select[DeputyRow], list[str | None]]:
    scopes = territories(actor, Action.DEPUTY_VIEW)
    if not scopes:
        require_view(actor, territory)
    query = select(DeputyRow).order_by(DeputyRow.council_id, DeputyRow.mandate.desc(), DeputyRow.position,
                                       DeputyRow.district_id, DeputyRow.id)
    if None not in scopes:
        query = query.where(or_(*(DeputyRow.kato.startswith(kato_prefix(s)) for s in scopes if s)))
    if territory:
        query = query.where(DeputyRow.kato.startswith(kato_prefix(territory)))
    if council:
        query = query.where(DeputyRow.council_id == council)
    if status in STATUSES:
        query = query.where(DeputyRow.status == status)
    if mandate in MANDATES:
        query = query.where(DeputyRow.mandate == mandate)
    return query, list(scopes)


def _view_somewhere(actor: Actor) -> None:
    if not territories(actor, Action.DEPUTY_VIEW):
        require_view(actor, None)


def deputy_detail(session: Session, actor: Actor, deputy_id: str) -> DeputyDetail:
    _view_somewhere(actor)
    dep = get_deputy(session, deputy_id)
    require_view(actor, dep.kato)
    council = get_council(session, dep.council_id)
    decisions = tuple(session.scalars(select(SeatDecision).where(
        or_(SeatDecision.deputy_id == dep.id, (SeatDecision.council_id == dep.council_id)
            & SeatDecision.kind.in_(("list_allocation", "list_mandates", "district_winners"))))
        .order_by(SeatDecision.id)))
    activity = tuple(records_of(session, [dep.id]))
    summary = summarise(Record(a.kind, a.day, a.attended, a.choice, a.answered_on, a.people) for a in activity)
    return DeputyDetail(dep, council, decisions, activity, summary, owned_by(session, dep),
                        is_allowed(actor, Action.DEPUTY_MANAGE, dep.kato))


def faction(session: Session, actor: Actor, council_id: str) -> Faction:
    _view_somewhere(actor)
    council = get_council(session, council_id)
    require_view(actor, council.kato)
    rows = list(session.scalars(select(DeputyRow).where(DeputyRow.council_id == council_id)
                                .order_by(DeputyRow.mandate.desc(), DeputyRow.position, DeputyRow.district_id)))
    active = tuple(r for r in rows if r.status == "active")
    decisions = tuple(session.scalars(select(SeatDecision).where(SeatDecision.council_id == council_id)
                                      .order_by(SeatDecision.id)))
    counts = {kind: sum(r.mandate == kind for r in active) for kind in MANDATES}
    return Faction(council, active, tuple(r for r in rows if r.status != "active"), decisions,
                   tuple((str(p), int(v)) for p, v in json.loads(council.votes)),
                   is_allowed(actor, Action.DEPUTY_MANAGE, council.kato), sum(r.sex == "F" for r in active), counts)


def councils(session: Session, actor: Actor) -> list[DeputyCouncil]:
    """The councils with imported results that ``actor`` may view."""
    scopes = territories(actor, Action.DEPUTY_VIEW)
    rows = session.scalars(select(DeputyCouncil).order_by(DeputyCouncil.council_id))
    return [c for c in rows if any(covers(s, c.kato) for s in scopes)]


def decision_data(d: SeatDecision) -> dict[str, Any]:
    """A decision's stored data."""
    data: dict[str, Any] = json.loads(d.data)
    return data


def active_on(rows: list[DeputyRow], day: date) -> list[DeputyRow]:
    """Who held a mandate on ``day``."""
    return [r for r in rows if r.term_start <= day <= (r.vacated_on or r.term_end)]
