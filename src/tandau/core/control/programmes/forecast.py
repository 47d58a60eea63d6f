"""The forecast of a series at its deadline: an exponentially weighted pace with its uncertainty.

Model (documented in docs/control.md, backtested in benchmarks/backtest_forecast.py). Work in the target's
direction (values multiplied by ``sign``) and in reporting periods of ``period_days`` days. The increments
between consecutive reports (from the baseline on), each rescaled to one period, are treated as a noisy pace
that drifts: a local-level model on the increments. Its pace is their exponentially weighted mean (weights
``exp(-age / tau_days)``, half-life about four months by default), its noise ``s²`` their weighted variance
with ``n_eff = (Σw)² / Σw²`` effective observations. With ``h`` periods from the latest report to the deadline,
the value at the deadline is normal with

    mean = y_n + h·m
    var  = s²·h                # the noise of the coming increments
         + s²·h² / n_eff       # the error of the estimated pace
         + q·s²·h³ / 3         # the pace drifting (regime changes) as a random walk, q per period

A cumulative series cannot go down: its mean and lower bound are kept at or above the latest value. The 80%
interval is mean ± 1.2816·sd; the probability of meeting the target is P(value ≥ target) (normal cdf). With
fewer than two increments the noise is unknown and taken as the pace itself (``s = |m|``); a series without
any noise gets a sure forecast (p is 0 or 1). Everything is floats: these are statistics.

>>> f = forecast([0, 30, 60, 90], [0.0, 1.0, 2.0, 3.0], deadline=120, target=4.0, period_days=30.0)
>>> round(f.mean, 6), f.p
(4.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Z80 = 1.2815515655446004  # the standard normal's 90th percentile: an 80% two-sided interval
DEFAULT_TAU_DAYS = 180.0
DEFAULT_DRIFT = 0.02


@dataclass(frozen=True, slots=True)
class Forecast:
    """The forecast value at the deadline (in the series' own sign), its 80% interval and P(target met)."""

    mean: float
    low: float
    high: float
    p: float


@dataclass(frozen=True, slots=True)
class PaceState:
    """The running estimate after a report: time, value, pace ``m``, noise ``s2`` (None if unknown), n_eff."""

    t: float
    y: float
    m: float
    s2: float | None
    n_eff: float


def pace_states(times: Sequence[float], values: Sequence[float], *, period_days: float,
                tau_days: float = DEFAULT_TAU_DAYS) -> Iterator[PaceState]:
    """The pace estimate after each report, in one pass (``times[0]``, ``values[0]``: the baseline; values
    already in the target's direction). Reports at the same time as the previous one are skipped."""
    s0 = s1 = s2 = w2 = 0.0
    t_prev, y_prev = float(times[0]), float(values[0])
    for t_raw, y_raw in zip(times[1:], values[1:], strict=True):
        t, y = float(t_raw), float(y_raw)
        dt = t - t_prev
        if dt <= 0:
            continue
        d = (y - y_prev) * period_days / dt
        decay = math.exp(-dt / tau_days)
        s0, s1, s2, w2 = s0 * decay + 1.0, s1 * decay + d, s2 * decay + d * d, w2 * decay * decay + 1.0
        n_eff = s0 * s0 / w2
        m = s1 / s0
        var = max(s2 / s0 - m * m, 0.0) * n_eff / (n_eff - 1.0) if n_eff > 1.0 + 1e-9 else None
        if var is not None and var <= 1e-12 * m * m:  # rounding noise of a perfectly regular series
            var = 0.0
        t_prev, y_prev = t, y
        yield PaceState(t, y, m, var, n_eff)


def forecast_from(state: PaceState | None, baseline: float, baseline_t: float, deadline: float, target: float, *,
                  period_days: float, cumulative: bool = True, drift: float = DEFAULT_DRIFT) -> Forecast:
    """The forecast at ``deadline`` from a pace state (``None``: nothing reported, nothing done)."""
    if state is None:
        y, m, s2, n_eff, t = baseline, 0.0, 0.0, 1.0, baseline_t
    else:
        y, m, n_eff, t = state.y, state.m, state.n_eff, state.t
        s2 = state.s2 if state.s2 is not None else m * m
    h = max(deadline - t, 0.0) / period_days
    if cumulative:
        m = max(m, 0.0)
    mean = y + h * m
    var = s2 * h + s2 * h * h / n_eff + drift * s2 * h ** 3 / 3.0
    sd = math.sqrt(var)
    low, high = mean - Z80 * sd, mean + Z80 * sd
    if cumulative:
        low = max(low, y)
    if sd <= 1e-12 * max(1.0, abs(mean), abs(target)):
        p = 1.0 if mean >= target - 1e-9 * max(1.0, abs(target)) else 0.0
    else:
        p = 0.5 * math.erfc((target - mean) / (sd * math.sqrt(2.0)))
    return Forecast(mean, low, high, min(max(p, 0.0), 1.0))


def forecast(times: Sequence[float], values: Sequence[float], *, deadline: float, target: float,
             period_days: float, cumulative: bool = True, tau_days: float = DEFAULT_TAU_DAYS,
             drift: float = DEFAULT_DRIFT) -> Forecast:
    """The forecast from the whole series (times in days, ``times[0]`` the baseline; values in the target's
    direction)."""
    last: PaceState | None = None
    for last in pace_states(times, values, period_days=period_days, tau_days=tau_days):  # noqa: B007
        pass
    return forecast_from(last, float(values[0]), float(times[0]), deadline, target, period_days=period_days,
                         cumulative=cumulative, drift=drift)


def naive_reaches(times: Sequence[float], values: Sequence[float], *, deadline: float, target: float) -> bool:
    """The naive rule: the average pace since the baseline, extended to the deadline, reaches the target."""
    if len(times) < 2 or times[-1] <= times[0]:
        return values[-1] >= target
    pace = (values[-1] - values[0]) / (times[-1] - times[0])
    return values[-1] + pace * (deadline - times[-1]) >= target
