"""The terms and deadlines of appeals: the configured :class:`~tandau.core.appeals.terms.Terms`, the working-day
calendar, the local date of a moment, and the keys of receipts and applicants.

**Settings** (environment; every one optional, defaults of APPC art. 76, see :mod:`tandau.core.appeals.terms`):
``TANDAU_APPEALS_ANSWER_DAYS`` (15), ``TANDAU_APPEALS_EXTENSION_MONTHS`` (2), ``TANDAU_APPEALS_NOTICE_DAYS`` (3),
``TANDAU_APPEALS_REDIRECT_DAYS`` (3), ``TANDAU_APPEALS_REMINDER_DAYS`` (2), ``TANDAU_APPEALS_REPEAT_WINDOW_DAYS``
(90), ``TANDAU_APPEALS_RETENTION_YEARS`` (5), ``TANDAU_APPEALS_PER_HOUR`` (5, the public form's limit per address).
A value that is not a positive whole number stops the command or the request with the setting's name.

**Deadlines** are counted in working days on Kazakhstan's calendar (:func:`tandau.core.appeals.calendar.due_date`
on the packaged calendar). Past its last year the calendar does not know the transfers of days off yet: a due date
that runs beyond it is counted on the five-day week alone and marked *provisional* (the appeal's page says so), so
intake never stops at New Year; nothing else is guessed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from tandau.core.appeals import deadlines as core_deadlines
from tandau.core.appeals.calendar import OutsideCalendarError, WorkCalendar, due_date
from tandau.core.appeals.terms import Terms
from tandau.errors import InputError
from tandau.io.calendar_csv import default_calendar

ALMATY = ZoneInfo("Asia/Almaty")
DEFAULT_PER_HOUR = 5
_ENV = {"answer_days": "TANDAU_APPEALS_ANSWER_DAYS", "extension_months": "TANDAU_APPEALS_EXTENSION_MONTHS",
        "extension_notice_days": "TANDAU_APPEALS_NOTICE_DAYS", "redirect_days": "TANDAU_APPEALS_REDIRECT_DAYS",
        "reminder_days": "TANDAU_APPEALS_REMINDER_DAYS", "repeat_window_days": "TANDAU_APPEALS_REPEAT_WINDOW_DAYS",
        "retention_years": "TANDAU_APPEALS_RETENTION_YEARS"}


def _number(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise InputError(f"{name} must be a whole number, got {raw!r}", parameter=name)
    return int(raw)


def terms_from(env: Mapping[str, str] | None = None) -> Terms:
    """The terms configured in ``env`` (the process environment by default).

    >>> terms_from({"TANDAU_APPEALS_ANSWER_DAYS": "10"}).answer_days, terms_from({}).retention_years
    (10, 5)
    """
    source = os.environ if env is None else env
    values = {field: value for field, name in _ENV.items() if (value := _number(source, name)) is not None}
    try:
        return Terms(**values)
    except ValueError as exc:
        raise InputError(str(exc), parameter="TANDAU_APPEALS_*") from None


def per_hour(env: Mapping[str, str] | None = None) -> int:
    """Appeals one address may send per hour through the public form."""
    value = _number(os.environ if env is None else env, "TANDAU_APPEALS_PER_HOUR")
    return value or DEFAULT_PER_HOUR


def calendar() -> WorkCalendar:
    """Kazakhstan's working-day calendar (the packaged one)."""
    return default_calendar()


def local_date(moment: datetime) -> date:
    """The date of ``moment`` in Asia/Almaty (:func:`tandau.core.appeals.deadlines.local_date`)."""
    return core_deadlines.local_date(moment)


def now_utc(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Due:
    """A due date and whether it was counted past the calendar's data (five-day week only)."""

    day: date
    provisional: bool


def working_days_after(day: date, days: int, cal: WorkCalendar | None = None) -> Due:
    """The ``days``-th working day after ``day``."""
    try:
        return Due(due_date(day, days, cal or calendar()).due, False)
    except OutsideCalendarError:
        current, left = day, days
        while left:
            current += timedelta(days=1)
            if current.weekday() < 5:
                left -= 1
        return Due(current, True)


@cache
def _derived(secret_key: str, purpose: bytes) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), purpose, hashlib.sha256).digest()


def receipt_key(secret_key: str) -> bytes:
    """The HMAC key of appeal receipt codes (derived from ``TANDAU_SECRET_KEY``; not the proposals' key)."""
    return _derived(secret_key, b"tandau.appeals.receipt")


def applicant_key(secret_key: str) -> bytes:
    """The HMAC key of applicants' hashes (repeat detection, pseudonymised exports)."""
    return _derived(secret_key, b"tandau.appeals.applicant")


def applicant_hash(key: bytes, name: str | None, contact: str | None) -> str | None:
    """The keyed hash of an applicant: of the contact (a phone by its last 10 digits, an e-mail in lower case),
    else of the name (lower case, one space); None when neither is given.

    >>> k = b"k"
    >>> applicant_hash(k, "A", "+7 701 123-45-67") == applicant_hash(k, "B", "87011234567")
    True
    >>> applicant_hash(k, None, " ") is None
    True
    """
    text = (contact or "").strip().lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    if "@" not in text and len(digits) >= 10:
        text = "tel:" + digits[-10:]
    elif not text:
        text = "name:" + " ".join((name or "").lower().split())
        if text == "name:":
            return None
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
