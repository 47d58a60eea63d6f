"""The records behind scorecards, read once per computation and counted by the database: activity per deputy and
kind, appeals per territory and route (``kato``, ``route_kind``, ``route_to``, ``handler``) and control cases of
the period, the control board's assessments at its end (commitments made control targets), and which of those
series each deputy answers for (the commitments naming them: :mod:`tandau.services.deputies.commitments`).

Every subject's figures are sums of these groups: all the records of a group share what decides whose they are, so
counting a group once is counting each of its records once (no subject reads the period's records one by one; at
the national demo's size, 100,000 activity rows and 50,000 appeals become about 10,000 and 1,300 groups)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from tandau.errors import TandauError
from tandau.services.primaries.access import Actor
from tandau.store.appeals_models import Appeal
from tandau.store.control_models import ControlCase
from tandau.store.deputies_models import DeputyActivity

ON_TRACK = ("on_track", "achieved")
RESOLVED = ("resolved", "closed")


@dataclass(frozen=True, slots=True)
class Activity:
    """A deputy's activity of the period, counted: sessions and those attended, inquiries sent and answered,
    receptions held."""

    sessions: int = 0
    attended: int = 0
    sent: int = 0
    answered: int = 0
    receptions: int = 0

    def __add__(self, other: Activity) -> Activity:
        return Activity(self.sessions + other.sessions, self.attended + other.attended, self.sent + other.sent,
                        self.answered + other.answered, self.receptions + other.receptions)


@dataclass(frozen=True, slots=True)
class Tally:
    """Appeals counted: answered, answered by their due day, rated and the sum of their ratings (1 to 5)."""

    answered: int = 0
    on_time: int = 0
    rated: int = 0
    ratings: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.answered + other.answered, self.on_time + other.on_time, self.rated + other.rated,
                     self.ratings + other.ratings)


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out += t
    return out


@dataclass(frozen=True, slots=True)
class AppealRec:
    """The period's appeals of one territory and route, counted."""

    kato: str
    route_kind: str | None
    route_to: str | None
    handler: str | None
    tally: Tally


@dataclass(frozen=True, slots=True)
class CaseRec:
    kato: str | None
    owner_kind: str
    owner: str
    resolved: bool


@dataclass(frozen=True, slots=True)
class TargetRec:
    programme: str
    region: str
    on_track: bool
    indicator: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.programme, self.indicator, self.region)


@dataclass(frozen=True, slots=True)
class Records:
    start: date
    end: date
    activity: Mapping[str, Activity]
    appeals: tuple[AppealRec, ...]
    cases: tuple[CaseRec, ...]
    targets: tuple[TargetRec, ...]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition``."""
    return func.sum(case((condition, 1), else_=0))


ROUTES = {"deputy": ("deputy",), "faction": ("deputy",), "branch": ("branch",), "akim": ("state_body",)}


def load(session: Session, start: date, end: date, kinds: Collection[str] = tuple(ROUTES)) -> Records:
    """The records of the period ``start``..``end`` (inclusive) that scorecards of ``kinds`` read, counted by group:
    activity for deputies and factions, appeals of the routes of ``kinds`` (:data:`ROUTES`), every control case and
    target (which series each deputy answers for: :func:`tandau.services.deputies.commitments.series_by_deputy`)."""
    routes = sorted({r for k in kinds for r in ROUTES[k]})
    activity = _activity(session, start, end) if {"deputy", "faction"} & set(kinds) else {}
    p = Appeal
    appeals = tuple(
        AppealRec(str(kato), rk, rt, h, Tally(answered, int(on_time or 0), rated, int(ratings or 0)))
        for kato, rk, rt, h, answered, on_time, rated, ratings in session.execute(
            select(p.kato, p.route_kind, p.route_to, p.handler, func.count(p.answered_on),
                   _count(and_(p.answered_on.is_not(None), p.answered_on <= p.due_on)), func.count(p.satisfaction),
                   func.sum(p.satisfaction))
            .where(p.received_on >= start, p.received_on <= end, p.route_kind.in_(routes))
            .group_by(p.kato, p.route_kind, p.route_to, p.handler)))
    lo = datetime.combine(start, time.min, tzinfo=UTC)
    hi = datetime.combine(end, time.max, tzinfo=UTC)
    cases = tuple(CaseRec(kato, str(ok), str(owner), status in RESOLVED) for kato, ok, owner, status in
                  session.execute(select(ControlCase.kato, ControlCase.owner_kind, ControlCase.owner,
                                         ControlCase.status).where(ControlCase.opened_at >= lo,
                                                                   ControlCase.opened_at <= hi)))
    return Records(start, end, activity, appeals, cases, _targets(session, end))


def _activity(session: Session, start: date, end: date) -> dict[str, Activity]:
    """Deputy id -> their activity of the period, counted by kind."""
    out: dict[str, Activity] = {}
    a = DeputyActivity
    for deputy, kind, n, attended, answered in session.execute(
            select(a.deputy_id, a.kind, func.count(), _count(a.attended.is_(True)), func.count(a.answered_on))
            .where(a.day >= start, a.day <= end).group_by(a.deputy_id, a.kind)):
        counted = {"session": Activity(sessions=n, attended=int(attended or 0)),
                   "inquiry": Activity(sent=n, answered=answered),
                   "reception": Activity(receptions=n)}.get(str(kind))
        if counted is not None:
            out[str(deputy)] = out.get(str(deputy), Activity()) + counted
    return out


def _targets(session: Session, as_of: date) -> tuple[TargetRec, ...]:
    """The board's assessment of every stored series at ``as_of``. Read as the system (the scorecard's reader was
    authorised by SCORECARD_VIEW; only counts of statuses leave this function)."""
    from tandau.services.control.board import control_board
    from tandau.store.control_models import ControlTargetRow

    if session.scalars(select(ControlTargetRow.id).limit(1)).first() is None:
        return ()
    try:
        board = control_board(session, Actor.central("system:scorecards"), as_of)
    except TandauError:
        return ()
    return tuple(TargetRec(a.programme, a.region, a.status in ON_TRACK, a.indicator) for a in board.assessments)
