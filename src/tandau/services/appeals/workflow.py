"""The life of an appeal after intake: routing, extension, redirect, answer with an outcome, closing, and the
applicant's satisfaction; every act stored as a step and appended to the audit log (``appeal.<step>``).

::

    received --route--> in_progress --extend (once)--> extended
    received | in_progress | extended --answer(resolved | explained | refused)--> answered --close--> closed
    received | in_progress --redirect (to a state body)--> redirected --close--> closed

Who (:data:`~tandau.services.primaries.access.POLICY`): routing (``APPEAL_ROUTE``) is the branch secretary's of
the appeal's territory and the central office's; extension, redirect, answer and close (``APPEAL_HANDLE``) are
the case's handler's (a deputy or an appeal handler it was routed to), the branch secretary's and the central
office's. A handler must be someone who may handle it (asked of the policy for their grants).

Rules (:class:`~tandau.core.appeals.terms.Terms`, APPC art. 76): one extension, with a reason, to a day after the
current due date and at most ``extension_months`` after the receipt; the applicant is to be told within
``extension_notice_days`` working days (the step records by when). A redirect names the competent state body and
records whether it was made within ``redirect_days`` working days of the receipt (a late redirect is still made,
and flagged). Refusal needs its reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tandau.core.appeals.terms import Terms, extension_limit
from tandau.errors import InputError
from tandau.services.appeals import deadlines
from tandau.services.primaries import audit, auth
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.proposals.rules import check_choice, check_territory
from tandau.store.appeals_models import Appeal, AppealStep

STATUSES = ("received", "in_progress", "extended", "redirected", "answered", "closed")
OPEN = ("received", "in_progress", "extended")
OUTCOMES = ("resolved", "explained", "redirected", "refused")
ANSWERS = ("resolved", "explained", "refused")
ROUTE_KINDS = ("deputy", "branch")
MAX_REASON, MAX_BODY = 5000, 200


def get(session: Session, appeal_id: str) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFoundError("appeal", appeal_id)
    return appeal


def may_view(actor: Actor, appeal: Appeal) -> bool:
    """Whether ``actor`` may read the appeal (without its applicant): who reads appeals of its territory, and its
    own handler wherever it is."""
    return is_allowed(actor, Action.APPEAL_VIEW, appeal.kato) or may_handle(actor, appeal)


def may_handle(actor: Actor, appeal: Appeal) -> bool:
    return is_allowed(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)


def may_see_applicant(actor: Actor, appeal: Appeal) -> bool:
    """The applicant's name and contact: the case's handler, its territory's secretary, the central office."""
    return is_allowed(actor, Action.APPEAL_PERSONAL, appeal.kato, subject=appeal.handler)


def visible(session: Session, actor: Actor, appeal_id: str) -> Appeal:
    """The appeal if ``actor`` may read it (unknown to whoever may not: :class:`NotFoundError`)."""
    appeal = get(session, appeal_id)
    if not may_view(actor, appeal):
        require(actor, Action.APPEAL_VIEW, appeal.kato)
    return appeal


def _record(session: Session, appeal: Appeal, actor: Actor, step: str, detail: str, note: str,
            moment: datetime, details: dict[str, object]) -> None:
    appeal.updated_at = moment
    session.add(AppealStep(appeal_id=appeal.id, step=step, detail=detail[:200], note=note, at=moment,
                           actor=actor.subject_id))
    audit.append(session, actor=actor.subject_id, action=f"appeal.{step}", target=appeal.id, now=moment,
                 details=details)
    session.commit()


def _state(appeal: Appeal, allowed: tuple[str, ...], step: str) -> None:
    if appeal.status not in allowed:
        raise StateError(f"appeal {appeal.id} is {appeal.status}; {step} needs one of: {', '.join(allowed)}")


def _reason(value: str | None, parameter: str, *, required: bool, limit: int = MAX_REASON) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(f"{parameter} is required", parameter=parameter)
    if len(text) > limit:
        raise InputError(f"{parameter} has at most {limit} characters", parameter=parameter)
    return text


def route(session: Session, actor: Actor, appeal_id: str, kind: str, to: str, *, handler: str | None = None,
          note: str = "", now: datetime | None = None) -> Appeal:
    """Route an open appeal to a deputy (``to``: their subject id, its handler by default) or a branch (``to``:
    the branch's KATO; ``handler``: an appeal handler there, optional) and commit."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_ROUTE, appeal.kato)
    _state(appeal, OPEN, "routing")
    kind = check_choice(kind, ROUTE_KINDS, "kind")
    target = _reason(to, "to", required=True, limit=MAX_BODY)
    if kind == "branch":
        target = check_territory(target, parameter="to")
    chosen = (handler or "").strip() or (target if kind == "deputy" else None)
    if chosen is not None and not is_allowed(auth.actor_for(session, chosen), Action.APPEAL_HANDLE, appeal.kato,
                                             subject=chosen):
        raise InputError(f"{chosen!r} may not handle appeals (a deputy, an appeal handler or the territory's "
                             "secretary may)", parameter="handler")
    moment = deadlines.now_utc(now)
    appeal.route_kind, appeal.route_to, appeal.handler = kind, target, chosen
    if appeal.status == "received":
        appeal.status = "in_progress"
    _record(session, appeal, actor, "route", f"{kind} {target}" + (f", handler {chosen}" if chosen else ""),
            _reason(note, "note", required=False), moment, {"kind": kind, "to": target, "handler": chosen})
    return appeal


def extend(session: Session, actor: Actor, appeal_id: str, new_due: date, reason: str, *,
           terms: Terms | None = None, now: datetime | None = None) -> Appeal:
    """Extend an open appeal once, with its reason, to ``new_due`` (refused beyond ``extension_months`` after the
    receipt) and commit; the step records by when the applicant must be told."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)
    _state(appeal, ("received", "in_progress"), "an extension")
    terms = terms or deadlines.terms_from()
    why = _reason(reason, "reason", required=True)
    limit = extension_limit(appeal.received_on, terms)
    moment = deadlines.now_utc(now)
    if deadlines.local_date(moment) > appeal.due_on:
        raise InputError(f"the term ended on {appeal.due_on.isoformat()}: an expired term cannot be extended",
                         parameter="due")
    if new_due <= appeal.due_on:
        raise InputError(f"the new due date must be after {appeal.due_on.isoformat()}", parameter="due")
    if new_due > limit:
        raise InputError(f"an appeal received on {appeal.received_on.isoformat()} may be extended to "
                         f"{limit.isoformat()} at most ({terms.extension_months} months)", parameter="due")
    tell_by = deadlines.working_days_after(deadlines.local_date(moment), terms.extension_notice_days).day
    before = appeal.due_on
    appeal.due_on, appeal.extension_reason, appeal.status = new_due, why, "extended"
    _record(session, appeal, actor, "extend", f"{before.isoformat()} -> {new_due.isoformat()}; tell the applicant "
            f"by {tell_by.isoformat()}", why, moment, {"from": before.isoformat(), "to": new_due.isoformat(),
                                                        "tell_by": tell_by.isoformat()})
    return appeal


def redirect_by(appeal: Appeal, terms: Terms) -> date:
    """The last day to redirect an appeal outside the party's competence."""
    return deadlines.working_days_after(appeal.received_on, terms.redirect_days).day


def redirect(session: Session, actor: Actor, appeal_id: str, body: str, reason: str = "", *,
             terms: Terms | None = None, now: datetime | None = None) -> Appeal:
    """Send an appeal outside the party's competence on to the state body ``body`` and commit (the applicant is
    told; the step records whether it was within ``redirect_days`` working days)."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)
    _state(appeal, ("received", "in_progress"), "a redirect")
    terms = terms or deadlines.terms_from()
    target = _reason(body, "body", required=True, limit=MAX_BODY)
    moment = deadlines.now_utc(now)
    today, limit = deadlines.local_date(moment), redirect_by(appeal, terms)
    late = today > limit
    appeal.route_kind, appeal.route_to = "state_body", target
    appeal.status, appeal.outcome, appeal.outcome_reason = "redirected", "redirected", _reason(
        reason, "reason", required=False) or None
    appeal.answered_on = today
    _record(session, appeal, actor, "redirect", f"to {target}; due by {limit.isoformat()}" + ("; LATE" if late else ""),
            appeal.outcome_reason or "", moment, {"body": target, "by": limit.isoformat(), "late": late})
    return appeal


def answer(session: Session, actor: Actor, appeal_id: str, outcome: str, text: str, *,
           now: datetime | None = None) -> Appeal:
    """Answer an open appeal with its outcome (resolved, explained, refused: then ``text`` is the reason) and
    commit."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)
    _state(appeal, OPEN, "an answer")
    outcome = check_choice(outcome, ANSWERS, "outcome")
    summary = _reason(text, "reason" if outcome == "refused" else "text", required=True)
    moment = deadlines.now_utc(now)
    appeal.status, appeal.outcome, appeal.outcome_reason = "answered", outcome, summary
    appeal.answered_on = deadlines.local_date(moment)
    late = appeal.answered_on > appeal.due_on
    _record(session, appeal, actor, "answer", outcome + ("; after the due date" if late else ""), summary, moment,
            {"outcome": outcome, "late": late})
    return appeal


def close(session: Session, actor: Actor, appeal_id: str, *, note: str = "", now: datetime | None = None) -> Appeal:
    """Close an answered or redirected appeal (its retention starts) and commit."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)
    _state(appeal, ("answered", "redirected"), "closing")
    moment = deadlines.now_utc(now)
    appeal.status, appeal.closed_at = "closed", moment
    _record(session, appeal, actor, "close", "", _reason(note, "note", required=False), moment, {})
    return appeal


def check_score(score: int | str | None) -> int:
    value = str(score).strip() if score is not None else ""
    if not value.isdigit() or not 1 <= int(value) <= 5:
        raise InputError(f"satisfaction is a whole number from 1 to 5, got {score!r}", parameter="satisfaction")
    return int(value)


def rate(session: Session, appeal: Appeal, score: int | str | None, *, by: str = "applicant",
         now: datetime | None = None) -> Appeal:
    """Record the applicant's satisfaction (1-5) with an answered, redirected or closed appeal and commit (the
    applicant through their receipt code, or staff who asked them: ``by``)."""
    value = check_score(score)
    _state(appeal, ("answered", "redirected", "closed"), "a satisfaction score")
    moment = deadlines.now_utc(now)
    appeal.satisfaction, appeal.updated_at = value, moment
    session.add(AppealStep(appeal_id=appeal.id, step="satisfaction", detail=str(value), note="", at=moment, actor=by))
    audit.append(session, actor=by, action="appeal.satisfaction", target=appeal.id, now=moment,
                 details={"score": value})
    session.commit()
    return appeal


def rate_by_staff(session: Session, actor: Actor, appeal_id: str, score: int | str | None, *,
                  now: datetime | None = None) -> Appeal:
    """Staff record the satisfaction the applicant told them (``APPEAL_HANDLE``)."""
    appeal = get(session, appeal_id)
    require(actor, Action.APPEAL_HANDLE, appeal.kato, subject=appeal.handler)
    return rate(session, appeal, score, by=actor.subject_id, now=now)
