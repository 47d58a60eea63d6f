"""Kazakhstan's working-day calendar (five-day week) and due dates counted in working days.

The calendar is built from rows, one per weekday that is not worked and per weekend day that is worked:

- ``holiday``: a holiday of the Law of 13 Dec 2001 No. 267-II "On holidays in the Republic of Kazakhstan",
  art. 5 (non-working days), or a religious day off of the Labour Code of 23 Nov 2015 No. 414-V, art. 84 p. 5
  (7 January, the first day of Kurban Ait), falling on a weekday;
- ``carried_over``: the working day after a holiday that fell on a day off (Law No. 267-II, art. 5; the
  religious days off of art. 84 p. 5 are not carried over);
- ``transfer_day_off``: a weekday made a day off by a transfer of days off (Labour Code art. 85 p. 3: a
  Government resolution in 2023, orders of the Minister of Labour and Social Protection in 2024 and 2025);
- ``transfer_working_day``: the Saturday or Sunday made a working day by that transfer.

Every other Saturday and Sunday is a day off (``weekend``); every other weekday is a working day. The calendar
covers whole years (``first`` to ``last``); a question about a day outside them raises
:class:`OutsideCalendarError` rather than guessing, because transfers are only known once they are decreed.

>>> from datetime import date
>>> cal = WorkCalendar.from_rows([CalendarRow(date(2024, 5, 8), "transfer_day_off", "from 4 May", "order"),
...                               CalendarRow(date(2024, 5, 4), "transfer_working_day", "to 8 May", "order")],
...                              first=date(2024, 1, 1), last=date(2024, 12, 31))
>>> cal.off_reason(date(2024, 5, 8)), cal.is_working_day(date(2024, 5, 4)), cal.off_reason(date(2024, 5, 5))
('transfer_day_off', True, 'weekend')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, get_args

from tandau.errors import InputError, TandauError

RowKind = Literal["holiday", "carried_over", "transfer_day_off", "transfer_working_day"]
OffReason = Literal["weekend", "holiday", "carried_over", "transfer_day_off"]
ROW_KINDS: tuple[RowKind, ...] = get_args(RowKind)
OFF_REASONS: tuple[OffReason, ...] = get_args(OffReason)
_DAY = timedelta(days=1)


class CalendarError(TandauError):
    """Calendar rows that make no calendar; ``index`` is the 0-based position of the offending row."""

    def __init__(self, problem: str, index: int | None = None, column: str | None = None) -> None:
        self.problem = problem
        self.index = index
        self.column = column
        where = f"calendar row {index + 1}: " if index is not None else "calendar: "
        super().__init__(where + problem)


class OutsideCalendarError(TandauError):
    """A day outside the calendar data was needed (``day``), with the covered span."""

    def __init__(self, day: date, first: date, last: date, purpose: str = "") -> None:
        self.day = day
        self.first = first
        self.last = last
        self.purpose = purpose
        why = f" (needed for {purpose})" if purpose else ""
        super().__init__(
            f"{day.isoformat()} is outside Kazakhstan's working-day calendar data{why}: days off are known from "
            f"{first.isoformat()} to {last.isoformat()} only; add the official calendar of {day.year} (holidays, "
            "carry-overs and transfers of days off) to compute it")


@dataclass(frozen=True)
class CalendarRow:
    """One dated exception to the Monday-Friday week, with its name and its source (law, act, report)."""

    day: date
    kind: RowKind
    name: str
    source: str


def _weekend(day: date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class WorkCalendar:
    """The working days of a five-day week from ``first`` to ``last`` (build it with :meth:`from_rows`)."""

    first: date
    last: date
    rows: tuple[CalendarRow, ...]
    _by_day: dict[date, CalendarRow] = field(repr=False, compare=False)

    @classmethod
    def from_rows(cls, rows: Iterable[CalendarRow], *, first: date | None = None,
                  last: date | None = None) -> WorkCalendar:
        """Check the rows and build the calendar; the span defaults to the whole years the rows touch.

        Refused (:class:`CalendarError` naming the row): an unknown kind, an empty source, two rows for one
        day, a day off row on a Saturday or Sunday (a holiday on a weekend is no row: its carry-over is), a
        ``transfer_working_day`` on a weekday, a row outside the span, a year of the span without any row
        (every year has holidays on weekdays, so an empty year is missing data, not a year without days off).
        """
        items = tuple(rows)
        if not items:
            raise CalendarError("no rows: a calendar needs at least one year of official data")
        years = [r.day.year for r in items]
        first = first or date(min(years), 1, 1)
        last = last or date(max(years), 12, 31)
        if last < first:
            raise CalendarError(f"the span ends ({last}) before it starts ({first})")
        by_day: dict[date, CalendarRow] = {}
        for i, row in enumerate(items):
            if row.kind not in ROW_KINDS:
                raise CalendarError(f"unknown kind {row.kind!r}; valid: {', '.join(ROW_KINDS)}", i, "kind")
            if not row.source.strip():
                raise CalendarError("every row needs its source (the law, the act or the report)", i, "source")
            if row.day in by_day:
                raise CalendarError(f"{row.day} appears twice", i, "date")
            if not first <= row.day <= last:
                raise CalendarError(f"{row.day} is outside the span {first} to {last}", i, "date")
            if row.kind == "transfer_working_day" and not _weekend(row.day):
                raise CalendarError(f"{row.day} is a weekday: only a Saturday or Sunday can be made a working "
                                    "day", i, "kind")
            if row.kind != "transfer_working_day" and _weekend(row.day):
                raise CalendarError(f"{row.day} is a {row.day:%A}, already a day off: a holiday on a weekend is "
                                    "recorded by its carry-over, not as a row", i, "kind")
            by_day[row.day] = row
        seen = set(years)
        for year in range(first.year, last.year + 1):
            if year not in seen:
                raise CalendarError(f"no row for {year}: its official calendar is missing")
        return cls(first, last, tuple(sorted(items, key=lambda r: r.day)), by_day)

    def covers(self, day: date) -> bool:
        """Whether ``day`` is inside the calendar data."""
        return self.first <= day <= self.last

    def _check(self, day: date, purpose: str = "") -> None:
        if not self.covers(day):
            raise OutsideCalendarError(day, self.first, self.last, purpose)

    def row(self, day: date) -> CalendarRow | None:
        """The row of ``day`` (its name and source), if it has one."""
        self._check(day)
        return self._by_day.get(day)

    def off_reason(self, day: date) -> OffReason | None:
        """Why ``day`` is not worked (weekend | holiday | carried_over | transfer_day_off), or None if it is."""
        self._check(day)
        row = self._by_day.get(day)
        if row is not None:
            return None if row.kind == "transfer_working_day" else row.kind
        return "weekend" if _weekend(day) else None

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (a transferred working Saturday is one)."""
        return self.off_reason(day) is None

    def days(self, year: int) -> Iterator[date]:
        """Every day of ``year`` (all of it must be covered)."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        self._check(start, f"the year {year}")
        self._check(end, f"the year {year}")
        day = start
        while day <= end:
            yield day
            day += _DAY

    def days_off(self, year: int, *, weekends: bool = True) -> tuple[tuple[date, OffReason], ...]:
        """The days off of ``year`` with their reasons, in order; ``weekends=False`` leaves plain weekends out."""
        out = []
        for day in self.days(year):
            reason = self.off_reason(day)
            if reason is not None and (weekends or reason != "weekend"):
                out.append((day, reason))
        return tuple(out)

    def working_days(self, year: int) -> int:
        """How many working days ``year`` has."""
        return sum(1 for day in self.days(year) if self.is_working_day(day))


@dataclass(frozen=True)
class DueDate:
    """A deadline: the ``working_days``-th working day after ``received``, and the days off passed over."""

    received: date
    working_days: int
    due: date
    skipped: tuple[tuple[date, OffReason], ...]


def due_date(received: date, working_days: int, calendar: WorkCalendar) -> DueDate:
    """The ``working_days``-th working day after the day of receipt.

    The day of receipt is never counted, working or not (a term in days runs from the next day: Administrative
    Procedural and Process-Related Code of 29 Jun 2020 No. 350-VI; the 15 working days of art. 76 count "from
    the day of receipt"); each following working day counts one and days off are passed over and listed in
    ``skipped`` (with the reason). ``working_days`` must be at least 1: a term of no working days is no term.
    Refused with :class:`OutsideCalendarError` naming the first day not covered when the count leaves the
    calendar data (or ``received`` is outside it).

    >>> from datetime import date
    >>> cal = WorkCalendar.from_rows([CalendarRow(date(2023, 12, 18), "carried_over", "16 Dec", "Law 267-II"),
    ...                               CalendarRow(date(2024, 1, 1), "holiday", "New Year", "Law 267-II art. 5")])
    >>> d = due_date(date(2023, 12, 29), 1, cal)
    >>> d.due, [(str(day), why) for day, why in d.skipped]
    (datetime.date(2024, 1, 2), [('2023-12-30', 'weekend'), ('2023-12-31', 'weekend'), ('2024-01-01', 'holiday')])
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise InputError(f"a deadline counts at least 1 working day, got {working_days!r}",
                         parameter="working_days")
    purpose = f"{working_days} working days from {received.isoformat()}"
    calendar._check(received, purpose)
    skipped: list[tuple[date, OffReason]] = []
    day, left = received, working_days
    while left:
        day += _DAY
        calendar._check(day, purpose)
        reason = calendar.off_reason(day)
        if reason is None:
            left -= 1
        else:
            skipped.append((day, reason))
    return DueDate(received, working_days, day, tuple(skipped))
