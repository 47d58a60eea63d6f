"""Use case: form the list of every council of a scenario and summarise compliance by region."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tandau.core.lists import ListRequest, ListResult, Objective, form_list
from tandau.core.rules import WOMEN, RuleSet, under
from tandau.errors import InfeasibleError
from tandau.io.scenario_files import Scenario, ScenarioCouncil


@dataclass(frozen=True, slots=True)
class CouncilOutcome:
    council: ScenarioCouncil
    result: ListResult | None
    error: str | None


@dataclass(slots=True)
class RegionSummary:
    region_id: str
    region_name: str
    councils: int = 0
    formed: int = 0
    infeasible: int = 0
    positions: int = 0
    women: int = 0
    under_35: int = 0
    moved: int = 0
    warnings: int = 0


@dataclass(slots=True)
class BuildAllReport:
    outcomes: list[CouncilOutcome] = field(default_factory=list)
    regions: dict[str, RegionSummary] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def infeasible(self) -> list[CouncilOutcome]:
        return [o for o in self.outcomes if o.result is None]

    def most_departing(self, count: int = 10) -> list[CouncilOutcome]:
        """Councils whose lists depart most from the vote (Kendall-τ distance, then moves)."""
        formed = [o for o in self.outcomes if o.result is not None]
        formed.sort(key=lambda o: (-o.result.metrics.kendall_tau, -o.result.metrics.moved,  # type: ignore[union-attr]
                                   o.council.council_id))
        return formed[:count]


def build_all(
    scenario: Scenario,
    rules: RuleSet,
    *,
    objective: Objective = "lexicographic",
    seat_safe: bool = False,
    explain: bool = True,
    election_date: date | None = None,
    progress: Callable[[ScenarioCouncil], None] | None = None,
) -> BuildAllReport:
    """Form every council's list; infeasible councils are reported, not fatal."""
    report = BuildAllReport()
    day = election_date or scenario.election_date
    youth = under(35)
    started = time.perf_counter()
    for council in scenario.councils:
        summary = report.regions.setdefault(council.region_id, RegionSummary(council.region_id, council.region_name))
        summary.councils += 1
        length = min(council.list_length, len(council.candidates))
        request = ListRequest(council.candidates, rules.rules, length, day, objective=objective,
                              seat_safe=seat_safe, explain=explain, likely_seats=council.seats)
        try:
            result: ListResult | None = form_list(request)
            error = None
        except InfeasibleError as exc:
            result, error = None, str(exc)
        report.outcomes.append(CouncilOutcome(council, result, error))
        if result is None:
            summary.infeasible += 1
        else:
            chosen = [e.candidate for e in result.entries]
            summary.formed += 1
            summary.positions += len(chosen)
            summary.women += sum(1 for c in chosen if WOMEN.contains(c, day))
            summary.under_35 += sum(1 for c in chosen if youth.contains(c, day))
            summary.moved += result.metrics.moved
            summary.warnings += len(result.warnings)
        if progress is not None:
            progress(council)
    report.seconds = time.perf_counter() - started
    return report
