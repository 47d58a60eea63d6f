"""The records behind scorecards, read once per computation: activity, appeals and control cases of the period,
the control board's assessments at its end (commitments made control targets), and which of those series each
deputy answers for (the commitments naming them: :mod:`tandau.services.deputies.commitments`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import TandauError
from tandau.services.deputies.commitments import series_by_deputy
from tandau.services.primaries.access import Actor
from tandau.store.appeals_models import Appeal
from tandau.store.control_models import ControlCase
from tandau.store.deputies_models import DeputyActivity

ON_TRACK = ("on_track", "achieved")
RESOLVED = ("resolved", "closed")


@dataclass(frozen=True, slots=True)
class Activity:
    deputy: str
    kind: str
    day: date
    attended: bool | None
    answered: bool


@dataclass(frozen=True, slots=True)
class AppealRec:
    kato: str
    route_kind: str | None
    route_to: str | None
    handler: str | None
    answered: bool
    on_time: bool
    satisfaction: int | None


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
    activity: tuple[Activity, ...]
    appeals: tuple[AppealRec, ...]
    cases: tuple[CaseRec, ...]
    targets: tuple[TargetRec, ...]
    deputy_series: Mapping[str, frozenset[tuple[str, str, str]]] = field(default_factory=dict)


def load(session: Session, start: date, end: date) -> Records:
    """Every record of the period ``start``..``end`` (inclusive)."""
    acts = tuple(Activity(str(d), str(k), day, a, ans is not None) for d, k, day, a, ans in session.execute(
        select(DeputyActivity.deputy_id, DeputyActivity.kind, DeputyActivity.day, DeputyActivity.attended,
               DeputyActivity.answered_on).where(DeputyActivity.day >= start, DeputyActivity.day <= end)))
    appeals = tuple(
        AppealRec(str(kato), rk, rt, h, ans is not None, ans is not None and ans <= due, sat)
        for kato, rk, rt, h, ans, due, sat in session.execute(
            select(Appeal.kato, Appeal.route_kind, Appeal.route_to, Appeal.handler, Appeal.answered_on,
                   Appeal.due_on, Appeal.satisfaction).where(Appeal.received_on >= start,
                                                             Appeal.received_on <= end)))
    lo = datetime.combine(start, time.min, tzinfo=UTC)
    hi = datetime.combine(end, time.max, tzinfo=UTC)
    cases = tuple(CaseRec(kato, str(ok), str(owner), status in RESOLVED) for kato, ok, owner, status in
                  session.execute(select(ControlCase.kato, ControlCase.owner_kind, ControlCase.owner,
                                         ControlCase.status).where(ControlCase.opened_at >= lo,
                                                                   ControlCase.opened_at <= hi)))
    targets = _targets(session, end)
    return Records(start, end, acts, appeals, cases, targets, series_by_deputy(session) if targets else {})


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
