"""The state flags' first dates against a slow reading of their definitions (Hypothesis): P05 from a full
assessment at every report date, P04 and P01 from the trajectory and the money at every report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.control.programmes import FlagSettings, Report, Target, TargetSeries, assess, assess_series

BASE = date(2021, 1, 1)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Target, list[Report]]:
    steps = draw(st.lists(st.integers(0, 30), min_size=2, max_size=18))
    paid_steps = draw(st.lists(st.integers(0, 300), min_size=len(steps), max_size=len(steps)))
    target = Target("p", "i", "KZ", "u", "cumulative", "increase", D(0), BASE, D(draw(st.integers(50, 400))),
                    BASE + timedelta(days=30 * (len(steps) + draw(st.integers(1, 24)))), budget_kzt=D(1000))
    reports, value, paid = [], 0, 0
    for i, (s, p) in enumerate(zip(steps, paid_steps, strict=True)):
        value, paid = value + s, paid + p
        reports.append(Report("p", "i", "KZ", BASE + timedelta(days=30 * (i + 1)), D(value), paid_kzt=D(paid)))
    return target, reports


def run_start(reports: list[Report], holds: list[bool]) -> date | None:
    if not holds[-1]:
        return None
    first = len(holds) - 1
    while first > 0 and holds[first - 1]:
        first -= 1
    return reports[first].period_end


@settings(max_examples=120, deadline=None)
@given(case=cases())
def test_first_dates_match_a_slow_reading(case: tuple[Target, list[Report]]) -> None:
    target, reports = case
    as_of = reports[-1].period_end
    _, found = assess_series(TargetSeries((target,)), reports, as_of, FlagSettings())
    fired = {f.code: f for f in found}
    # P05: a full assessment as of every report date, with the reports known then
    p = [assess(target, reports[: k + 1], r.period_end).p_on_time < 0.5 for k, r in enumerate(reports)]
    assert (fired["P05"].first_date if "P05" in fired else None) == run_start(reports, p)
    # P01: paid share of the budget minus progress ≥ 0.20
    gap = [Fraction(r.paid_kzt or 0) / 1000 - Fraction(r.actual) / Fraction(target.target) >= Fraction(1, 5)
           for r in reports]
    assert (fired["P01"].first_date if "P01" in fired else None) == run_start(reports, gap)
    # P04: behind the straight line by more than 10% of the target at the latest two reports
    span = (target.deadline - BASE).days
    behind = [Fraction(target.target) * Fraction((r.period_end - BASE).days, span) - Fraction(r.actual)
              > Fraction(target.target) / 10 for r in reports]
    start = run_start(reports, behind)
    expected = None
    if start is not None and behind[-2]:
        expected = reports[[r.period_end for r in reports].index(start) + 1].period_end
    assert (fired["P04"].first_date if "P04" in fired else None) == expected
