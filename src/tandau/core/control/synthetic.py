"""SYNTHETIC control data for the demo: targets, execution reports, OCDS releases and link rules.

Nothing here is a real figure. The national targets are the preset's (:func:`preset_targets`, figures from the
fact sheet); every regional target, report, release, company and buyer is generated from a seed, and each
generated row's ``source`` says SYNTHETIC. Deterministic: one ``random.Random(seed)``, no global randomness.

* **Targets**: the preset's national rows (kept) and one row per region × preset indicator. Cumulative targets
  and budgets are the national ones split by population (exact, whole units and whole KZT, largest remainder);
  the clean-water access share gets regional baselines of 70-97% around the national 86.4%, weighted by
  population, target 100. Abai, Jetisu and Ulytau (created 8 June 2022, ``SPLITS_2022``) start then, with the
  part of their parent's share still to do at that date (access: from their parent's latest value); the parent
  keeps its history and the rest (no drop, so the national roll-up stays whole). Enbek ended in 2021, before
  they existed: they have no enbek rows.
* **Reports**: monthly cumulative values (enbek ``jobs_created`` quarterly in four regions) from each series'
  start to ``as_of`` (enbek to three months after its deadline), with a construction season and noise; money
  (allocated, adjusted, contracted, paid, cumulative KZT) follows the works. No KZ rows: the board rolls the
  national series up from the regions (:func:`~tandau.core.control.programmes.rollup.roll_up`).
* **Planted programme flags** (regions drawn from the seed among those untouched by the split; listed in
  ``planted``): housing — P01 works at 65% while the money follows the plan; P09 a year paid at 70% of its
  adjusted allocation; P07 a cumulative count corrected downwards; P04 and P05 a ten-month stall; P08 a deadline
  moved a year with a target set so that the forecast is on track. Auyl - El Besigi — P02 a year's contracts
  registered behind the payments; P03 a December with 40% of a year's payments; P08 a target lowered by 15%;
  P06 reports stopped four months before ``as_of``; P04 and P05 a regime change (pace down to 30% mid-2023); P08
  a deadline moved with a target set so that the forecast is at risk. One housing report is revised later
  (a second row for its period with ``reported_at``).
* **Releases** and **link rules**: :mod:`tandau.core.control.synthetic_ocds`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tandau.core.control.programmes.assess import assess
from tandau.core.control.programmes.model import (
    PERIOD_MONTHS,
    SPLITS_2022,
    Frequency,
    Report,
    ReportSeries,
    SeriesKey,
    Target,
    TargetSeries,
    add_months,
)
from tandau.core.control.programmes.presets import preset_targets
from tandau.core.control.synthetic_ocds import LinkRule, ProcurementPlant, synthetic_procurement
from tandau.errors import InputError

__all__ = ["SOURCE", "SyntheticControl", "synthetic_control"]

SOURCE = "SYNTHETIC (tandau.core.control.synthetic): generated for the demo, not a real figure"
#: relative works per calendar month: a construction season and the December commissioning
_SEASON = (0.55, 0.6, 0.8, 1.0, 1.1, 1.15, 1.15, 1.15, 1.1, 1.05, 1.0, 1.6)
_HOUSING = ("housing", "flats_built")
_VILLAGES = ("auyl-el-besigi", "villages_modernised")


@dataclass(frozen=True, slots=True)
class SyntheticControl:
    """SYNTHETIC targets, reports, OCDS releases and link rules, with what was planted in them.

    ``link_rules``: (programme, indicator, region, buyer_id, classification_prefix), buyer ``""`` = any buyer of
    the region; ``planted``: (code, programme, indicator, region) of every planted programme flag;
    ``planted_procurement``: (code, group, id) of every planted procurement flag.
    """

    targets: tuple[Target, ...]
    reports: tuple[Report, ...]
    releases: tuple[dict[str, Any], ...]
    link_rules: tuple[LinkRule, ...]
    planted: tuple[tuple[str, str, str, str], ...]
    planted_procurement: tuple[ProcurementPlant, ...]

    def target_series(self) -> dict[SeriesKey, TargetSeries]:
        """The targets by series, each with its history (the original first, then by ``revised_at``)."""
        grouped: dict[SeriesKey, list[Target]] = {}
        for t in self.targets:
            grouped.setdefault(t.key, []).append(t)
        return {k: TargetSeries(tuple(sorted(v, key=lambda t: (t.revised_at is not None, t.revised_at or date.min))))
                for k, v in grouped.items()}

    def report_series(self) -> dict[SeriesKey, ReportSeries]:
        """The reports by series, in arrival order."""
        grouped: dict[SeriesKey, list[Report]] = {}
        for r in self.reports:
            grouped.setdefault(r.key, []).append(r)
        return {k: ReportSeries(tuple(v)) for k, v in grouped.items()}


@dataclass(frozen=True, slots=True)
class _Behaviour:
    """How one series is generated: the share of the target's rise done by the deadline and the anomalies."""

    pace: float
    regime: tuple[date, float] | None = None  # from this date on, works at this factor of the pace
    stall: tuple[date, int, float] | None = None  # from this date, months without works, then 6 months at a factor
    last_report: date | None = None  # reports stop here (P06)
    money_follows_plan: bool = False  # P01: payments follow the budget plan, not the works
    underspend_year: int | None = None  # P09
    rush_year: int | None = None  # P03
    late_contracts_year: int | None = None  # P02
    drop_at: date | None = None  # P07: the cumulative count is corrected downwards from this period
    reach: date | None = None  # level series: when the target is reached (None: never by the deadline)
    final: int = 0  # level series: tenths of a percent at the deadline when not reached
    revise: str | None = None  # "on_track" / "at_risk": deadline moved a year, target set for that status
    extras: dict[str, Any] = field(default_factory=dict)


def _apportion(total: int, weights: Sequence[float | int | Fraction]) -> list[int]:
    """``total`` split in whole units in proportion to ``weights`` (largest remainder, ties to the first).

    >>> _apportion(10, [1, 1, 1])
    [4, 3, 3]
    """
    exact = [Fraction(w) for w in weights]
    whole = sum(exact, Fraction(0))
    if total == 0 or whole == 0:
        return [0] * len(exact)
    quotas = [total * w / whole for w in exact]
    floors = [q.numerator // q.denominator for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (floors[i] - quotas[i], i))
    for i in order[:total - sum(floors)]:
        floors[i] += 1
    return floors


def _month_end(year: int, month: int) -> date:
    return add_months(date(year, month, 1), 1) - timedelta(days=1)


def _period_ends(start: date, last: date, frequency: Frequency) -> list[date]:
    """The ends of the reporting periods after ``start`` up to ``last`` (quarters end in Mar, Jun, Sep, Dec)."""
    out = []
    year, month = start.year, start.month
    while (day := _month_end(year, month)) <= last:
        if day > start and (frequency == "monthly" or month % 3 == 0):
            out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _factor(b: _Behaviour, day: date) -> float:
    factor = 1.0
    if b.regime is not None and day >= b.regime[0]:
        factor *= b.regime[1]
    if b.stall is not None:
        since = (day.year - b.stall[0].year) * 12 + day.month - b.stall[0].month
        if 0 <= since < b.stall[1]:
            factor = 0.0
        elif b.stall[1] <= since < b.stall[1] + 6:
            factor *= b.stall[2]
    return factor


def _works(rng: random.Random, t: Target, ends: Sequence[date], b: _Behaviour) -> list[float]:
    """The works planned in each period (season × noise, the first period pro rata), before anomalies."""
    months = PERIOD_MONTHS[t.frequency]
    out = []
    for i, day in enumerate(ends):
        w = sum(_SEASON[(day.month - k - 1) % 12] for k in range(months)) * rng.uniform(0.75, 1.25)
        if i == 0:
            span = (day - add_months(day, -months)).days
            w *= min(1.0, (day - t.start).days / span)
        out.append(w)
    return out


def _cumulative(rng: random.Random, t: Target, ends: Sequence[date], b: _Behaviour) -> tuple[list[int], list[float]]:
    """Whole cumulative values for a cumulative series and the works per period (money follows them)."""
    rise = int(t.target - t.baseline)
    plan = _works(rng, t, ends, b)
    pre = [i for i, day in enumerate(ends) if day <= t.deadline]
    scale = b.pace * rise / sum(plan[i] for i in pre) if pre else 0.0
    done = [scale * w * _factor(b, day) * (1.0 if day <= t.deadline else 0.5) for w, day in zip(plan, ends,
                                                                                                strict=True)]
    due = sum(done[i] for i in pre)
    total_pre = -int(-due // 1) if b.pace >= 1 and b.regime is None and b.stall is None else int(due)
    steps = _apportion(total_pre, [done[i] for i in pre])
    post = list(range(len(pre), len(ends)))
    steps += _apportion(round(sum(done[i] for i in post)), [done[i] for i in post])
    values, value = [], int(t.baseline)
    for step in steps:
        value += step
        values.append(value)
    if b.drop_at is not None:
        k = next(i for i, day in enumerate(ends) if day >= b.drop_at)
        cut = max(steps[k] + 1, values[k] * 3 // 100)
        values = values[:k] + [v - cut for v in values[k:]]
    return values, done


def _level(rng: random.Random, t: Target, ends: Sequence[date], b: _Behaviour) -> tuple[list[int], list[float]]:
    """Level values in tenths of a percent (reaching 1000 at ``b.reach`` or ``b.final`` at the deadline, then
    creeping up) and the smooth path's rises per period (money follows them)."""
    base, start = int(t.baseline * 10), t.start
    final = min(995, max(b.final, base + 5))
    values, rises, before = [], [], float(base)
    for day in ends:
        if b.reach is not None:
            path = base + (1000 - base) * min(1.0, (day - start).days / max(1, (b.reach - start).days))
        elif day <= t.deadline:
            path = base + (final - base) * (day - start).days / (t.deadline - start).days
        else:
            path = final + (1000 - final) * 0.6 * min(1.0, (day - t.deadline).days / 730)
        reached = b.reach is not None and day >= b.reach
        value = 1000 if reached else min(999, round(path) + rng.randint(-2, 2))
        values.append(value)
        rises.append(max(0.0, path - before) / 10 if day <= t.deadline else 0.0)
        before = path
    return values, rises


def _money(rng: random.Random, t: Target, ends: Sequence[date], works: Sequence[float],
           b: _Behaviour) -> list[tuple[int, int, int, int]]:
    """Cumulative (allocated, adjusted, contracted, paid) KZT per period: a yearly allocation by the plan, an
    adjusted allocation for the works of the year (known in January), payments spread over the year (96-99.5% of
    the adjusted allocation), contracts running ahead of payments; nothing moves after the deadline."""
    budget = int(t.budget_kzt or 0)
    pre = [(day, w) for day, w in zip(ends, works, strict=True) if day <= t.deadline]
    years = sorted({day.year for day, _ in pre})
    spans = [(min(t.deadline, date(y, 12, 31)) - max(t.start, date(y - 1, 12, 31))).days for y in years]
    allocated = dict(zip(years, _apportion(budget, spans), strict=True))
    cost = budget / max(sum(w for _, w in pre), float(t.target - t.baseline), 1e-9)
    adjusted, paid = {}, {}
    for y in years:
        base = allocated[y] if b.money_follows_plan else cost * sum(w for day, w in pre if day.year == y)
        adjusted[y] = int(base * rng.uniform(1.0, 1.04))
        paid[y] = int(adjusted[y] * (0.7 if y == b.underspend_year else rng.uniform(0.96, 0.995)))
    weights: dict[date, Fraction] = {}
    for y in years:
        days = [day for day, _ in pre if day.year == y]
        w = [Fraction(rng.uniform(0.8, 1.2)) for _ in days]
        if y == b.rush_year and days[-1].month == 12 and len(days) > 1:
            w[-1] = sum(w[:-1], Fraction(0)) * 2 / 3  # December: 40% of the year's payments
        running = Fraction(0)
        for day, x in zip(days, w, strict=True):
            running += x
            weights[day] = running / sum(w, Fraction(0))
    out: list[tuple[int, int, int, int]] = []
    for day in ends:
        if day > t.deadline:
            out.append(out[-1] if out else (0, 0, 0, 0))
            continue
        y, share = day.year, weights[day]
        done = [x for x in years if x < y]
        a = sum(allocated[x] for x in done) + allocated[y]
        j = sum(adjusted[x] for x in done) + adjusted[y]
        p = sum(paid[x] for x in done) + int(paid[y] * share)
        late = y == b.late_contracts_year and share < 1
        c_share = share / 2 if late else min(Fraction(1), share + Fraction(3, 10))
        c = sum(adjusted[x] for x in done) + int(adjusted[y] * c_share)
        out.append((a, j, c, p))
    return out


def _regional_targets(national: Target, regions: Mapping[str, tuple[str, int]],
                      levels: Mapping[str, int]) -> dict[str, Target]:
    """The regional rows of one national target (see the module's docstring); ``levels``: baselines in tenths.
    A region created in 2022 is generated with its parent (alone, or for a programme over by then, it has none)."""
    paired = {c: p for c, (p, _) in SPLITS_2022.items() if c in regions and p in regions}
    codes = [c for c in sorted(regions) if c not in SPLITS_2022]
    children = {c: p for c, p in paired.items() if national.deadline > SPLITS_2022[c][1]}
    pops = {c: regions[c][1] + sum(regions[k][1] for k, p in paired.items() if p == c) for c in codes}
    whole = int(national.target - national.baseline)
    counts = dict(zip(codes, _apportion(whole, [pops[c] for c in codes]), strict=True))
    money = dict(zip(codes, _apportion(int(national.budget_kzt or 0), [pops[c] for c in codes]), strict=True))
    base = {c: replace(national, region=c, source=SOURCE, target=national.target if national.kind == "level" else
                       Decimal(counts[c]), budget_kzt=Decimal(money[c]) if national.budget_kzt is not None else None,
                       baseline=Decimal(levels[c]).scaleb(-1) if national.kind == "level" else national.baseline,
                       weight=Decimal(pops[c]) if national.kind == "level" else None) for c in codes}
    for child, parent in children.items():
        split = SPLITS_2022[child][1]
        todo = Fraction((national.deadline - split).days, (national.deadline - national.start).days)
        share = Fraction(regions[child][1], pops[parent])
        p = base[parent]
        kid_count = int(Fraction(counts[parent]) * share * todo)
        kid_money = int(Fraction(money[parent]) * share * todo)
        base[child] = replace(p, region=child, baseline_date=split, weight=Decimal(regions[child][1])
                              if national.kind == "level" else None,
                              target=p.target if national.kind == "level" else Decimal(kid_count),
                              budget_kzt=Decimal(kid_money) if p.budget_kzt is not None else None)
        base[parent] = replace(p, weight=Decimal(regions[parent][1]) if national.kind == "level" else None,
                               target=p.target if national.kind == "level" else p.target - kid_count,
                               budget_kzt=p.budget_kzt - kid_money if p.budget_kzt is not None else None)
    return base


def _levels(regions: Mapping[str, tuple[str, int]], rng: random.Random, national: Decimal) -> dict[str, int]:
    """Baselines in tenths of a percent: drawn in 70-97%, shifted so that the population-weighted mean is
    ``national``, then clipped back into 70-97%."""
    drawn = {c: rng.randint(700, 970) for c in sorted(regions)}
    total = sum(p for _, p in regions.values())
    shift = int(national * 10) - round(sum(drawn[c] * regions[c][1] for c in drawn) / total)
    return {c: min(970, max(700, v + shift)) for c, v in drawn.items()}


def _behaviours(rng: random.Random, eligible: Sequence[str], as_of: date) -> tuple[dict[SeriesKey, _Behaviour],
                                                                                     list[tuple[str, str, str, str]]]:
    """The planted series (see the module's docstring) and the list of their flags."""
    h = rng.sample(list(eligible), 6)
    v = rng.sample(list(eligible), 6)
    year = min(2023, as_of.year - 1)
    stale = add_months(as_of, -4)
    plants: dict[SeriesKey, _Behaviour] = {
        (*_HOUSING, h[0]): _Behaviour(0.65, money_follows_plan=True),
        (*_HOUSING, h[1]): _Behaviour(1.06, underspend_year=year),
        (*_HOUSING, h[2]): _Behaviour(1.08, drop_at=date(year, 5, 31)),
        (*_HOUSING, h[3]): _Behaviour(0.95, stall=(date(2022, 3, 1), 10, 1.2)),
        (*_HOUSING, h[4]): _Behaviour(0.85, revise="on_track"),
        (*_HOUSING, h[5]): _Behaviour(1.05, extras={"revised_report": True}),
        (*_VILLAGES, v[0]): _Behaviour(1.05, late_contracts_year=year),
        (*_VILLAGES, v[1]): _Behaviour(1.05, rush_year=min(2024, as_of.year - 1)),
        (*_VILLAGES, v[2]): _Behaviour(0.92, extras={"lower": (min(date(2023, 6, 15), as_of), 85)}),
        (*_VILLAGES, v[3]): _Behaviour(0.9, last_report=_month_end(stale.year, stale.month)),
        (*_VILLAGES, v[4]): _Behaviour(1.0, regime=(date(2023, 7, 1), 0.3)),
        (*_VILLAGES, v[5]): _Behaviour(0.85, revise="at_risk"),
    }
    planted = [("P01", *_HOUSING, h[0]), ("P09", *_HOUSING, h[1]), ("P07", *_HOUSING, h[2]),
               ("P04", *_HOUSING, h[3]), ("P05", *_HOUSING, h[3]), ("P08", *_HOUSING, h[4]),
               ("P02", *_VILLAGES, v[0]), ("P03", *_VILLAGES, v[1]), ("P08", *_VILLAGES, v[2]),
               ("P06", *_VILLAGES, v[3]), ("P04", *_VILLAGES, v[4]), ("P05", *_VILLAGES, v[4]),
               ("P08", *_VILLAGES, v[5])]
    return plants, sorted(planted)


def _default(rng: random.Random, t: Target) -> _Behaviour:
    """Most series on track with noise, some achieved early, some behind; clean water mostly missed."""
    if t.kind == "level":
        if rng.random() < 0.4:
            days = rng.randint(0, 200)
            return _Behaviour(1.0, reach=t.deadline - timedelta(days=days))
        return _Behaviour(1.0, final=rng.randint(950, 995))
    u = rng.random()
    if t.programme == "enbek" or u < 0.2:
        return _Behaviour(rng.uniform(1.25, 1.45) if u < 0.35 else rng.uniform(1.03, 1.12))
    return _Behaviour(rng.uniform(0.75, 0.88) if u > 0.88 else rng.uniform(1.03, 1.10))


def _series(rng: random.Random, t: Target, b: _Behaviour, as_of: date) -> list[Report]:
    """The report rows of one series (a revision appended when planted)."""
    last = b.last_report or (min(as_of, add_months(t.deadline, 3)) if t.programme == "enbek" else as_of)
    ends = _period_ends(t.start, max(last, t.deadline), t.frequency)
    values, works = (_level if t.kind == "level" else _cumulative)(rng, t, ends, b)
    money = _money(rng, t, ends, works, b) if t.budget_kzt is not None else None
    scale = -1 if t.kind == "level" else 0
    rows = []
    for i, day in enumerate(ends):
        if day > last:
            break
        a, j, c, p = (Decimal(x) for x in money[i]) if money else (None, None, None, None)
        rows.append(Report(t.programme, t.indicator, t.region, day, Decimal(values[i]).scaleb(scale), a, j, c, p))
    if b.extras.get("revised_report"):
        k = next((i for i in range(len(rows) // 2, len(rows) - 1) if rows[i + 1].actual - rows[i].actual >= 2), None)
        if k is not None:
            fixed = rows[k].actual + (rows[k + 1].actual - rows[k].actual) // 2
            rows.append(replace(rows[k], actual=fixed, reported_at=rows[k].period_end + timedelta(days=45)))
    return rows


def _calibrate(t: Target, rows: Sequence[Report], as_of: date, goal: float) -> Target:
    """A revision moving the deadline a year with the largest whole target whose probability (the board's
    forecast at ``as_of``) is at least ``goal``: on track for 0.9, at risk for 0.65."""
    known = [r for r in rows if r.period_end <= as_of]
    latest = int(known[-1].actual) if known else int(t.baseline)
    revised = replace(t, deadline=add_months(t.deadline, 12), revised_at=as_of - timedelta(days=75))
    low, high = latest + 1, latest + 2 * int(t.target - t.baseline) + 2
    while low < high:
        mid = (low + high + 1) // 2
        if assess(replace(revised, target=Decimal(mid)), known, as_of).p_on_time >= goal:
            low = mid
        else:
            high = mid - 1
    return replace(revised, target=Decimal(low))


def synthetic_control(regions: Mapping[str, tuple[str, int]], *, seed: int = 2020, as_of: date = date(2025, 12, 31),
                      releases: int = 3000) -> SyntheticControl:
    """SYNTHETIC targets, reports, releases and link rules for ``regions`` (9-digit KATO code -> (Russian name,
    population)) at ``as_of``; the same seed gives the same data. The planted flags are those of the module's
    docstring; they are checked at the default ``as_of`` (any ``as_of`` from 2024-12-31 on keeps them)."""
    bad = [c for c in regions if len(c) != 9 or not c.isdigit() or regions[c][1] <= 0]
    if bad:
        raise InputError(f"region codes must be 9-digit KATO codes with a positive population, got {bad}",
                         parameter="regions")
    rng = random.Random(seed)
    touched = set(SPLITS_2022) | {p for p, _ in SPLITS_2022.values()}
    eligible = [c for c in sorted(regions) if c not in touched]
    if len(eligible) < 6:
        raise InputError(f"at least 6 regions outside the 2022 split are needed, got {len(eligible)}",
                         parameter="regions")
    plants, planted = _behaviours(rng, eligible, as_of)
    nationals = preset_targets()
    targets: list[Target] = list(nationals)
    revisions: list[Target] = []
    rows: list[Report] = []
    quarterly = set(rng.sample(eligible, 4))
    for national in nationals:
        levels = _levels(regions, rng, national.baseline) if national.kind == "level" else {}
        regional = _regional_targets(national, regions, levels)
        for code in sorted(regional, key=lambda c: (c in SPLITS_2022, c)):  # parents before their children
            t = regional[code]
            if national.indicator == "jobs_created" and code in quarterly:
                t = replace(t, frequency="quarterly")
            if code in SPLITS_2022 and t.kind == "level":
                parent = [r for r in rows if r.key == (t.programme, t.indicator, SPLITS_2022[code][0])
                          and r.period_end < t.start]
                start = int(parent[-1].actual * 10) if parent else levels[code]
                t = replace(t, baseline=Decimal(min(990, start + rng.randint(-8, 8))).scaleb(-1))
            targets.append(t)
            b = plants.get(t.key) or _default(rng, t)
            series = _series(rng, t, b, as_of)
            rows.extend(series)
            if b.revise is not None:
                revisions.append(_calibrate(t, series, as_of, 0.9 if b.revise == "on_track" else 0.65))
            if "lower" in b.extras:
                day, percent = b.extras["lower"]
                revisions.append(replace(t, revised_at=day, target=Decimal(int(t.target) * percent // 100)))
    rows.sort(key=lambda r: (r.known_from, r.programme, r.indicator, r.region))
    procurement = synthetic_procurement(regions, rng, releases)
    return SyntheticControl(tuple(targets + revisions), tuple(rows), procurement.releases, procurement.link_rules,
                            tuple(planted), procurement.planted)
