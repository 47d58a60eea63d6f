"""Why no compliant list exists, and the smallest relaxation that would make one exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import Pin, compile_problem
from tandau.core.lists.search import Search
from tandau.core.reasons import Reason, reason
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule, limit_reason, rule_reason
from tandau.errors import InfeasibleError

MAX_LENGTH_PROBES = 60


class ListInfeasibleError(InfeasibleError):
    """A refused list: the message and details of :class:`InfeasibleError`, plus the same as structured reasons
    (``summary``: code ``refusal_*``; ``reasons``: one per detail, in the same order)."""

    def __init__(self, summary: Reason, reasons: Sequence[Reason]) -> None:
        self.summary = summary
        self.reasons = tuple(reasons)
        super().__init__(summary.text, details=[r.text for r in self.reasons])

    def __reduce__(self) -> tuple[type[ListInfeasibleError], tuple[Reason, tuple[Reason, ...]]]:
        return (type(self), (self.summary, self.reasons))


def feasible(
    pool: Sequence[Candidate], ranks: Sequence[int], rules: Sequence[Rule], n: int,
    election_date: date | None, pins: Sequence[Pin] = (),
) -> bool:
    """Whether any list of ``n`` places from ``pool`` meets every enforced rule and pin."""
    problem = compile_problem(pool, ranks, rules, n, election_date, pins)
    if problem.static_errors:
        return False
    search = Search(problem)
    search.strict = True  # a feasibility question: screen every state by counts from the start
    return search.complete()


def _shortfall(rule: Rule, pool: Sequence[Candidate], n: int, election_date: date | None) -> Reason:
    if isinstance(rule, Quota):
        members = sum(1 for c in pool if rule.group.contains(c, election_date))
        who = rule.group.reason()
        if rule.bound == "min":
            need = rule.required(n) if rule.scope in ("list", "prefix") else None
            if need is not None and members < need:
                limit = limit_reason("min", need)
                return reason("shortfall_members", f"needs {limit.text} {who.text} among {n} places; the candidates "
                              f"include {members} (short by {need - members})", limit=limit, group=who, length=n,
                              members=members, short=need - members)
            return reason("shortfall_min", f"cannot be met on {n} places; the candidates include {members} "
                          f"{who.text}", length=n, members=members, group=who)
        others = len(pool) - members
        cap = rule.required(n)
        if n - cap > others:
            limit = limit_reason("max", cap)
            return reason("shortfall_others", f"allows {limit.text} {who.text} among {n} places, so needs {n - cap} "
                          f"others; the candidates include {others}", limit=limit, group=who, length=n,
                          needed=n - cap, others=others)
        return reason("shortfall_max", f"cannot be met on {n} places with these candidates", length=n)
    women = sum(1 for c in pool if c.sex == "F")
    men = len(pool) - women
    if isinstance(rule, Alternation | Balance):
        low, high = n // 2, n - n // 2
        return reason("shortfall_sexes", f"needs at least {low} of one sex and {high} of the other among {n} places; "
                      f"the candidates include {women} women and {men} men", low=low, high=high, length=n,
                      women=women, men=men)
    if isinstance(rule, MaxRun):
        return reason("shortfall_run", f"cannot be met on {n} places with {women} women and {men} men", length=n,
                      women=women, men=men)
    return reason("shortfall_other", "cannot be met")


def diagnose(
    pool: Sequence[Candidate], ranks: Sequence[int], rules: Sequence[Rule], n: int,
    election_date: date | None, pins: Sequence[Pin] = (),
) -> ListInfeasibleError:
    """Build the refusal: each rule that cannot be met and its shortfall, then the smallest relaxations."""
    enforced = [r for r in rules if r.enforce]
    details: list[Reason] = []
    if not feasible(pool, ranks, (), n, election_date, pins):
        details.append(reason("diagnosis_pins", "the pinned places cannot all be honoured on a list of this length"))
        return ListInfeasibleError(reason("refusal_impossible", f"no list of {n} places is possible", length=n),
                                   details)
    alone = [r for r in enforced if not feasible(pool, ranks, (r,), n, election_date, pins)]
    for rule in alone:
        label, short = rule_reason(rule), _shortfall(rule, pool, n, election_date)
        details.append(reason("diagnosis_rule", f"{label.text}: {short.text}", rule=label, shortfall=short))
    if not alone:
        core = list(enforced)
        for rule in list(core):
            trial = [r for r in core if r is not rule]
            if not feasible(pool, ranks, trial, n, election_date, pins):
                core = trial
        labels = tuple(rule_reason(r) for r in core)
        details.append(reason("diagnosis_conflict", "these rules cannot all be met together: "
                              + "; ".join(lb.text for lb in labels), rules=labels))
        for rule in core:
            rest = [r for r in enforced if r is not rule]
            if feasible(pool, ranks, rest, n, election_date, pins):
                label = rule_reason(rule)
                details.append(reason("relaxation_without", f"relaxation: without {label.text} a compliant list "
                                      "exists", rule=label))
    for shorter in range(n - 1, max(0, n - MAX_LENGTH_PROBES), -1):
        if feasible(pool, ranks, rules, shorter, election_date, pins):
            details.append(reason("relaxation_shorter", f"relaxation: a list of {shorter} places can comply",
                                  length=shorter))
            break
    return ListInfeasibleError(reason("refusal_no_list", f"no list of {n} places meets every rule", length=n), details)
