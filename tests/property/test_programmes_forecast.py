"""Properties of the programme follow-up (Hypothesis): trajectory, deadline, interval, monotonicity, direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.control.programmes import Report, Target, assess

BASE = date(2021, 1, 1)


def series(values: list[D], step_days: int) -> list[Report]:
    return [Report("p", "i", "KZ", BASE + timedelta(days=step_days * (i + 1)), v) for i, v in enumerate(values)]


@settings(max_examples=80, deadline=None)
@given(pace=st.integers(1, 1000), baseline=st.integers(0, 10_000), step=st.integers(20, 40),
       reports=st.integers(2, 30), extra=st.integers(1, 400), kind=st.sampled_from(["cumulative", "level"]))
def test_a_series_exactly_on_its_trajectory_is_on_track(pace: int, baseline: int, step: int, reports: int,
                                                        extra: int, kind: str) -> None:
    span = step * reports + extra
    target = Target("p", "i", "KZ", "u", kind, "increase", D(baseline), BASE, D(baseline + pace * span),  # type: ignore[arg-type]
                    BASE + timedelta(days=span))
    values = [D(baseline + pace * step * (i + 1)) for i in range(reports)]
    a = assess(target, series(values, step), BASE + timedelta(days=step * reports))
    assert a.status == "on_track"
    assert a.p_on_time >= 0.8


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.integers(0, 1000), min_size=1, max_size=20), late=st.integers(1, 300))
def test_a_passed_deadline_unmet_is_off_track(values: list[int], late: int) -> None:
    cumulative = sorted(values)
    target = Target("p", "i", "KZ", "u", "cumulative", "increase", D(0), BASE, D(cumulative[-1] + 1),
                    BASE + timedelta(days=30 * len(values)))
    a = assess(target, series([D(v) for v in cumulative], 30), target.deadline + timedelta(days=late))
    assert (a.status, a.p_on_time) == ("off_track", 0.0)


noisy = st.lists(st.integers(-50, 200), min_size=1, max_size=24)


@settings(max_examples=100, deadline=None)
@given(steps=noisy, goal=st.integers(1, 10_000), months_left=st.integers(1, 48))
def test_interval_and_bounds(steps: list[int], goal: int, months_left: int) -> None:
    values, total = [], 0
    for s in steps:
        total += max(s, 0)
        values.append(D(total))
    deadline = BASE + timedelta(days=30 * (len(steps) + months_left))
    target = Target("p", "i", "KZ", "u", "cumulative", "increase", D(0), BASE, D(goal), deadline)
    a = assess(target, series(values, 30), BASE + timedelta(days=30 * len(steps)))
    assert a.forecast_low <= a.forecast <= a.forecast_high
    assert a.forecast_low >= float(a.actual) - 1e-9  # a cumulative value does not go down
    assert 0.0 <= a.p_on_time <= 1.0
    harder = assess(replace(target, target=D(goal) * 2), series(values, 30), a.as_of)
    assert harder.p_on_time <= a.p_on_time + 1e-12


@settings(max_examples=100, deadline=None)
@given(steps=noisy, goal=st.integers(-5_000, 5_000), months_left=st.integers(1, 48))
def test_a_decrease_is_the_mirror_of_an_increase(steps: list[int], goal: int, months_left: int) -> None:
    values = []
    level = 0
    for s in steps:
        level += s
        values.append(level)
    deadline = BASE + timedelta(days=30 * (len(steps) + months_left))
    up = Target("p", "i", "KZ", "u", "level", "increase", D(min(0, goal)), BASE, D(goal), deadline)
    down = replace(up, direction="decrease", baseline=-up.baseline, target=-up.target)
    as_of = BASE + timedelta(days=30 * len(steps))
    a = assess(up, series([D(v) for v in values], 30), as_of)
    b = assess(down, series([D(-v) for v in values], 30), as_of)
    assert abs(a.p_on_time - b.p_on_time) < 1e-9
    assert a.status == b.status
    assert abs(a.forecast + b.forecast) < 1e-6 * max(1.0, abs(a.forecast))
