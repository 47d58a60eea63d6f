"""The assessment of every series at an as-of date: follow-up, flags, national roll-ups, the regions' ranking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tandau.core.control.programmes.assess import (
    Assessment,
    assessment_from,
    forecast_series,
    period_days,
    series_points,
)
from tandau.core.control.programmes.flags import Flag, FlagSettings, SeriesData, evaluate, p_history
from tandau.core.control.programmes.forecast import DEFAULT_DRIFT, DEFAULT_TAU_DAYS, PaceState, pace_states
from tandau.core.control.programmes.model import NATIONAL, Report, ReportSeries, SeriesKey, Target, TargetSeries
from tandau.core.control.programmes.rollup import RegionRank, rank_regions, roll_up


@dataclass(frozen=True, slots=True)
class Board:
    """Every series' assessment (regions first by code, the national series ``KZ`` last within an indicator),
    the flags that fire, and the regions' ranking."""

    as_of: date
    assessments: tuple[Assessment, ...]
    flags: tuple[Flag, ...]
    ranking: tuple[RegionRank, ...]

    def to_json(self) -> dict[str, object]:
        """The CLI contract: ``{"assessments": [...], "flags": [...]}``."""
        return {"assessments": [a.to_json() for a in self.assessments], "flags": [f.to_json() for f in self.flags]}


def _states_per_report(target: Target, reports: Sequence[Report], tau_days: float) -> list[PaceState | None]:
    times, values = series_points(target, reports)
    states = list(pace_states(times, values, period_days=period_days(target), tau_days=tau_days))
    out: list[PaceState | None] = []
    i = -1
    origin = target.start.toordinal()
    for r in reports:
        t = r.period_end.toordinal() - origin
        while i + 1 < len(states) and states[i + 1].t <= t:
            i += 1
        out.append(states[i] if i >= 0 else None)
    return out


def assess_series(history: TargetSeries, reports: Sequence[Report], as_of: date, settings: FlagSettings, *,
                  tau_days: float = DEFAULT_TAU_DAYS, drift: float = DEFAULT_DRIFT) -> tuple[Assessment, tuple[Flag,
                                                                                                        ...]]:
    """One series: its assessment at ``as_of`` and its flags (``reports``: those known at ``as_of``)."""
    target = history.in_force(as_of)
    states = _states_per_report(target, reports, tau_days)
    last = states[-1] if states else None
    f = forecast_series(target, [last] if last is not None else [], drift=drift)
    assessment = assessment_from(target, reports, as_of, f)

    def probability(state: PaceState | None) -> float:
        return forecast_series(target, [state] if state is not None else [], drift=drift).p

    history_p = p_history(target, reports, states, probability) if "P05" in settings.enabled else ()
    data = SeriesData(history, target, tuple(reports), assessment, tuple(states), history_p, as_of)
    return assessment, evaluate(data, settings)


def assess_board(targets: Mapping[SeriesKey, TargetSeries], reports: Mapping[SeriesKey, ReportSeries], as_of: date,
                 settings: FlagSettings | None = None, *, tau_days: float = DEFAULT_TAU_DAYS,
                 drift: float = DEFAULT_DRIFT) -> Board:
    """Assess every target series at ``as_of``; a national series without reports is rolled up from its regions.

    Series whose target version in force starts after ``as_of`` (baseline date later) are left out.
    """
    cfg = settings or FlagSettings()
    known: dict[SeriesKey, tuple[Report, ...]] = {}
    for key in targets:
        if key in reports:
            known[key] = reports[key].known_at(as_of)
    regional: dict[tuple[str, str], dict[str, tuple[Target, tuple[Report, ...]]]] = {}
    for key, history in targets.items():
        if key[2] != NATIONAL:
            regional.setdefault((key[0], key[1]), {})[key[2]] = (history.in_force(as_of), known.get(key, ()))
    for key, history in targets.items():
        if key[2] == NATIONAL and key not in known and (key[0], key[1]) in regional:
            known[key] = roll_up(history.in_force(as_of), regional[(key[0], key[1])])
    assessments: list[Assessment] = []
    flags: list[Flag] = []
    order = sorted(targets, key=lambda k: (k[0], k[1], k[2] == NATIONAL, k[2]))
    for key in order:
        history = targets[key]
        if history.in_force(as_of).baseline_date > as_of:
            continue
        a, fl = assess_series(history, known.get(key, ()), as_of, cfg, tau_days=tau_days, drift=drift)
        assessments.append(a)
        flags.extend(fl)
    return Board(as_of, tuple(assessments), tuple(flags), rank_regions(assessments))
