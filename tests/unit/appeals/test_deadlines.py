"""Deadlines (АППК No. 350-VI art. 76 defaults), calendar months, and the local date around 1 March 2024."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandau.core.appeals import SWITCH_UTC, Deadlines, add_months, fixed_rule_date, local_date
from tandau.core.appeals import deadlines as deadlines_module
from tandau.errors import InputError
from tandau.io.calendar_csv import default_calendar

CAL = default_calendar()


def test_defaults_follow_article_76() -> None:
    d = Deadlines()
    assert (d.answer_working_days, d.extension_months, d.extension_notice_working_days,
            d.redirect_working_days) == (15, 2, 3, 3)


def test_each_deadline() -> None:
    d = Deadlines()
    received = date(2024, 5, 2)  # Thursday before the May holidays and the 4 May transfer
    assert d.answer(received, CAL).due == date(2024, 5, 27)
    assert d.redirect(received, CAL).due == date(2024, 5, 6)  # Fri 3, Sat 4 (worked), Mon 6
    assert d.extension_limit(received) == date(2024, 7, 2)
    assert d.extension_notice(date(2024, 5, 6), CAL).due == date(2024, 5, 14)  # 7-9 May off: Fri 10, Mon 13, Tue 14
    ext = d.extend(received, date(2024, 5, 20), date(2024, 7, 2), CAL)
    assert ext.limit == date(2024, 7, 2) and ext.original.due == date(2024, 5, 27)
    assert ext.notice.due == date(2024, 5, 23)


def test_configurable() -> None:
    d = Deadlines(answer_working_days=10, extension_months=1, extension_notice_working_days=5,
                  redirect_working_days=1)
    assert d.answer(date(2025, 3, 14), CAL).due == date(2025, 4, 2)  # Nauryz: 21, 24, 25 Mar off
    assert d.extension_limit(date(2025, 1, 31)) == date(2025, 2, 28)
    assert d.redirect(date(2025, 3, 20), CAL).due == date(2025, 3, 26)


@pytest.mark.parametrize("field", ["answer_working_days", "extension_months", "extension_notice_working_days",
                                   "redirect_working_days"])
def test_bad_settings_refused(field: str) -> None:
    with pytest.raises(InputError, match=field):
        Deadlines(**{field: 0})


def test_extension_refused() -> None:
    d = Deadlines()
    received = date(2024, 5, 2)
    with pytest.raises(InputError, match="at most 2 months from receipt \\(2024-07-02\\)"):
        d.extend(received, date(2024, 5, 20), date(2024, 7, 3), CAL)
    with pytest.raises(InputError, match="after the original term"):
        d.extend(received, date(2024, 5, 20), date(2024, 5, 27), CAL)
    with pytest.raises(InputError, match="decided"):
        d.extend(received, date(2024, 5, 28), date(2024, 6, 20), CAL)
    with pytest.raises(InputError, match="decided"):
        d.extend(received, date(2024, 5, 1), date(2024, 6, 20), CAL)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 36))
def test_add_months_against_a_naive_oracle(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    # the same day of the month, or the month's last day when it has fewer days
    expected_day = day.day
    while True:
        try:
            date(result.year, result.month, expected_day)
            break
        except ValueError:
            expected_day -= 1
    assert result.day == expected_day


@pytest.mark.parametrize(("utc", "expected"), [
    (datetime(2024, 2, 29, 17, 59), date(2024, 2, 29)),  # 23:59 at UTC+6
    (datetime(2024, 2, 29, 18, 0), date(2024, 2, 29)),  # clocks back from 00:00 to 23:00, now UTC+5
    (datetime(2024, 2, 29, 18, 59), date(2024, 2, 29)),  # 23:59 at UTC+5
    (datetime(2024, 2, 29, 19, 0), date(2024, 3, 1)),  # 00:00 at UTC+5
    (datetime(2023, 6, 30, 18, 0), date(2023, 7, 1)),  # 00:00 at UTC+6
    (datetime(2025, 6, 30, 18, 59), date(2025, 6, 30)),  # 23:59 at UTC+5
    (datetime(2025, 6, 30, 19, 0), date(2025, 7, 1)),
])
def test_local_date_around_the_switch(utc: datetime, expected: date) -> None:
    moment = utc.replace(tzinfo=UTC)
    assert local_date(moment) == expected
    assert fixed_rule_date(moment) == expected
    # the same moment given in another offset gives the same local date
    assert local_date(moment.astimezone(timezone(timedelta(hours=-7)))) == expected


def test_switch_instant() -> None:
    midnight_at_utc6 = datetime(2024, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=6)))
    assert midnight_at_utc6 == SWITCH_UTC


def test_tz_database_has_the_change() -> None:
    # this machine's tz database knows the 2024 change; otherwise local_date would use the fixed rule
    assert deadlines_module._zone() is not None


def test_fixed_rule_used_without_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadlines_module, "_zone", lambda: None)
    assert local_date(datetime(2024, 2, 29, 18, 30, tzinfo=UTC)) == date(2024, 2, 29)
    assert local_date(datetime(2024, 2, 29, 19, 30, tzinfo=UTC)) == date(2024, 3, 1)


def test_naive_moment_refused() -> None:
    with pytest.raises(InputError, match="no time zone"):
        local_date(datetime(2024, 3, 1, 9, 0))
