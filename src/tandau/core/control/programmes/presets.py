"""The seed's state programmes as a preset: national targets with their figures and sources.

Figures from the project's fact sheet (../shared/docs/kz-facts.md, "State programmes named at the meeting"),
each with where it came from. Where the meeting's wording is all there is ("as stated"), the target says so.
``tandau control preset`` writes them as a TARGETS.csv to start from; regional rows are the user's.

>>> [p.id for p in PROGRAMMES.values()]
['auyl-el-besigi', 'clean-water', 'enbek', 'housing']
>>> preset_targets("housing")[0].target
Decimal('1000000')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from tandau.core.control.programmes.model import NATIONAL, Target
from tandau.errors import UnknownIdError


@dataclass(frozen=True, slots=True)
class Programme:
    """A registered programme: stable id, display name, citation and its national targets."""

    id: str
    name: str
    source: str
    targets: tuple[Target, ...]


def _t(programme: str, indicator: str, unit: str, kind: str, baseline: str, baseline_date: date, target: str,
       deadline: date, budget: str | None, source: str) -> Target:
    return Target(programme, indicator, NATIONAL, unit, "level" if kind == "level" else "cumulative", "increase",
                  Decimal(baseline), baseline_date, Decimal(target), deadline,
                  Decimal(budget) if budget is not None else None, source)


_VILLAGES = ("Auyl - El Besigi: 3,561 villages with development potential (1,173 hubs, 2,388 satellites); support of "
             "villages about KZT 2 trillion until 2026 (party meeting, as stated; kz-facts.md)")
_WATER = ("Clean drinking water: KZT 560 bn over 3 years, all rural settlements by the end of 2023; access in villages "
          "86.4% in 2020 (kz-facts.md; goal missed, 100% claimed in January 2026)")
_ENBEK = ("Enbek programme and Employment Roadmap: about 1.5 million people covered and more than 750,000 jobs in two "
          "years (party meeting, as stated; Enbek budget KZT 176 bn in 2020; kz-facts.md)")
_HOUSING = ("About 1 million flats in 2020-2025 (party meeting, as stated); Nurly Zher 2020-2025 republican budget "
            "KZT 3,170.4 bn (652.6 + 637.2 + 592.5 + 505.6 + 394.2 + 388.3; kz-facts.md)")

PROGRAMMES: Mapping[str, Programme] = MappingProxyType({
    "auyl-el-besigi": Programme("auyl-el-besigi", "Auyl - El Besigi (support of villages)", _VILLAGES, (
        _t("auyl-el-besigi", "villages_modernised", "villages", "cumulative", "0", date(2020, 12, 31), "3561",
           date(2025, 12, 31), "2000000000000", _VILLAGES),
    )),
    "clean-water": Programme("clean-water", "Clean drinking water in rural settlements", _WATER, (
        _t("clean-water", "rural_access_share", "percent", "level", "86.4", date(2020, 12, 31), "100",
           date(2023, 12, 31), "560000000000", _WATER),
    )),
    "enbek": Programme("enbek", "Enbek and the Employment Roadmap", _ENBEK, (
        _t("enbek", "people_covered", "people", "cumulative", "0", date(2019, 12, 31), "1500000",
           date(2021, 12, 31), None, _ENBEK),
        _t("enbek", "jobs_created", "jobs", "cumulative", "0", date(2019, 12, 31), "750000", date(2021, 12, 31),
           None, _ENBEK),
    )),
    "housing": Programme("housing", "Housing: about 1 million flats (Nurly Zher)", _HOUSING, (
        _t("housing", "flats_built", "flats", "cumulative", "0", date(2019, 12, 31), "1000000", date(2025, 12, 31),
           "3170400000000", _HOUSING),
    )),
})


def preset_targets(programme_id: str | None = None) -> tuple[Target, ...]:
    """The national targets of one preset programme (every programme's when ``None``)."""
    if programme_id is None:
        return tuple(t for p in PROGRAMMES.values() for t in p.targets)
    if programme_id not in PROGRAMMES:
        raise UnknownIdError("programme preset", programme_id, list(PROGRAMMES))
    return PROGRAMMES[programme_id].targets
