"""Programme red flags P01-P09 (issue 12, item 4), each with a stable code, parameters and the data that fired it.

Progress = (actual − baseline) ÷ (target − baseline); "behind", "below" and "lowered" read in the target's
direction. Money and progress are compared exactly (``Fraction``); P05 reads the forecast's probability (a float).
Every flag is reported at most once per series at the as-of date, with the first date it fired:

* state flags (P01, P04, P05, P06) fire on the state at the as-of date; their first date is the start of the
  current unbroken run of report dates at which they held (P04: the report at which the run reached
  ``consecutive`` reports; P06: the day the series became stale);
* event flags (P02, P03, P07, P08, P09) fire when such an event happened on or before the as-of date; the first
  date is the first event's, the data those of the first event with ``events``, how many there were.

The earlier report dates are read with the values known at the as-of date (revisions applied) and the target in
force at the as-of date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from tandau.core.control.programmes.assess import AT_RISK_P, Assessment, met, number
from tandau.core.control.programmes.forecast import PaceState
from tandau.core.control.programmes.model import (
    PERIOD_MONTHS,
    SPLITS_2022,
    Report,
    Target,
    TargetSeries,
    add_months,
)

Number = Fraction | int

#: code -> (short name, default parameters); P02, P07 and P08 have none besides ``enabled``
FLAGS: Mapping[str, tuple[str, Mapping[str, Number]]] = MappingProxyType({
    "P01": ("money ahead of works", {"threshold": Fraction(1, 5)}),
    "P02": ("paid above contracted, or contracted above adjusted allocation", {}),
    "P03": ("year-end rush", {"december_share": Fraction(1, 4)}),
    "P04": ("behind trajectory", {"tolerance": Fraction(1, 10), "consecutive": 2}),
    "P05": ("unlikely on time", {"probability": Fraction(AT_RISK_P)}),
    "P06": ("stale", {"periods": 2}),
    "P07": ("cumulative value decreased", {}),
    "P08": ("target lowered or deadline moved", {}),
    "P09": ("underspending", {"ratio": Fraction(9, 10)}),
})


@dataclass(frozen=True, slots=True)
class FlagSettings:
    """The parameters of every flag (defaults: :data:`FLAGS`) and which flags are enabled."""

    params: Mapping[str, Mapping[str, Number]] = field(
        default_factory=lambda: MappingProxyType({c: MappingProxyType(dict(p)) for c, (_, p) in FLAGS.items()}))
    enabled: frozenset[str] = frozenset(FLAGS)

    def get(self, code: str, name: str) -> Number:
        return self.params[code][name]


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag on one series: the first date it fired, the data that fired it, the English text, the params."""

    code: str
    programme: str
    indicator: str
    region: str
    first_date: date
    data: Mapping[str, object]
    text: str
    params: Mapping[str, Number]

    def to_json(self) -> dict[str, object]:
        """The CLI contract's object: ``detail`` is the structured reason (code, data) with its English text."""
        return {
            "code": self.code, "programme": self.programme, "indicator": self.indicator, "region": self.region,
            "detail": {"reason": self.code, "first_date": self.first_date.isoformat(), "data": dict(self.data),
                       "text": self.text},
            "params": {k: _json(v) for k, v in self.params.items()},
        }


def _json(value: object) -> object:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class SeriesData:
    """Everything the flags read about one series at the as-of date."""

    history: TargetSeries
    target: Target
    reports: tuple[Report, ...]
    assessment: Assessment
    states: tuple[PaceState | None, ...]  # the pace state after each report (None before the baseline)
    p_history: tuple[float, ...]  # P(on time) as of each report date
    as_of: date


Found = tuple[date, dict[str, Any]] | None
Rule = Callable[[SeriesData, FlagSettings], Found]


def _progress(t: Target, actual: Decimal) -> Fraction:
    return Fraction(actual - t.baseline) / Fraction(t.target - t.baseline)


def _p01_at(s: SeriesData, cfg: FlagSettings, r: Report) -> dict[str, Any] | None:
    t = s.target
    if t.budget_kzt is None or t.budget_kzt <= 0 or t.target == t.baseline or r.paid_kzt is None:
        return None
    paid_share = Fraction(r.paid_kzt) / Fraction(t.budget_kzt)
    progress = _progress(t, r.actual)
    if paid_share - progress < cfg.get("P01", "threshold"):
        return None
    return {"period_end": r.period_end, "paid_kzt": r.paid_kzt, "budget_kzt": t.budget_kzt,
            "paid_share": round(float(paid_share), 4), "progress": round(float(progress), 4),
            "gap": round(float(paid_share - progress), 4)}


def _state_run(reports: Sequence[Report], test: Callable[[Report], dict[str, Any] | None]) -> Found:
    """The latest report's data when ``test`` holds there, dated at the start of the run of reports it holds."""
    if not reports:
        return None
    latest = test(reports[-1])
    if latest is None:
        return None
    first = reports[-1].period_end
    for r in reversed(reports[:-1]):
        if test(r) is None:
            break
        first = r.period_end
    return first, latest


def p01(s: SeriesData, cfg: FlagSettings) -> Found:
    return _state_run(s.reports, lambda r: _p01_at(s, cfg, r))


def p02(s: SeriesData, cfg: FlagSettings) -> Found:
    events = []
    for r in s.reports:
        if r.paid_kzt is not None and r.contracted_kzt is not None and r.paid_kzt > r.contracted_kzt:
            events.append((r.period_end, {"period_end": r.period_end, "which": "paid_above_contracted",
                                          "paid_kzt": r.paid_kzt, "contracted_kzt": r.contracted_kzt}))
        elif r.contracted_kzt is not None and r.adjusted_kzt is not None and r.contracted_kzt > r.adjusted_kzt:
            events.append((r.period_end, {"period_end": r.period_end, "which": "contracted_above_adjusted",
                                          "contracted_kzt": r.contracted_kzt, "adjusted_kzt": r.adjusted_kzt}))
    return _first_event(events)


def _first_event(events: Sequence[tuple[date, dict[str, Any]]]) -> Found:
    if not events:
        return None
    day, data = events[0]
    return day, {**data, "events": len(events)}


def _year_ends(s: SeriesData, column: str) -> list[tuple[int, Report, Report | None, Report | None]]:
    """Per calendar year with a December report: (year, December, November, the previous year's last report);
    monthly money data only (the column reported in those reports)."""
    if s.target.frequency != "monthly":
        return []
    out = []
    for i, r in enumerate(s.reports):
        if r.period_end.month != 12 or getattr(r, column) is None:
            continue
        before = [x for x in s.reports[:i] if x.period_end.year < r.period_end.year]
        november = [x for x in s.reports[:i] if x.period_end.year == r.period_end.year and x.period_end.month == 11]
        out.append((r.period_end.year, r, november[-1] if november else None, before[-1] if before else None))
    return out


def _money(r: Report | None, column: str) -> Decimal:
    value = getattr(r, column) if r is not None else None
    return value if isinstance(value, Decimal) else Decimal(0)


def p03(s: SeriesData, cfg: FlagSettings) -> Found:
    events = []
    for year, dec, nov, prev in _year_ends(s, "paid_kzt"):
        if nov is None or nov.paid_kzt is None:
            continue
        year_paid = _money(dec, "paid_kzt") - _money(prev, "paid_kzt")
        december = _money(dec, "paid_kzt") - nov.paid_kzt
        if year_paid <= 0:
            continue
        share = Fraction(december) / Fraction(year_paid)
        if share >= cfg.get("P03", "december_share"):
            events.append((dec.period_end, {"year": year, "december_paid_kzt": december,
                                            "year_paid_kzt": year_paid, "december_share": round(float(share), 4)}))
    return _first_event(events)


def _p04_at(s: SeriesData, cfg: FlagSettings, r: Report) -> dict[str, Any] | None:
    t = s.target
    span = (t.deadline - t.start).days
    if span <= 0 or r.period_end <= t.start:
        return None
    elapsed = min(r.period_end - t.start, t.deadline - t.start).days
    expected = Fraction(t.baseline) + Fraction(t.target - t.baseline) * Fraction(elapsed, span)
    shortfall = (expected - Fraction(r.actual)) * t.sign
    allowed = cfg.get("P04", "tolerance") * abs(Fraction(t.target - t.baseline))
    if shortfall <= allowed:
        return None
    return {"period_end": r.period_end, "actual": r.actual, "expected": round(float(expected), 6),
            "shortfall": round(float(shortfall), 6), "allowed": round(float(allowed), 6)}


def p04(s: SeriesData, cfg: FlagSettings) -> Found:
    need = int(cfg.get("P04", "consecutive"))
    run: list[tuple[Report, dict[str, Any]]] = []
    for r in reversed(s.reports):
        data = _p04_at(s, cfg, r)
        if data is None:
            break
        run.append((r, data))
    if len(run) < need or need < 1:
        return None
    return run[-need][0].period_end, {**run[0][1], "reports_behind": len(run)}


def p05(s: SeriesData, cfg: FlagSettings) -> Found:
    threshold = float(cfg.get("P05", "probability"))
    a = s.assessment
    if a.p_on_time >= threshold:
        return None
    data = {"p_on_time": round(a.p_on_time, 4), "forecast": round(a.forecast, 6), "target": a.target}
    if not s.p_history or s.p_history[-1] >= threshold:  # fired after the latest report: the deadline passed
        return (min(s.target.deadline + timedelta(days=1), s.as_of)), data
    first = s.reports[-1].period_end
    for r, p in zip(reversed(s.reports[:-1]), reversed(s.p_history[:-1]), strict=True):
        if p >= threshold:
            break
        first = r.period_end
    return first, data


def p06(s: SeriesData, cfg: FlagSettings) -> Found:
    if s.assessment.status == "achieved":
        return None
    periods = int(cfg.get("P06", "periods"))
    last = s.reports[-1].period_end if s.reports else s.target.start
    due = add_months(last, periods * PERIOD_MONTHS[s.target.frequency])
    if s.as_of <= due:
        return None
    return due + timedelta(days=1), {"latest_report": s.reports[-1].period_end if s.reports else None,
                                      "stale_since": due + timedelta(days=1)}


def _split_between(region: str, before: date, after: date) -> bool:
    return any(parent == region and before < day <= after for parent, day in SPLITS_2022.values())


def p07(s: SeriesData, cfg: FlagSettings) -> Found:
    columns = ("actual", "allocated_kzt", "adjusted_kzt", "contracted_kzt", "paid_kzt") \
        if s.target.kind == "cumulative" else ("allocated_kzt", "adjusted_kzt", "contracted_kzt", "paid_kzt")
    events = []
    for a, b in pairwise(s.reports):
        if _split_between(s.target.region, a.period_end, b.period_end):
            continue
        for column in columns:
            x, y = getattr(a, column), getattr(b, column)
            if x is not None and y is not None and y < x:
                events.append((b.period_end, {"column": column, "from_date": a.period_end, "to_date": b.period_end,
                                              "before": x, "after": y}))
                break
    return _first_event(events)


def p08(s: SeriesData, cfg: FlagSettings) -> Found:
    events = []
    versions = [v for v in s.history.versions if v.revised_at is None or v.revised_at <= s.as_of]
    for old, new in pairwise(versions):
        if new.revised_at is None or new.revised_at <= old.baseline_date:
            continue
        lowered = (new.target - old.target) * old.sign < 0
        moved = new.deadline != old.deadline
        if lowered or moved:
            events.append((new.revised_at, {"revised_at": new.revised_at, "target_before": old.target,
                                            "target_after": new.target, "deadline_before": old.deadline,
                                            "deadline_after": new.deadline, "lowered": lowered, "moved": moved}))
    return _first_event(events)


def p09(s: SeriesData, cfg: FlagSettings) -> Found:
    events = []
    ratio = cfg.get("P09", "ratio")
    for year, dec, _, prev in _year_ends(s, "paid_kzt"):
        if dec.adjusted_kzt is None:
            continue
        paid = _money(dec, "paid_kzt") - _money(prev, "paid_kzt")
        increase = _money(dec, "adjusted_kzt") - _money(prev, "adjusted_kzt")
        if increase > 0 and Fraction(paid) < ratio * Fraction(increase):
            events.append((dec.period_end, {"year": year, "year_paid_kzt": paid, "adjusted_increase_kzt": increase,
                                            "ratio": round(float(Fraction(paid) / Fraction(increase)), 4)}))
    return _first_event(events)


RULES: Mapping[str, Rule] = MappingProxyType({
    "P01": p01, "P02": p02, "P03": p03, "P04": p04, "P05": p05, "P06": p06, "P07": p07, "P08": p08, "P09": p09,
})


def describe(code: str, data: Mapping[str, Any], params: Mapping[str, Number]) -> str:
    """The English text of a flag from its code, data and parameters."""
    d = {k: _json(v) for k, v in data.items()}
    p = {k: _json(v) for k, v in params.items()}
    texts: dict[str, Callable[[], str]] = {
        "P01": lambda: f"paid {d['paid_share']:.0%} of the budget against {d['progress']:.0%} progress "
                       f"(gap {d['gap']:.0%} ≥ {p['threshold']:.0%})",
        "P02": lambda: ("paid above contracted" if d["which"] == "paid_above_contracted"
                        else "contracted above the adjusted allocation") + f" on {d['period_end']}",
        "P03": lambda: f"December {d['year']} carried {d['december_share']:.0%} of the year's payments "
                       f"(≥ {p['december_share']:.0%})",
        "P04": lambda: f"behind the trajectory at the latest {d['reports_behind']} report(s): {d['actual']} against "
                       f"{d['expected']} expected on {d['period_end']} (allowed shortfall {d['allowed']})",
        "P05": lambda: f"probability of meeting the target on time {d['p_on_time']:.0%} < {p['probability']:.0%}",
        "P06": lambda: f"no report for more than {p['periods']} periods (latest: {d['latest_report'] or 'none'})",
        "P07": lambda: f"{d['column']} decreased from {d['before']} to {d['after']} between {d['from_date']} and "
                       f"{d['to_date']}",
        "P08": lambda: f"revised on {d['revised_at']}: target {d['target_before']} → {d['target_after']}, deadline "
                       f"{d['deadline_before']} → {d['deadline_after']}",
        "P09": lambda: f"{d['year']}: paid {d['year_paid_kzt']} KZT, {d['ratio']:.0%} of the adjusted allocation's "
                       f"increase {d['adjusted_increase_kzt']} KZT (< {p['ratio']:.0%})",
    }
    return texts[code]()


def evaluate(s: SeriesData, settings: FlagSettings) -> tuple[Flag, ...]:
    """Every enabled flag that fires on one series, in code order."""
    out = []
    t = s.target
    for code, rule in RULES.items():
        if code not in settings.enabled:
            continue
        found = rule(s, settings)
        if found is None:
            continue
        first, data = found
        params = settings.params[code]
        clean = {k: _json(v) for k, v in data.items()}
        out.append(Flag(code, t.programme, t.indicator, t.region, first, clean, describe(code, data, params), params))
    return tuple(out)


def p_history(target: Target, reports: Sequence[Report], states: Sequence[PaceState | None],
              probability: Callable[[PaceState | None], float]) -> tuple[float, ...]:
    """P(on time) as of each report date: 1 once achieved (on or before the deadline), 0 after the deadline."""
    out = []
    achieved = False
    for r, state in zip(reports, states, strict=True):
        on_time = r.period_end <= target.deadline
        hit = on_time and met(target, r.actual)
        achieved = (achieved or hit) if target.kind == "cumulative" else hit
        if achieved:
            out.append(1.0)
        elif not on_time:
            out.append(0.0)
        else:
            out.append(probability(state))
    return tuple(out)
