"""Intake of appeals: the public form (no account, receipt code, per-address limit), and office visits and phone
calls entered by staff (``APPEAL_INTAKE`` on the appeal's territory).

An appeal gets at once: its theme and confidence (the proposals' classifier: :func:`tandau.services.proposals.
themes.classify`), its local date of receipt (Asia/Almaty) and its due date (``answer_days`` working days after
it), a keyed hash of its applicant, and the earlier appeal it repeats, if any (:mod:`tandau.core.appeals.
repeats`). The receipt code (the proposals' format) is kept only as its HMAC under a key of its own; the limit
counts appeals per address and hour in ``appeal_rates`` under a keyed hash of the address.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.appeals import repeats
from tandau.core.appeals.terms import Terms
from tandau.errors import InputError
from tandau.services.appeals import deadlines
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.throttle import ThrottledError
from tandau.services.proposals import receipts, themes
from tandau.services.proposals.rules import check_choice, check_territory
from tandau.store.appeals_models import Appeal, AppealRate, AppealStep

CHANNELS = ("web", "office", "phone", "import")
STAFF_CHANNELS = ("office", "phone")
MIN_TEXT, MAX_TEXT, MAX_NAME, MAX_CONTACT = 10, 5000, 200, 200
WINDOW = timedelta(hours=1)
PRIORS = 2000  # the latest appeals of a territory, and of an applicant, a new one is compared with


class TooManyAppealsError(ThrottledError):
    """Over the per-address limit of the public form; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.args = (f"too many appeals from this address; try again in {retry_after} s",)


@dataclass(frozen=True, slots=True)
class AppealForm:
    """An appeal as the form, the API or staff give it."""

    text: str
    territory: str
    name: str = ""
    contact: str = ""
    lang: str = ""
    honeypot: str = ""


@dataclass(frozen=True, slots=True)
class Keys:
    """The receipt and applicant keys (derived from ``TANDAU_SECRET_KEY``)."""

    receipt: bytes
    applicant: bytes

    @staticmethod
    def of(secret_key: str) -> Keys:
        return Keys(deadlines.receipt_key(secret_key), deadlines.applicant_key(secret_key))


def new_id() -> str:
    """An appeal's id: ``a-`` and 10 hex digits."""
    return "a-" + secrets.token_hex(5)


def check_text(value: str | None, parameter: str, *, low: int, high: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and len(text) < low:
        raise InputError(f"{parameter} needs at least {low} characters", parameter=parameter)
    if len(text) > high:
        raise InputError(f"{parameter} has at most {high} characters", parameter=parameter)
    return text


def count_address(session: Session, key: bytes, address: str, per_hour: int, now: datetime) -> None:
    """Count one appeal from ``address`` in the caller's transaction; :class:`TooManyAppealsError` over the limit.
    The counters of other addresses whose hour has passed are deleted on the way (the proposals' counter:
    :func:`tandau.services.proposals.receipts.count_in`)."""
    receipts.count_in(session, AppealRate, key, address, per_hour, now, TooManyAppealsError)


def find_repeat(session: Session, appeal: Appeal, terms: Terms) -> repeats.RepeatMatch | None:
    """The earlier appeal ``appeal`` repeats (:func:`tandau.core.appeals.repeats.find_repeat`), or None."""
    since = appeal.received_on - timedelta(days=terms.repeat_window_days)
    columns = (Appeal.id, Appeal.kato, Appeal.applicant_hash, Appeal.text, Appeal.received_on)
    rows = list(session.execute(select(*columns).where(Appeal.kato == appeal.kato, Appeal.received_on >= since)
                                .order_by(Appeal.received_at.desc()).limit(PRIORS)))
    if appeal.applicant_hash is not None:
        rows += list(session.execute(select(*columns).where(Appeal.applicant_hash == appeal.applicant_hash,
                                                            Appeal.received_on >= since).limit(PRIORS)))
    priors = {r.id: repeats.Prior(r.id, r.kato, r.applicant_hash, r.text, r.received_on) for r in rows}
    new = repeats.Prior(appeal.id, appeal.kato, appeal.applicant_hash, appeal.text, appeal.received_on)
    return repeats.find_repeat(new, priors.values(), window=terms.repeat_window_days)


def _build(form: AppealForm, channel: str, keys: Keys, terms: Terms, moment: datetime) -> Appeal:
    text = check_text(form.text, "text", low=MIN_TEXT, high=MAX_TEXT)
    kato = check_territory(form.territory)
    name = check_text(form.name, "name", low=0, high=MAX_NAME, required=False)
    contact = check_text(form.contact, "contact", low=0, high=MAX_CONTACT, required=False)
    lang = (form.lang or "").strip() or themes.detect_language(text)
    lang = check_choice(lang, ("kk", "ru", "mixed", "unknown"), "lang")
    theme, confidence = themes.classify([text])[0]
    received = deadlines.local_date(moment)
    due = deadlines.working_days_after(received, terms.answer_days)
    return Appeal(id=new_id(), channel=channel, received_at=moment, received_on=received, kato=kato, theme=theme,
                  confidence=confidence, lang=lang, text=text, applicant_name=name or None,
                  applicant_contact=contact or None, applicant_hash=deadlines.applicant_hash(keys.applicant, name,
                                                                                              contact),
                  status="received", due_on=due.day, escalated=False, synthetic=False, updated_at=moment)


def _store(session: Session, appeal: Appeal, terms: Terms, actor: str, moment: datetime) -> None:
    match = find_repeat(session, appeal, terms)
    session.add(appeal)
    session.flush()
    detail = f"due {appeal.due_on.isoformat()}"
    if match is not None:
        appeal.repeat_of = match.of
        detail += f"; repeats {match.of} ({match.reason}, {match.score})"
    session.add(AppealStep(appeal_id=appeal.id, step="receive", detail=detail[:200], note="", at=moment, actor=actor))
    audit.append(session, actor=actor, action="appeal.receive", target=appeal.id, now=moment, details={
        "channel": appeal.channel, "kato": appeal.kato, "due": appeal.due_on.isoformat(),
        "repeat_of": appeal.repeat_of})


def submit(session: Session, form: AppealForm, *, keys: Keys, address: str, terms: Terms | None = None,
           per_hour: int | None = None, now: datetime | None = None) -> tuple[Appeal, str]:
    """Store an appeal from the public form and commit; the appeal and its receipt code (shown once)."""
    if form.honeypot.strip():
        raise InputError("this form was filled in by a program, not a person; nothing was stored",
                         parameter="website")
    moment = deadlines.now_utc(now)
    terms = terms or deadlines.terms_from()
    appeal = _build(form, "web", keys, terms, moment)
    count_address(session, keys.receipt, address, per_hour or deadlines.per_hour(), moment)
    code = receipts.new_code()
    appeal.receipt_hash = receipts.code_hash(keys.receipt, code)
    _store(session, appeal, terms, "public", moment)
    session.commit()
    return appeal, code


def register(session: Session, actor: Actor, form: AppealForm, channel: str, *, keys: Keys,
             terms: Terms | None = None, now: datetime | None = None) -> tuple[Appeal, str]:
    """Store an appeal received at an office or by phone (staff) and commit; the appeal and its receipt code (to
    give the applicant)."""
    channel = check_choice(channel, STAFF_CHANNELS, "channel")
    require(actor, Action.APPEAL_INTAKE, check_territory(form.territory))
    moment = deadlines.now_utc(now)
    terms = terms or deadlines.terms_from()
    appeal = _build(form, channel, keys, terms, moment)
    code = receipts.new_code()
    appeal.receipt_hash = receipts.code_hash(keys.receipt, code)
    _store(session, appeal, terms, actor.subject_id, moment)
    session.commit()
    return appeal, code


def by_receipt(session: Session, key: bytes, code: str) -> Appeal:
    """The appeal of a receipt code (:class:`NotFoundError` for an unknown or malformed code)."""
    return receipts.find(session, Appeal, Appeal.receipt_hash, key, code, "appeal with receipt")
