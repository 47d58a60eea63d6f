"""SYNTHETIC development-programme indicators for every territory of the territory data (issue 13, item 2).

Nothing here is a real figure: every value is drawn from a seed, and every row's ``source`` says SYNTHETIC. The
units come in as :class:`DevUnit` (the caller reads the territory: :func:`tandau.io.development_csv.kz_units`); for
each the generator writes the indicators of :data:`~tandau.core.programmes.development.DEV_INDICATORS` that apply
to it — ``rural`` ones to districts, ``urban`` ones to cities and city districts, ``all`` to both — with a baseline
in 2022 and plan values 2023-2028, under the programme ``DP-<kato2>`` (region, city of republican significance) or
``DP-<kato4>`` (city, district, city district).

* Shares (%) start in a range typical of the indicator (rural and urban ranges differ where they do in Kazakhstan:
  gas, roads, waste collection) and move by a drawn step a year towards a cap or a floor.
* Counts, lengths, areas and yearly volumes scale with the unit's population (per 100,000 people) and grow or shrink
  by a drawn rate a year; "since 2023" counters start at 0 in 2022 and add a yearly amount.
* Every plan value is strictly beyond the baseline in the indicator's direction, and a series never turns back.
* A region's (or a city of republican significance's) values are its children's: additive units summed, shares
  averaged weighted by population (to 0.1), so districts never promise more than their region (lint C09).

Populations: a city district without one takes an equal part of its city's; a unit without a population and
without children (Baikonyr, leased, no maslikhat) gets no indicators. Deterministic: each series draws from its
own ``random.Random(f"{seed}/{territory}/{indicator}")``, exact values (``Decimal``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from tandau.core.programmes.development import DEV_INDICATORS, DevelopmentSet, DevIndicator, DevIndicatorInfo
from tandau.core.programmes.model import is_additive

__all__ = ["BASELINE_YEAR", "PLAN_YEARS", "DevUnit", "synthetic_development", "synthetic_source"]

BASELINE_YEAR = 2022
PLAN_YEARS: tuple[int, ...] = tuple(range(2023, 2029))
RURAL_KINDS = ("district",)
URBAN_KINDS = ("city", "city_district")
AGGREGATE_KINDS = ("region", "republican_city")


def synthetic_source(seed: int) -> str:
    """The ``source`` of every generated row."""
    return f"SYNTHETIC (tandau.core.programmes.synthetic_dev, seed {seed}): generated, not a real figure"


@dataclass(frozen=True, slots=True)
class DevUnit:
    """A territory to generate for: 9-digit KATO code, kind (region, republican_city, city, district,
    city_district), population (None when unknown) and the parent's code (None for a region)."""

    territory: str
    kind: str
    population: int | None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class _Model:
    """How an indicator's values are drawn. ``share``: baseline in tenths of a percent (``low``-``high``; ``rural``
    for rural units), step in tenths a year, ``bound`` the cap (increase) or floor (decrease) in tenths. ``stock``
    (also yearly volumes): baseline per ``per`` people (100,000), change ``step`` per mille a year. ``since``: 0
    in 2022, ``low``-``high`` per ``per`` people a year. ``decimals`` of the values; ``min_step`` the least yearly
    change."""

    shape: Literal["share", "stock", "since"]  # stock: also yearly volumes (housing commissioned, new jobs)
    low: int
    high: int
    step: tuple[int, int]
    bound: int = 1000
    rural: tuple[int, int] | None = None
    decimals: int = 0
    min_step: str = "1"
    per: int = 100_000


_MODELS: dict[str, _Model] = {
    "water_rural_central": _Model("share", 600, 900, (20, 50)),
    "water_urban_access": _Model("share", 900, 985, (5, 15)),
    "sewerage_urban": _Model("share", 550, 850, (10, 30)),
    "heat_networks_worn": _Model("share", 500, 750, (15, 40), bound=300),
    "gas_supply": _Model("share", 450, 950, (15, 50), rural=(100, 550)),
    "roads_good": _Model("share", 650, 850, (15, 40), bound=950, rural=(500, 750)),
    "roads_repaired": _Model("since", 25, 60, (0, 0), decimals=1, min_step="0.5"),
    "street_lighting": _Model("stock", 150, 300, (20, 60), decimals=1, min_step="0.1"),
    "cctv_coverage": _Model("share", 300, 650, (30, 70)),
    "housing_commissioned": _Model("stock", 60000, 110000, (20, 60), rural=(15000, 40000), min_step="100"),
    "housing_queue": _Model("stock", 2000, 3500, (40, 100), rural=(500, 1500)),
    "preschool_coverage": _Model("share", 850, 970, (5, 20)),
    "school_places_shortage": _Model("stock", 800, 2000, (80, 200), rural=(100, 500)),
    "kindergarten_places": _Model("stock", 5000, 8000, (10, 40)),
    "unemployment_rate": _Model("share", 42, 55, (1, 2), bound=35),
    "new_jobs": _Model("stock", 1200, 2200, (10, 40)),
    "health_facilities_built": _Model("since", 50, 150, (0, 0), per=10_000_000),
    "doctors_staffing": _Model("share", 700, 880, (10, 30)),
    "irrigated_land": _Model("stock", 2000, 15000, (10, 40)),
    "barrier_free_facilities": _Model("share", 400, 700, (30, 60)),
    "sports_grounds": _Model("stock", 150, 250, (20, 50)),
    "sport_participation": _Model("share", 320, 420, (8, 20), bound=700),
    "waste_collection": _Model("share", 900, 990, (10, 40), rural=(500, 850)),
    "waste_recycling": _Model("share", 150, 250, (10, 25), bound=600),
    "public_services_online": _Model("share", 820, 900, (10, 20)),
}
_TENTH = Decimal("0.1")


def _q(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _series(model: _Model, info: DevIndicatorInfo, rng: random.Random, population: int,
            rural: bool) -> list[Decimal]:
    """Baseline then one value per plan year, strictly beyond the baseline in the direction, never turning back."""
    sign = 1 if info.direction == "increase" else -1
    low, high = model.rural if (rural and model.rural is not None) else (model.low, model.high)
    years = len(PLAN_YEARS)
    if model.shape == "share":
        start = rng.randint(low, high)
        step = rng.randint(*model.step)
        tenths = [start] + [min(model.bound, start + step * k) if sign > 0 else max(model.bound, start - step * k)
                            for k in range(1, years + 1)]
        return [Decimal(t) * _TENTH for t in tenths]
    least = Decimal(model.min_step)
    per_year = Decimal(population) * rng.randint(low, high) / model.per
    if model.shape == "since":
        return [Decimal(0)] + [max(least, _q(per_year * k, model.decimals)) for k in range(1, years + 1)]
    base = max(_q(per_year, model.decimals), least * (years + 1))
    rate = 1 + sign * Decimal(rng.randint(*model.step)) / 1000
    values: list[Decimal] = [base]
    for k in range(1, years + 1):
        drawn = _q(base * rate ** k, model.decimals)
        values.append(max(drawn, values[-1] + least) if sign > 0 else min(drawn, values[-1] - least))
    return values


def _aggregate(info: DevIndicatorInfo, parts: Sequence[tuple[int, list[Decimal]]]) -> list[Decimal]:
    """A region's values from its children's: sums for additive units, population-weighted means of shares."""
    columns = list(zip(*(values for _, values in parts), strict=True))
    if is_additive(info.unit):
        return [sum(column, Decimal(0)) for column in columns]
    weight = Decimal(sum(p for p, _ in parts))
    return [_q(sum((Decimal(p) * v for (p, _), v in zip(parts, column, strict=True)), Decimal(0)) / weight, 1)
            for column in columns]


def _applies(info: DevIndicatorInfo, kind: str) -> bool:
    return info.scope == "all" or (info.scope == "rural") == (kind in RURAL_KINDS)


def _programme(unit: DevUnit) -> str:
    return "DP-" + (unit.territory[:2] if unit.kind in AGGREGATE_KINDS else unit.territory[:4])


def synthetic_development(units: Sequence[DevUnit], seed: int = 0) -> DevelopmentSet:
    """SYNTHETIC indicators of every unit (see the module's docstring), checked as a development programme.

    >>> units = [DevUnit("590000000", "region", 540000), DevUnit("591000000", "city", 220000, "590000000"),
    ...          DevUnit("593200000", "district", 25000, "590000000")]
    >>> data = synthetic_development(units, seed=1)
    >>> sorted({r.territory for r in data.indicators}) == sorted(u.territory for u in units)
    True
    >>> data.indicators == synthetic_development(units, seed=1).indicators
    True
    """
    children: dict[str, list[DevUnit]] = {}
    for u in units:
        if u.parent is not None:
            children.setdefault(u.parent, []).append(u)
    population: dict[str, int] = {}
    for u in units:
        if u.population is not None:
            population[u.territory] = u.population
    for u in units:
        if u.population is None and u.kind == "city_district" and u.parent in population:
            siblings = [s for s in children[u.parent] if s.kind == "city_district"]
            population[u.territory] = population[u.parent] // len(siblings)
    source = synthetic_source(seed)
    values: dict[tuple[str, str], list[Decimal]] = {}
    rows: list[DevIndicator] = []
    leaves = [u for u in units if u.kind not in AGGREGATE_KINDS and u.territory in population]
    aggregates = [u for u in units if u.kind in AGGREGATE_KINDS]
    for u in (*leaves, *aggregates):
        for info in DEV_INDICATORS.values():
            if u.kind in AGGREGATE_KINDS:
                parts = [(population[c.territory], values[(c.territory, info.id)])
                         for c in children.get(u.territory, ()) if (c.territory, info.id) in values]
                if not parts:
                    continue
                series = _aggregate(info, parts)
            elif _applies(info, u.kind):
                rng = random.Random(f"{seed}/{u.territory}/{info.id}")
                series = _series(_MODELS[info.id], info, rng, population[u.territory], u.kind in RURAL_KINDS)
            else:
                continue
            values[(u.territory, info.id)] = series
            for year, value in zip((BASELINE_YEAR, *PLAN_YEARS), series, strict=True):
                rows.append(DevIndicator(u.territory, _programme(u), info.id, info.unit, year, value,
                                         "baseline" if year == BASELINE_YEAR else "plan", info.section, source))
    rows.sort(key=lambda r: (r.territory, r.programme, r.indicator, r.year))
    return DevelopmentSet.of(rows)
