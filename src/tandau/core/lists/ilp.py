"""An independent exact solver: the lexicographic list by integer programming (SciPy's HiGHS).

It shares no code with :mod:`tandau.core.lists.search`: it builds a 0/1 assignment model (x[i, k] = candidate
i at place k) straight from the rule definitions (the stretches of places each rule constrains, as the
independent checker reads them) and fixes the list place by place, each time minimising the vote rank at
place k subject to the existence of a compliant completion. Slower than the search; used to
cross-check it (benchmarks/bench_lists.py and the property tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from tandau.core.candidates import Candidate
from tandau.core.rules.check import stretches
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule


def _list_only(rules: Sequence[Rule]) -> bool:
    return all(isinstance(r, Quota) and r.scope == "list" for r in rules if r.enforce)


def _lexicographic_sets(
    ordered: Sequence[Candidate], rules: Sequence[Rule], n: int, election_date: date | None
) -> list[int] | None:
    """Whole-list quotas only: order does not matter to the rules, so each place k solves a set model:
    y_i = 1 if candidate i fills one of places k..n, z_i = 1 if i takes place k; minimise the rank at k.
    A quota that does not bind a list of ``n`` places (``Quota.applies``: ``min_length``) is left out."""
    m = len(ordered)
    quotas = [r for r in rules if isinstance(r, Quota) and r.enforce and r.applies(n)]
    flags = [np.array([r.group.contains(c, election_date) for c in ordered], dtype=float) for r in quotas]
    placed = np.zeros(m)
    chosen: list[int] = []
    cost = np.concatenate([np.zeros(m), np.arange(1, m + 1, dtype=float)])
    for k in range(1, n + 1):
        rows = [np.concatenate([np.ones(m), np.zeros(m)]), np.concatenate([np.zeros(m), np.ones(m)])]
        lo, hi = [float(n - k + 1), 1.0], [float(n - k + 1), 1.0]
        for rule, f in zip(quotas, flags, strict=True):
            have = float(f @ placed)
            rows.append(np.concatenate([f, np.zeros(m)]))
            if rule.bound == "min":
                lo.append(rule.required(n) - have)
                hi.append(np.inf)
            else:
                lo.append(-np.inf)
                hi.append(rule.required(n) - have)
        link = np.hstack([-np.eye(m), np.eye(m)])  # z_i ≤ y_i
        matrix = np.vstack([np.vstack(rows), link])
        lo_all = np.concatenate([lo, np.full(m, -np.inf)])
        hi_all = np.concatenate([hi, np.zeros(m)])
        upper = np.concatenate([1 - placed, 1 - placed])
        res = milp(cost, constraints=LinearConstraint(matrix, lo_all, hi_all), integrality=np.ones(2 * m),
                   bounds=Bounds(np.zeros(2 * m), upper))
        if res.x is None:
            return None
        pick = int(np.argmax(res.x[m:]))
        chosen.append(pick)
        placed[pick] = 1
    return chosen


def lexicographic_ilp(
    ordered: Sequence[Candidate], rules: Sequence[Rule], n: int, election_date: date | None
) -> list[int] | None:
    """Indices into ``ordered`` (vote order, best first) of the lexicographic list; None if infeasible."""
    if _list_only(rules):
        return _lexicographic_sets(ordered, rules, n, election_date)
    m = len(ordered)
    nv = m * n

    def var(i: int, k: int) -> int:  # k is 1-based
        return i * n + (k - 1)

    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coef: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(nv)
        for j, v in coef.items():
            row[j] += v
        rows.append(row)
        lo.append(low)
        hi.append(high)

    for k in range(1, n + 1):
        add({var(i, k): 1 for i in range(m)}, 1, 1)
    for i in range(m):
        add({var(i, k): 1 for k in range(1, n + 1)}, 0, 1)
    sexes = [c.sex for c in ordered]
    for rule in rules:
        if not rule.enforce:
            continue
        if isinstance(rule, Quota):
            members = [i for i, c in enumerate(ordered) if rule.group.contains(c, election_date)]
            for first, last, bound in stretches(rule, n):
                coef = {var(i, k): 1.0 for i in members for k in range(first, last + 1)}
                if rule.bound == "min":
                    add(coef, bound, np.inf)
                else:
                    add(coef, -np.inf, bound)
        elif isinstance(rule, MaxRun | Alternation):
            limit = 1 if isinstance(rule, Alternation) else rule.length
            for sex in ("F", "M"):
                members = [i for i in range(m) if sexes[i] == sex]
                for first in range(1, n - limit + 1):
                    add({var(i, k): 1.0 for i in members for k in range(first, first + limit + 1)}, -np.inf, limit)
            if isinstance(rule, Alternation) and rule.start is not None:
                add({var(i, 1): 1.0 for i in range(m) if sexes[i] == rule.start}, 1, 1)
        elif isinstance(rule, Balance):
            coef = {var(i, k): (1.0 if sexes[i] == "F" else -1.0) for i in range(m) for k in range(1, n + 1)}
            add(coef, -rule.gap, rule.gap)
    matrix = np.vstack(rows)
    lower = np.zeros(nv)
    upper = np.ones(nv)
    chosen: list[int] = []
    for k in range(1, n + 1):
        cost = np.zeros(nv)
        for i in range(m):
            cost[var(i, k)] = i + 1
        res = milp(cost, constraints=LinearConstraint(matrix, lo, hi), integrality=np.ones(nv),
                   bounds=Bounds(lower, upper))
        if res.x is None:
            return None
        pick = int(np.argmax([res.x[var(i, k)] for i in range(m)]))
        chosen.append(pick)
        lower[var(pick, k)] = 1
    return chosen
