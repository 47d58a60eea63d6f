"""Follow-up of a series at an as-of date: paces, forecast, probability of meeting the target, status.

* ``actual``: the latest reported value known at the as-of date (the baseline when nothing is reported).
* ``required_pace`` = (target − actual) ÷ days left to the deadline (None once the deadline is reached).
* ``actual_pace``: the change per day over the last 365 days before the latest report (since the baseline when
  the series is younger): (y_latest − y_then) ÷ days, ``then`` being the latest report at least 365 days before
  the latest one, or the baseline.
* forecast, 80% interval and ``p_on_time``: :mod:`tandau.core.control.programmes.forecast`.
* status: ``achieved`` when a report on or before the deadline meets the target (cumulative: any such report;
  level: the latest one); otherwise ``off_track`` once the deadline has passed (as-of after it), else ``on_track`` for
  p ≥ 0.8, ``at_risk`` for 0.5 ≤ p < 0.8, ``off_track`` for p < 0.5 (issue 12, item 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from tandau.core.control.programmes.forecast import (
    DEFAULT_DRIFT,
    DEFAULT_TAU_DAYS,
    Forecast,
    PaceState,
    forecast_from,
    pace_states,
)
from tandau.core.control.programmes.model import PERIOD_MONTHS, Report, Target

Status = Literal["achieved", "on_track", "at_risk", "off_track"]
STATUSES: tuple[Status, ...] = ("achieved", "on_track", "at_risk", "off_track")
ON_TRACK_P = 0.8
AT_RISK_P = 0.5
PACE_WINDOW_DAYS = 365


@dataclass(frozen=True, slots=True)
class Assessment:
    """The follow-up of one series at ``as_of`` (paces per day; forecast_low/high bound the 80% interval)."""

    programme: str
    indicator: str
    region: str
    target: Decimal
    deadline: date
    actual: Decimal
    required_pace: float | None
    actual_pace: float | None
    forecast: float
    forecast_low: float
    forecast_high: float
    p_on_time: float
    status: Status
    as_of: date
    latest_report: date | None

    def to_json(self) -> dict[str, object]:
        """The CLI contract's object."""
        return {
            "programme": self.programme, "indicator": self.indicator, "region": self.region,
            "target": number(self.target), "deadline": self.deadline.isoformat(), "actual": number(self.actual),
            "required_pace": _round(self.required_pace), "actual_pace": _round(self.actual_pace),
            "forecast": _round(self.forecast), "forecast_low": _round(self.forecast_low),
            "forecast_high": _round(self.forecast_high), "p_on_time": round(self.p_on_time, 4),
            "status": self.status,
        }


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: whole numbers stay whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def period_days(target: Target) -> float:
    """The length of one reporting period in days (a twelfth or a quarter of 365.25)."""
    return 365.25 * PERIOD_MONTHS[target.frequency] / 12


def met(target: Target, value: Decimal) -> bool:
    """Whether ``value`` meets the target in its direction."""
    return (value - target.target) * target.sign >= 0


def status_of(p: float) -> Status:
    """The status of a probability of meeting the target on time (deadline not passed, target not met)."""
    return "on_track" if p >= ON_TRACK_P else ("at_risk" if p >= AT_RISK_P else "off_track")


def series_points(target: Target, reports: Sequence[Report]) -> tuple[list[float], list[float]]:
    """Days since the start (:attr:`Target.start`) and values in the target's direction, the baseline first
    (reports up to and including the start are not increments and are left out)."""
    origin = target.start.toordinal()
    times, values = [0.0], [float(target.baseline) * target.sign]
    for r in reports:
        t = r.period_end.toordinal() - origin
        if t > 0:
            times.append(float(t))
            values.append(float(r.actual) * target.sign)
    return times, values


def actual_pace(target: Target, reports: Sequence[Report]) -> float | None:
    """The change per day over the window ending at the latest report (see the module's docstring)."""
    usable = [r for r in reports if r.period_end > target.start]
    if not usable:
        return None
    last = usable[-1]
    then_date, then_value = target.start, target.baseline
    for r in usable[:-1]:
        if (last.period_end - r.period_end).days >= PACE_WINDOW_DAYS:
            then_date, then_value = r.period_end, r.actual
    days = (last.period_end - then_date).days
    return float(last.actual - then_value) / days if days > 0 else None


def forecast_series(target: Target, states: Sequence[PaceState], *, drift: float = DEFAULT_DRIFT) -> Forecast:
    """The forecast at the deadline (in the target's direction) from the pace states of the reports."""
    sign = target.sign
    return forecast_from(states[-1] if states else None, float(target.baseline) * sign, 0.0,
                         float((target.deadline - target.start).days), float(target.target) * sign,
                         period_days=period_days(target), cumulative=target.kind == "cumulative", drift=drift)


def assess(target: Target, reports: Sequence[Report], as_of: date, *, tau_days: float = DEFAULT_TAU_DAYS,
           drift: float = DEFAULT_DRIFT) -> Assessment:
    """The follow-up of one series: ``reports`` are those known at ``as_of``, by period (see
    :meth:`~tandau.core.control.programmes.model.ReportSeries.known_at`)."""
    times, values = series_points(target, reports)
    states = list(pace_states(times, values, period_days=period_days(target), tau_days=tau_days))
    f = forecast_series(target, states, drift=drift)
    return assessment_from(target, reports, as_of, f)


def assessment_from(target: Target, reports: Sequence[Report], as_of: date, f: Forecast) -> Assessment:
    """Put a forecast (in the target's direction) together with the paces and the status."""
    sign = target.sign
    actual = reports[-1].actual if reports else target.baseline
    days_left = (target.deadline - as_of).days
    required = float(target.target - actual) / days_left if days_left > 0 else None
    on_time = [r for r in reports if r.period_end <= target.deadline]
    if target.kind == "cumulative":
        achieved = any(met(target, r.actual) for r in on_time)
    else:
        achieved = bool(on_time) and met(target, on_time[-1].actual)
    if achieved:
        status: Status = "achieved"
        p = 1.0
    elif as_of > target.deadline:
        status, p = "off_track", 0.0
    else:
        p = f.p
        status = status_of(p)
    low, high = sorted((f.low * sign, f.high * sign))
    return Assessment(target.programme, target.indicator, target.region, target.target, target.deadline, actual,
                      required, actual_pace(target, reports), f.mean * sign, low, high, p, status, as_of,
                      reports[-1].period_end if reports else None)
