"""Deadlines for citizens' appeals and the local date of a moment of receipt.

The defaults follow the Administrative Procedural and Process-Related Code of the Republic of Kazakhstan of
29 Jun 2020 No. 350-VI (АППК), art. 76, which binds state bodies and which the party applies to itself:

- an appeal is answered within 15 working days from the day of receipt;
- the term may be extended once, by a reasoned decision, to at most two months (counted here in calendar
  months from the day of receipt), and the citizen is told within 3 working days of the decision;
- an appeal outside the party's competence is redirected within 3 working days, the citizen being told.

Every number is a setting of :class:`Deadlines`. Dates are local to Kazakhstan: :func:`local_date` turns a
moment into the date in Asia/Almaty: UTC+6 until 1 Mar 2024 00:00 local time, when clocks went back one hour
to 29 Feb 23:00, and UTC+5 since (Government resolution of 23 Nov 2000 No. 1749 "On the order of time reckoning
in the Republic of Kazakhstan" as amended on 19 Jan 2024, as reported by the Ministry of Trade and Integration;
tz database 2024a, zone Asia/Almaty). The hour 18:00-19:00 UTC on 29 Feb 2024 is thus still 29 February.
"""

from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tandau.core.appeals.calendar import DueDate, WorkCalendar, due_date
from tandau.errors import InputError

ZONE = "Asia/Almaty"
# the switch to UTC+5: 1 Mar 2024 00:00 at UTC+6 = 29 Feb 2024 18:00 UTC (clocks went from 00:00 back to 23:00)
SWITCH_UTC = datetime(2024, 2, 29, 18, 0, tzinfo=UTC)
_BEFORE, _AFTER = timezone(timedelta(hours=6)), timezone(timedelta(hours=5))


def fixed_rule_date(moment: datetime) -> date:
    """The Almaty date by the fixed rule: UTC+6 before :data:`SWITCH_UTC`, UTC+5 from it (right from 2005 on).

    >>> utc = UTC
    >>> fixed_rule_date(datetime(2024, 2, 29, 17, 59, tzinfo=utc))  # 23:59 at UTC+6
    datetime.date(2024, 2, 29)
    >>> fixed_rule_date(datetime(2024, 2, 29, 18, 30, tzinfo=utc))  # 23:30 again, now at UTC+5
    datetime.date(2024, 2, 29)
    >>> fixed_rule_date(datetime(2024, 2, 29, 19, 0, tzinfo=utc))  # 00:00 at UTC+5
    datetime.date(2024, 3, 1)
    """
    utc = moment.astimezone(UTC)
    return utc.astimezone(_BEFORE if utc < SWITCH_UTC else _AFTER).date()


@cache
def _zone() -> ZoneInfo | None:
    """Asia/Almaty from the tz database if it knows the 2024 change (tzdata 2024a or later), else None."""
    try:
        zone = ZoneInfo(ZONE)
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the machine
        return None
    before = SWITCH_UTC - timedelta(hours=1)
    if (before.astimezone(zone).utcoffset() == timedelta(hours=6)
            and SWITCH_UTC.astimezone(zone).utcoffset() == timedelta(hours=5)):
        return zone
    return None  # pragma: no cover - a tz database older than 2024a


def local_date(moment: datetime) -> date:
    """The date in Kazakhstan (Asia/Almaty) of an aware ``moment``; a naive one is refused.

    Uses the tz database (zoneinfo) when it has the change of 1 Mar 2024, else :func:`fixed_rule_date`.

    >>> local_date(datetime(2023, 12, 31, 18, 0, tzinfo=UTC))  # 00:00 at UTC+6
    datetime.date(2024, 1, 1)
    >>> local_date(datetime(2024, 12, 31, 18, 0, tzinfo=UTC))  # 23:00 at UTC+5
    datetime.date(2024, 12, 31)
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{moment.isoformat()} has no time zone: give the moment with its offset "
                         "(e.g. 2024-03-01T09:00+05:00)", parameter="moment")
    zone = _zone()
    return moment.astimezone(zone).date() if zone is not None else fixed_rule_date(moment)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, the day of the month clamped to the month's end.

    >>> add_months(date(2024, 12, 31), 2), add_months(date(2025, 12, 31), 2), add_months(date(2025, 3, 15), 2)
    (datetime.date(2025, 2, 28), datetime.date(2026, 2, 28), datetime.date(2025, 5, 15))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _positive(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"must be a whole number of at least 1, got {value!r}", parameter=name)


@dataclass(frozen=True)
class Extension:
    """An extension: the term asked for, the two-month limit, and when the citizen must be told."""

    received: date
    extended_to: date
    original: DueDate
    limit: date
    notice: DueDate


@dataclass(frozen=True)
class Deadlines:
    """The deadline settings (defaults: АППК No. 350-VI, art. 76).

    >>> Deadlines().answer_working_days, Deadlines().extension_months
    (15, 2)
    """

    answer_working_days: int = 15
    extension_months: int = 2
    extension_notice_working_days: int = 3
    redirect_working_days: int = 3

    def __post_init__(self) -> None:
        for name in ("answer_working_days", "extension_months", "extension_notice_working_days",
                     "redirect_working_days"):
            _positive(getattr(self, name), name)

    def answer(self, received: date, calendar: WorkCalendar) -> DueDate:
        """When the answer is due: the ``answer_working_days``-th working day after receipt."""
        return due_date(received, self.answer_working_days, calendar)

    def redirect(self, received: date, calendar: WorkCalendar) -> DueDate:
        """When an appeal outside the party's competence must be sent on, the citizen told."""
        return due_date(received, self.redirect_working_days, calendar)

    def extension_limit(self, received: date) -> date:
        """The latest date an extended term may reach: ``extension_months`` calendar months from receipt.

        The limit is a calendar date and is not moved off a day off (a doubt noted in docs/appeals.md).
        """
        return add_months(received, self.extension_months)

    def extension_notice(self, decided: date, calendar: WorkCalendar) -> DueDate:
        """When the citizen must be told of an extension decided on ``decided``."""
        return due_date(decided, self.extension_notice_working_days, calendar)

    def extend(self, received: date, decided: date, extended_to: date, calendar: WorkCalendar) -> Extension:
        """Check one extension and say when the citizen must be told of it.

        Refused (:class:`~tandau.errors.InputError`): a decision before receipt or after the original term
        (an expired term cannot be extended), a new term not after the original one, or beyond the limit.
        """
        original = self.answer(received, calendar)
        limit = self.extension_limit(received)
        if not received <= decided <= original.due:
            raise InputError(f"the extension must be decided between the receipt ({received}) and the end of the "
                             f"term ({original.due}), got {decided}", parameter="decided")
        if extended_to <= original.due:
            raise InputError(f"an extension must end after the original term ({original.due}), got "
                             f"{extended_to}", parameter="extended_to")
        if extended_to > limit:
            raise InputError(f"an extension may reach at most {self.extension_months} months from receipt "
                             f"({limit}), got {extended_to}", parameter="extended_to")
        return Extension(received, extended_to, original, limit, self.extension_notice(decided, calendar))
