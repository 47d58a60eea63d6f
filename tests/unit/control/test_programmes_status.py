"""Follow-up of a series: paces, the forecast against a direct reading of the model, every status by hand."""

from __future__ import annotations

import itertools
import math
from datetime import date
from decimal import Decimal as D

import pytest

from tandau.core.control.programmes import Report, Target, assess
from tandau.core.control.programmes.assess import period_days
from tandau.core.control.programmes.forecast import DEFAULT_DRIFT, DEFAULT_TAU_DAYS, Z80, forecast

BASE = date(2020, 12, 31)


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` (1-based, may run past 12) of ``year``."""
    return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)


def target(value: str = "120", deadline: date = date(2021, 12, 31), kind: str = "cumulative",
           direction: str = "increase", baseline: str = "0") -> Target:
    return Target("p", "i", "110000000", "u", kind, direction, D(baseline), BASE, D(value), deadline)  # type: ignore[arg-type]


def reports(values: list[str]) -> list[Report]:
    return [Report("p", "i", "110000000", month_end(2021, m + 1), D(v)) for m, v in enumerate(values)]


def direct(t: Target, rs: list[Report]) -> tuple[float, float]:
    """The model read straight from its definition (docs/control.md): mean and sd at the deadline."""
    P = period_days(t)
    pts = [(0.0, float(t.baseline))] + [((r.period_end - BASE).days, float(r.actual)) for r in rs]
    incs = [((b[1] - a[1]) * P / (b[0] - a[0]), b[0]) for a, b in itertools.pairwise(pts)]
    tn = pts[-1][0]
    w = [math.exp(-(tn - ti) / DEFAULT_TAU_DAYS) for _, ti in incs]
    m = sum(wi * d for wi, (d, _) in zip(w, incs, strict=True)) / sum(w)
    n_eff = sum(w) ** 2 / sum(wi * wi for wi in w)
    s2 = sum(wi * (d - m) ** 2 for wi, (d, _) in zip(w, incs, strict=True)) / sum(w) * n_eff / (n_eff - 1)
    h = ((t.deadline - BASE).days - tn) / P
    mean = pts[-1][1] + h * m
    var = s2 * h + s2 * h * h / n_eff + DEFAULT_DRIFT * s2 * h ** 3 / 3
    return mean, math.sqrt(var)


NOISY = ["8", "22", "29", "41", "48", "62"]  # six months, about 10 a month with noise


def test_forecast_matches_the_definition() -> None:
    t = target()
    a = assess(t, reports(NOISY), date(2021, 6, 30))
    mean, sd = direct(t, reports(NOISY))
    assert a.forecast == pytest.approx(mean)
    assert a.forecast_low == pytest.approx(mean - Z80 * sd)
    assert a.forecast_high == pytest.approx(mean + Z80 * sd)
    assert a.p_on_time == pytest.approx(0.5 * math.erfc((120 - mean) / (sd * math.sqrt(2))))


def test_paces_by_hand() -> None:
    a = assess(target(), reports(NOISY), date(2021, 7, 10))
    assert a.actual == D(62)
    assert a.required_pace == pytest.approx((120 - 62) / (date(2021, 12, 31) - date(2021, 7, 10)).days)
    assert a.actual_pace == pytest.approx(62 / (date(2021, 6, 30) - BASE).days)  # younger than the window


def test_actual_pace_window_is_365_days() -> None:
    t = target("400", date(2023, 12, 31))
    rs = [Report("p", "i", "110000000", month_end(2021, m + 1), D(10 * (m + 1))) for m in range(18)]
    a = assess(t, rs, date(2022, 6, 30))
    then = rs[5]  # 2021-06-30: the latest report at least 365 days before 2022-06-30
    days = (rs[-1].period_end - then.period_end).days
    assert a.actual_pace == pytest.approx(float(rs[-1].actual - then.actual) / days)


@pytest.mark.parametrize(("shift", "status"), [(-1.0, "on_track"), (-0.05, "at_risk"), (0.05, "off_track")])
def test_statuses_from_p(shift: float, status: str) -> None:
    mean, sd = direct(target(), reports(NOISY))
    value = mean + shift * sd  # p = P(N(mean, sd) ≥ value): 0.84, 0.52, 0.48
    t = target(f"{value:.6f}")
    a = assess(t, reports(NOISY), date(2021, 6, 30))
    assert a.status == status
    assert (a.p_on_time >= 0.8) == (status == "on_track")


def test_achieved_cumulative_and_level() -> None:
    assert assess(target("40"), reports(NOISY), date(2021, 6, 30)).status == "achieved"
    level = target("50", kind="level")
    down = reports(["10", "55", "45"])  # met in February, below in March: a level is read at its latest report
    assert assess(level, down[:2], date(2021, 3, 1)).status == "achieved"
    assert assess(level, down, date(2021, 4, 1)).status != "achieved"


def test_deadline_passed_unmet_is_off_track() -> None:
    a = assess(target("1000", deadline=date(2021, 5, 31)), reports(NOISY), date(2021, 6, 30))
    assert (a.status, a.p_on_time, a.required_pace) == ("off_track", 0.0, None)


def test_decrease_direction() -> None:
    t = target("40", kind="level", direction="decrease", baseline="100")
    a = assess(t, reports(["90", "80", "70", "60", "50", "40"]), date(2021, 6, 30))
    assert a.status == "achieved"
    b = assess(target("10", kind="level", direction="decrease", baseline="100"),
               reports(["95", "92", "88", "85"]), date(2021, 4, 30))
    assert b.status == "off_track"
    assert b.forecast_low <= b.forecast <= b.forecast_high


def test_nothing_reported_means_nothing_done() -> None:
    a = assess(target(), [], date(2021, 3, 1))
    assert (a.actual, a.forecast, a.p_on_time, a.status, a.actual_pace) == (D(0), 0.0, 0.0, "off_track", None)


def test_cumulative_forecast_never_below_the_actual() -> None:
    a = assess(target(), reports(["50", "51", "52", "53"]), date(2021, 4, 30))
    assert a.forecast_low >= 53


def test_forecast_doctest_value() -> None:
    f = forecast([0, 30, 60, 90], [0.0, 1.0, 2.0, 3.0], deadline=120, target=4.0, period_days=30.0)
    assert (f.mean, f.low, f.high, f.p) == (4.0, 4.0, 4.0, 1.0)
