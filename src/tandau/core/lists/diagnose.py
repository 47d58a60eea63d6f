"""Why no compliant list exists, and the smallest relaxation that would make one exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import Pin, compile_problem
from tandau.core.lists.search import Search
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule, rule_label
from tandau.errors import InfeasibleError

MAX_LENGTH_PROBES = 60


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


def _shortfall(rule: Rule, pool: Sequence[Candidate], n: int, election_date: date | None) -> str:
    if isinstance(rule, Quota):
        members = sum(1 for c in pool if rule.group.contains(c, election_date))
        who = rule.group.describe()
        if rule.bound == "min":
            need = rule.required(n) if rule.scope in ("list", "prefix") else None
            if need is not None and members < need:
                return f"needs at least {need} {who} among {n} places; the candidates include {members} " \
                       f"(short by {need - members})"
            return f"cannot be met on {n} places; the candidates include {members} {who}"
        others = len(pool) - members
        cap = rule.required(n)
        if n - cap > others:
            return f"allows at most {cap} {who} among {n} places, so needs {n - cap} others; the candidates " \
                   f"include {others}"
        return f"cannot be met on {n} places with these candidates"
    women = sum(1 for c in pool if c.sex == "F")
    men = len(pool) - women
    if isinstance(rule, Alternation | Balance):
        low, high = n // 2, n - n // 2
        return f"needs at least {low} of one sex and {high} of the other among {n} places; the candidates " \
               f"include {women} women and {men} men"
    if isinstance(rule, MaxRun):
        return f"cannot be met on {n} places with {women} women and {men} men"
    return "cannot be met"


def diagnose(
    pool: Sequence[Candidate], ranks: Sequence[int], rules: Sequence[Rule], n: int,
    election_date: date | None, pins: Sequence[Pin] = (),
) -> InfeasibleError:
    """Build the refusal: each rule that cannot be met and its shortfall, then the smallest relaxations."""
    enforced = [r for r in rules if r.enforce]
    details: list[str] = []
    if not feasible(pool, ranks, (), n, election_date, pins):
        details.append("the pinned places cannot all be honoured on a list of this length")
        return InfeasibleError(f"no list of {n} places is possible", details=details)
    alone = [r for r in enforced if not feasible(pool, ranks, (r,), n, election_date, pins)]
    for rule in alone:
        details.append(f"{rule_label(rule)}: {_shortfall(rule, pool, n, election_date)}")
    if not alone:
        core = list(enforced)
        for rule in list(core):
            trial = [r for r in core if r is not rule]
            if not feasible(pool, ranks, trial, n, election_date, pins):
                core = trial
        details.append("these rules cannot all be met together: " + "; ".join(rule_label(r) for r in core))
        for rule in core:
            rest = [r for r in enforced if r is not rule]
            if feasible(pool, ranks, rest, n, election_date, pins):
                details.append(f"relaxation: without {rule_label(rule)} a compliant list exists")
    for shorter in range(n - 1, max(0, n - MAX_LENGTH_PROBES), -1):
        if feasible(pool, ranks, rules, shorter, election_date, pins):
            details.append(f"relaxation: a list of {shorter} places can comply")
            break
    return InfeasibleError(f"no list of {n} places meets every rule", details=details)
