"""National roll-ups and the ranking of regions.

A national series (region ``KZ``) with a target but no reports of its own is rolled up from its regions: at
every date a region reported, a cumulative indicator is the sum of each region's latest value (its baseline
before its first report), a level indicator their mean weighted by ``weight`` (equal weights when none is
given); money columns are summed where any region reports them. The national series is then assessed like
any other. Regions are ranked by their mean probability of meeting their targets on time (achieved counts 1),
best first; ties by the number of off-track series, then by code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tandau.core.control.programmes.assess import Assessment
from tandau.core.control.programmes.model import NATIONAL, Report, Target

MONEY = ("allocated_kzt", "adjusted_kzt", "contracted_kzt", "paid_kzt")


def roll_up(national: Target, regional: Mapping[str, tuple[Target, Sequence[Report]]]) -> tuple[Report, ...]:
    """The national reports built from each region's (target in force, reports known), by period end.

    >>> from datetime import date
    >>> from decimal import Decimal as D
    >>> t = Target("p", "i", "KZ", "u", "cumulative", "increase", D(0), date(2020, 1, 1), D(9), date(2021, 1, 1))
    >>> a = replace_region(t, "110000000"), replace_region(t, "150000000")
    >>> ra = [Report("p", "i", "110000000", date(2020, 1, 31), D(1))]
    >>> rb = [Report("p", "i", "150000000", date(2020, 2, 29), D(2))]
    >>> [(r.period_end.month, r.actual) for r in roll_up(t, {"1": (a[0], ra), "2": (a[1], rb)})]
    [(1, Decimal('1')), (2, Decimal('3'))]
    """
    dates = sorted({r.period_end for _, reports in regional.values() for r in reports})
    level = national.kind == "level"
    weights = {code: (t.weight if t.weight is not None else Decimal(1)) for code, (t, _) in regional.items()}
    total_weight = sum(weights.values(), Decimal(0))
    out: list[Report] = []
    cursor = dict.fromkeys(regional, 0)
    latest: dict[str, Report | None] = dict.fromkeys(regional)
    for day in dates:
        for code, (_, reports) in regional.items():
            i = cursor[code]
            while i < len(reports) and reports[i].period_end <= day:
                latest[code] = reports[i]
                i += 1
            cursor[code] = i
        values = {code: (r.actual if (r := latest[code]) is not None else t.baseline)
                  for code, (t, _) in regional.items()}
        if level:
            actual = sum((values[c] * weights[c] for c in values), Decimal(0)) / total_weight if total_weight else \
                Decimal(0)
        else:
            actual = sum(values.values(), Decimal(0))
        money: dict[str, Decimal | None] = {}
        for column in MONEY:
            found = [getattr(r, column) for r in latest.values() if r is not None and getattr(r, column) is not None]
            money[column] = sum(found, Decimal(0)) if found else None
        out.append(Report(national.programme, national.indicator, NATIONAL, day, actual, money["allocated_kzt"],
                          money["adjusted_kzt"], money["contracted_kzt"], money["paid_kzt"]))
    return tuple(out)


def replace_region(target: Target, region: str) -> Target:
    """A copy of ``target`` for another region (a helper for examples and tests)."""
    from dataclasses import replace

    return replace(target, region=region)


@dataclass(frozen=True, slots=True)
class RegionRank:
    """One region's place: mean p over its series, and how many series are in each status."""

    rank: int
    region: str
    mean_p: float
    series: int
    achieved: int
    on_track: int
    at_risk: int
    off_track: int


def rank_regions(assessments: Iterable[Assessment]) -> tuple[RegionRank, ...]:
    """Regions (not ``KZ``) best first by mean p_on_time, then fewer off-track series, then code."""
    by_region: dict[str, list[Assessment]] = {}
    for a in assessments:
        if a.region != NATIONAL:
            by_region.setdefault(a.region, []).append(a)
    rows = []
    for region, items in by_region.items():
        counts = {s: sum(1 for a in items if a.status == s) for s in ("achieved", "on_track", "at_risk", "off_track")}
        rows.append((sum(a.p_on_time for a in items) / len(items), region, len(items), counts))
    rows.sort(key=lambda r: (-r[0], r[3]["off_track"], r[1]))
    return tuple(RegionRank(i, region, mean, n, c["achieved"], c["on_track"], c["at_risk"], c["off_track"])
                 for i, (mean, region, n, c) in enumerate(rows, start=1))
