"""WorkCalendar and due_date: reasons for days off, the span, refused rows, edge cases of counting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tandau.core.appeals import (
    CalendarError,
    CalendarRow,
    OutsideCalendarError,
    WorkCalendar,
    due_date,
)
from tandau.errors import InputError
from tandau.io.calendar_csv import default_calendar


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


def test_span(cal: WorkCalendar) -> None:
    assert (cal.first, cal.last) == (date(2023, 1, 1), date(2026, 12, 31))
    assert cal.covers(date(2023, 1, 1)) and cal.covers(date(2026, 12, 31))
    assert not cal.covers(date(2022, 12, 31)) and not cal.covers(date(2027, 1, 1))


@pytest.mark.parametrize(("day", "reason"), [
    (date(2023, 1, 2), "holiday"),
    (date(2023, 1, 3), "carried_over"),
    (date(2023, 7, 7), "transfer_day_off"),
    (date(2023, 7, 1), None),  # a Saturday made a working day
    (date(2023, 7, 2), "weekend"),
    (date(2024, 5, 4), None),
    (date(2024, 5, 8), "transfer_day_off"),
    (date(2024, 6, 16), "weekend"),  # Kurban Ait on a Sunday: not a row, not carried over
    (date(2024, 6, 17), None),
    (date(2025, 1, 5), None),  # a Sunday made a working day
    (date(2025, 1, 3), "transfer_day_off"),
    (date(2026, 8, 31), None),  # Constitution Day not kept in 2026
    (date(2026, 12, 31), None),
    (date(2026, 3, 25), "carried_over"),
])
def test_off_reason(cal: WorkCalendar, day: date, reason: str | None) -> None:
    assert cal.off_reason(day) == reason
    assert cal.is_working_day(day) is (reason is None)


def test_outside_refused_naming_the_date(cal: WorkCalendar) -> None:
    with pytest.raises(OutsideCalendarError, match="2027-01-04 is outside") as info:
        cal.is_working_day(date(2027, 1, 4))
    assert info.value.first == date(2023, 1, 1) and info.value.last == date(2026, 12, 31)
    with pytest.raises(OutsideCalendarError, match="2022-12-30"):
        due_date(date(2022, 12, 30), 1, cal)


def test_days_off_of_a_year(cal: WorkCalendar) -> None:
    off = dict(cal.days_off(2024, weekends=False))
    assert off[date(2024, 5, 8)] == "transfer_day_off" and date(2024, 5, 4) not in off
    assert "weekend" not in off.values() and len(off) == 14
    every = cal.days_off(2024)
    assert len(every) == 366 - cal.working_days(2024)
    assert [d for d, _ in every] == sorted(d for d, _ in every)
    with pytest.raises(OutsideCalendarError, match="2027"):
        cal.days_off(2027)


def test_row_gives_name_and_source(cal: WorkCalendar) -> None:
    row = cal.row(date(2024, 5, 4))
    assert row is not None and row.kind == "transfer_working_day" and "G24G0000109" in row.source
    assert cal.row(date(2024, 5, 6)) is None


def test_every_row_cites_its_law_or_act(cal: WorkCalendar) -> None:
    for row in cal.rows:
        if row.kind in ("transfer_day_off", "transfer_working_day"):
            assert "adilet" in row.source, row
        elif "Курбан" in row.name or "Рождество" in row.name:
            assert "414-V" in row.source and "84" in row.source, row
        else:
            assert "267-II" in row.source and "ст. 5" in row.source, row


def test_receipt_day_never_counts(cal: WorkCalendar) -> None:
    # received on a working day, a weekend, a holiday, a carried-over day, a transfer day off, a worked Saturday
    for received, due in [(date(2024, 5, 2), date(2024, 5, 3)), (date(2024, 5, 5), date(2024, 5, 6)),
                          (date(2024, 5, 7), date(2024, 5, 10)), (date(2024, 3, 25), date(2024, 3, 26)),
                          (date(2024, 5, 8), date(2024, 5, 10)), (date(2024, 5, 4), date(2024, 5, 6))]:
        result = due_date(received, 1, cal)
        assert result.due == due, received
        assert all(received < d < due for d, _ in result.skipped)


def test_default_term_crosses_the_may_holidays(cal: WorkCalendar) -> None:
    result = due_date(date(2024, 5, 2), 15, cal)
    assert result.due == date(2024, 5, 27)
    assert ((date(2024, 5, 8), "transfer_day_off")) in result.skipped
    assert result.working_days == 15 and result.received == date(2024, 5, 2)


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_no_term_refused(cal: WorkCalendar, n: object) -> None:
    with pytest.raises(InputError, match="working_days"):
        due_date(date(2024, 5, 2), n, cal)  # type: ignore[arg-type]


def test_last_day_reachable_first_beyond_refused(cal: WorkCalendar) -> None:
    assert due_date(date(2026, 12, 30), 1, cal).due == date(2026, 12, 31)
    with pytest.raises(OutsideCalendarError) as info:
        due_date(date(2026, 12, 31), 1, cal)
    assert info.value.day == date(2027, 1, 1) and "1 working days from 2026-12-31" in str(info.value)


def _row(day: date, kind: str = "holiday", source: str = "Law 267-II art. 5") -> CalendarRow:
    return CalendarRow(day, kind, "x", source)  # type: ignore[arg-type]


@pytest.mark.parametrize(("rows", "match"), [
    ([], "no rows"),
    ([_row(date(2024, 1, 1), "bank_holiday")], "unknown kind 'bank_holiday'"),
    ([_row(date(2024, 1, 1), source=" ")], "source"),
    ([_row(date(2024, 1, 1)), _row(date(2024, 1, 1))], "appears twice"),
    ([_row(date(2024, 1, 6))], "Saturday, already a day off"),
    ([_row(date(2024, 1, 8), "transfer_working_day")], "only a Saturday or Sunday"),
    ([_row(date(2023, 1, 2)), _row(date(2025, 1, 1))], "no row for 2024"),
])
def test_bad_rows_refused(rows: list[CalendarRow], match: str) -> None:
    with pytest.raises(CalendarError, match=match):
        WorkCalendar.from_rows(rows)


def test_row_outside_explicit_span_refused() -> None:
    with pytest.raises(CalendarError, match="outside the span") as info:
        WorkCalendar.from_rows([_row(date(2024, 1, 1)), _row(date(2024, 12, 31))], first=date(2024, 1, 1),
                               last=date(2024, 6, 30))
    assert info.value.index == 1 and info.value.column == "date"
    with pytest.raises(CalendarError, match="ends"):
        WorkCalendar.from_rows([_row(date(2024, 1, 1))], first=date(2024, 1, 1), last=date(2023, 1, 1))


def test_a_long_term_walks_the_weeks(cal: WorkCalendar) -> None:
    result = due_date(date(2023, 1, 1), 900, cal)
    days = (result.due - result.received).days
    assert days == 900 + len(result.skipped)
    assert sum(1 for i in range(1, days + 1) if cal.is_working_day(result.received + timedelta(days=i))) == 900
