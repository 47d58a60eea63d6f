"""Property tests of due dates on the packaged calendar (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.appeals import OutsideCalendarError, due_date, fixed_rule_date, local_date
from tandau.io.calendar_csv import default_calendar

CAL = default_calendar()
# 80 working days from 30 Jun 2026 stay inside 2026 (the data end on 31 Dec 2026)
received_days = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 6, 30))
terms = st.integers(min_value=1, max_value=40)


@settings(max_examples=300, deadline=None)
@given(received_days, terms)
def test_due_is_a_working_day_after_receipt(received: date, n: int) -> None:
    result = due_date(received, n, CAL)
    assert result.due > received
    assert CAL.is_working_day(result.due)
    # oracle: exactly n working days in (received, due], every other day in between skipped with its reason
    between = [received + timedelta(days=i) for i in range(1, (result.due - received).days + 1)]
    assert sum(CAL.is_working_day(d) for d in between) == n
    assert list(result.skipped) == [(d, CAL.off_reason(d)) for d in between if not CAL.is_working_day(d)]


@settings(max_examples=300, deadline=None)
@given(received_days, terms, terms)
def test_more_days_never_earlier(received: date, n: int, extra: int) -> None:
    assert due_date(received, n + extra, CAL).due > due_date(received, n, CAL).due


@settings(max_examples=200, deadline=None)
@given(received_days, st.integers(min_value=0, max_value=6), terms)
def test_later_receipt_never_earlier(received: date, later: int, n: int) -> None:
    assert due_date(received + timedelta(days=later), n, CAL).due >= due_date(received, n, CAL).due


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 12, 31)), st.integers(min_value=1, max_value=80))
def test_near_the_end_either_inside_or_refused(received: date, n: int) -> None:
    last = CAL.last
    inside = sum(CAL.is_working_day(received + timedelta(days=i)) for i in range(1, (last - received).days + 1))
    if n <= inside:
        assert due_date(received, n, CAL).due <= last
    else:
        with pytest.raises(OutsideCalendarError) as info:
            due_date(received, n, CAL)
        assert info.value.day == date(2027, 1, 1)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)))
def test_zoneinfo_and_fixed_rule_agree(moment: datetime) -> None:
    assert local_date(moment) == fixed_rule_date(moment)
