"""Why no choice of nominees meets the rules, and the smallest relaxations that would make one exist.

In the list engine's style (:mod:`tandau.core.lists.diagnose`): districts left without an eligible candidate;
each rule that cannot be met even on its own, with its shortfall; otherwise a minimal set of rules that
conflict, and for each whether dropping it is enough. Then the smallest relaxation of the bounds: the need
vector closest to the rules' (fewest persons fewer in all) that some choice meets, read from the same dynamic
programme; and each pin whose removal alone would make a choice possible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tandau.core.nominees.compile import Need
from tandau.core.nominees.problem import Coordinate, Problem
from tandau.core.nominees.reasons import NomineeReason, nominee_reason
from tandau.core.rules.model import Rule, rule_reason
from tandau.errors import InfeasibleError


class NomineesInfeasibleError(InfeasibleError):
    """A refused selection: the message and details of :class:`InfeasibleError`, plus the same as structured
    reasons (``summary``: code ``nominees_refused``; ``reasons``: one per detail, in the same order)."""

    def __init__(self, summary: NomineeReason, reasons: Sequence[NomineeReason]) -> None:
        self.summary = summary
        self.reasons = tuple(reasons)
        super().__init__(summary.text, details=[r.text for r in self.reasons])

    def __reduce__(self) -> tuple[type[NomineesInfeasibleError], tuple[NomineeReason, tuple[NomineeReason, ...]]]:
        return (type(self), (self.summary, self.reasons))


def _rules(needs: Sequence[Need]) -> list[Rule]:
    out: list[Rule] = []
    for n in needs:
        if not any(r is n.rule for r in out):
            out.append(n.rule)
    return out


def _feasible(problem: Problem, rules: Sequence[Rule], drop_pin: int | None = None) -> bool:
    needs = [n for n in problem.needs if any(n.rule is r for r in rules)]
    return problem.run(needs, drop_pin)[0].picks is not None


def _alone(problem: Problem, rule: Rule) -> list[NomineeReason]:
    """The shortfall of a rule that cannot be met on its own: per need, how many districts can count toward it."""
    out = []
    label = rule_reason(rule)
    districts = len(problem.rankings)
    for coord in problem.coordinates([n for n in problem.needs if n.rule is rule]):
        possible = sum(1 for d, r in enumerate(problem.rankings)
                       if any(r[i].id in coord.members for i in problem.eligible(d)))
        if possible >= coord.need:
            continue
        need = coord.needs[0]
        who = need.group.reason()
        if not need.complement:
            text = (f"{label.text}: needs at least {coord.need} {who.text} among the {districts} nominees; "
                    f"{possible} district(s) can nominate one (short by {coord.need - possible})")
            out.append(nominee_reason("nominees_rule_alone_min", text, rule=label, group=who, needed=coord.need,
                                      possible=possible, districts=districts))
        else:
            text = (f"{label.text}: needs at least {coord.need} nominees who are not {who.text} among the "
                    f"{districts}; {possible} district(s) can nominate one (short by {coord.need - possible})")
            out.append(nominee_reason("nominees_rule_alone_max", text, rule=label, group=who, needed=coord.need,
                                      possible=possible, districts=districts))
    if not out:  # each count can be met, not all together (balance: at least k of each sex)
        out.append(nominee_reason("nominees_rule_alone", f"{label.text}: no choice of the {districts} nominees "
                                  "meets it", rule=label, districts=districts))
    return out


def _relax_bounds(problem: Problem, coords: Sequence[Coordinate], reachable: np.ndarray) -> list[NomineeReason]:
    """The reachable need vector with the fewest persons fewer in all (ties: earlier coordinates kept higher)."""
    if not coords or not reachable.any():
        return []
    index = np.indices(reachable.shape).reshape(len(coords), -1)
    deficit = sum(c.need - index[k] for k, c in enumerate(coords))
    ok = reachable.reshape(-1)
    fewest = deficit[ok].min()
    rows = index[:, ok & (deficit == fewest)]
    order = np.lexsort(tuple(-rows[k] for k in reversed(range(len(coords)))))
    best = tuple(int(v) for v in rows[:, order[0]])
    out = []
    day = problem.request.election_date
    for coord, value in zip(coords, best, strict=True):
        if value == coord.need:
            continue
        need = max(coord.needs, key=lambda n: n.total - sum(1 for c in problem.request.also_counted
                                                            if n.contains(c, day)))
        fixed = sum(1 for c in problem.request.also_counted if need.contains(c, day))
        label, who = rule_reason(need.rule), need.group.reason()
        if not need.complement:
            count, instead = value + fixed, need.total
            out.append(nominee_reason("nominees_relax_min", f"relaxation: at least {count} {who.text} instead of "
                                      f"{instead} ({label.text})", rule=label, group=who, count=count,
                                      instead=instead))
        else:
            count, instead = problem.size - (value + fixed), problem.size - need.total
            out.append(nominee_reason("nominees_relax_max", f"relaxation: at most {count} {who.text} instead of "
                                      f"{instead} ({label.text})", rule=label, group=who, count=count,
                                      instead=instead))
    return out


def diagnose(problem: Problem) -> NomineesInfeasibleError:
    """Build the refusal of an infeasible request."""
    districts = problem.request.districts
    summary = nominee_reason("nominees_refused", f"no choice of nominees for the {len(districts)} districts meets "
                             "every rule", districts=len(districts))
    empty = [nominee_reason("nominees_no_candidate", f"district {districts[d].id}: every candidate is excluded",
                            district=districts[d].id) for d in range(len(districts)) if not problem.eligible(d)]
    if empty:
        return NomineesInfeasibleError(summary, empty)
    details: list[NomineeReason] = []
    rules = _rules(problem.needs)
    alone = [r for r in rules if not _feasible(problem, [r])]
    for rule in alone:
        details.extend(_alone(problem, rule))
    if not alone:
        core = list(rules)
        for rule in list(core):
            trial = [r for r in core if r is not rule]
            if not _feasible(problem, trial):
                core = trial
        labels = tuple(rule_reason(r) for r in core)
        details.append(nominee_reason("nominees_conflict", "these rules cannot all be met together: "
                                      + "; ".join(lb.text for lb in labels), rules=labels))
        for rule in core:
            if _feasible(problem, [r for r in rules if r is not rule]):
                label = rule_reason(rule)
                details.append(nominee_reason("nominees_relax_without", f"relaxation: without {label.text} a "
                                              "choice of nominees exists", rule=label))
    solution, coords = problem.run()
    if solution.reachable is not None:  # None: a set beyond the first programme's budget
        details.extend(_relax_bounds(problem, coords, solution.reachable))
    for d, i in sorted(problem.pins.items()):
        if _feasible(problem, rules, drop_pin=d):
            cand = problem.rankings[d][i]
            details.append(nominee_reason("nominees_relax_pin", f"relaxation: without the pin of {cand.name} in "
                                          f"district {districts[d].id} a choice of nominees exists",
                                          district=districts[d].id, name=cand.name))
    return NomineesInfeasibleError(summary, details)
