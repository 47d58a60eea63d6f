"""Overdue escalation and reminders.

An appeal is **overdue** when it is still open (received, in progress, extended) and its due date has passed in
Asia/Almaty. :func:`escalate_overdue` (``tandau appeals escalate``, run daily by cron or a timer) marks every
overdue appeal that is not yet escalated, stores an ``escalate`` step and appends one audit entry per appeal
(``appeal.escalate``); escalated appeals come first on the queue and are counted on the dashboard, and the
central office sees them all. :func:`reminders` lists the open appeals due within ``reminder_days`` working days
(today included), soonest first: the list a handler works through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from tandau.core.appeals.terms import Terms
from tandau.services.appeals import deadlines
from tandau.services.appeals.read import scope_clause
from tandau.services.appeals.workflow import OPEN
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.appeals_models import Appeal, AppealStep


@dataclass(frozen=True, slots=True)
class Escalation:
    """What a run of :func:`escalate_overdue` did."""

    today: date
    escalated: tuple[str, ...]
    already: int


def escalate_overdue(session: Session, actor: Actor, *, now: datetime | None = None) -> Escalation:
    """Escalate every overdue appeal not escalated yet and commit (``APPEAL_ADMIN``: the central office)."""
    require(actor, Action.APPEAL_ADMIN, None)
    moment = deadlines.now_utc(now)
    today = deadlines.local_date(moment)
    overdue = Appeal.status.in_(OPEN) & (Appeal.due_on < today)
    rows = session.scalars(select(Appeal).where(overdue, Appeal.escalated.is_(False)).order_by(Appeal.due_on,
                                                                                              Appeal.id)).all()
    already = len(session.scalars(select(Appeal.id).where(overdue, Appeal.escalated.is_(True))).all())
    for appeal in rows:
        appeal.escalated, appeal.updated_at = True, moment
        late = (today - appeal.due_on).days
        session.add(AppealStep(appeal_id=appeal.id, step="escalate", detail=f"due {appeal.due_on.isoformat()}, "
                               f"{late} day(s) late", note="", at=moment, actor=actor.subject_id))
        audit.append(session, actor=actor.subject_id, action="appeal.escalate", target=appeal.id, now=moment,
                     details={"due": appeal.due_on.isoformat(), "days_late": late})
    session.commit()
    return Escalation(today, tuple(a.id for a in rows), already)


@dataclass(frozen=True, slots=True)
class Reminder:
    """An open appeal due soon: the day and how many working days are left (0: due today)."""

    appeal: Appeal
    due: date
    working_days_left: int


def reminders(session: Session, actor: Actor, *, terms: Terms | None = None, now: datetime | None = None,
              limit: int = 500) -> list[Reminder]:
    """The open appeals ``actor`` may read that are due within ``reminder_days`` working days, soonest first."""
    terms = terms or deadlines.terms_from()
    today = deadlines.local_date(deadlines.now_utc(now))
    horizon = deadlines.working_days_after(today, terms.reminder_days).day if terms.reminder_days else today
    clause = scope_clause(actor)
    scope: ColumnElement[bool] = true() if clause is None else clause
    rows = session.scalars(select(Appeal).where(scope, Appeal.status.in_(OPEN), Appeal.due_on >= today,
                                                Appeal.due_on <= horizon)
                           .order_by(Appeal.due_on, Appeal.id).limit(limit)).all()
    out = []
    for appeal in rows:
        left = 0
        day = today
        while day < appeal.due_on:
            left += 1
            day = deadlines.working_days_after(today, left).day
        out.append(Reminder(appeal, appeal.due_on, left))
    return out
