"""An independent exact solver: nominee selection by integer programming (SciPy's HiGHS), the oracle of the
dynamic programme.

It shares no code with :mod:`tandau.core.nominees.dp` or its compilation of the rules: a 0/1 variable per
(district, candidate), one nominee per district, and each whole-set rule written straight from its definition
(``Quota.required`` of the set's size; balance as |women − men| ≤ gap) over the nominees and the list
candidates counted with them. The objective is solved in stages: departures, then the sum of ranks with the
departures fixed, then district by district the smallest rank that keeps both optimal.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from tandau.core.nominees.model import NomineeRequest
from tandau.core.rules.model import Balance, Quota


def select_ilp(request: NomineeRequest) -> tuple[int, ...] | None:
    """The primary ranks of the optimal nominees in district order, or None if no choice meets the rules."""
    rankings = [d.ranking() for d in request.districts]
    pins = dict(request.pins)
    var: list[tuple[int, int]] = [(d, i) for d, r in enumerate(rankings) for i in range(len(r))]
    nv = len(var)
    if nv == 0:
        return () if not rankings else None
    upper = np.ones(nv)
    for j, (d, i) in enumerate(var):
        cand = rankings[d][i]
        pinned = pins.get(request.districts[d].id)
        if cand.id in request.exclude or (pinned is not None and pinned != cand.id):
            upper[j] = 0
    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    for d in range(len(rankings)):
        rows.append(np.array([1.0 if vd == d else 0.0 for vd, _ in var]))
        lo.append(1)
        hi.append(1)
    n = len(rankings) + len(request.also_counted)
    day = request.election_date
    for rule in request.rules:
        if not rule.enforce:
            continue
        if isinstance(rule, Quota) and rule.scope == "list" and rule.applies(n):
            row = np.array([1.0 if rule.group.contains(rankings[d][i], day) else 0.0 for d, i in var])
            fixed = sum(1 for c in request.also_counted if rule.group.contains(c, day))
            bound = rule.required(n) - fixed
            rows.append(row)
            lo.append(bound if rule.bound == "min" else -np.inf)
            hi.append(np.inf if rule.bound == "min" else bound)
        elif isinstance(rule, Balance):
            row = np.array([1.0 if rankings[d][i].sex == "F" else -1.0 for d, i in var])
            fixed = sum(1 if c.sex == "F" else -1 for c in request.also_counted)
            rows.append(row)
            lo.append(-rule.gap - fixed)
            hi.append(rule.gap - fixed)
    ranks = np.array([i + 1 for _, i in var], dtype=float)
    stages = [(ranks > 1).astype(float), ranks - 1]

    def solve(cost: np.ndarray, extra: list[tuple[np.ndarray, float, float]]) -> np.ndarray | None:
        matrix = np.vstack(rows + [r for r, _, _ in extra])
        lows = lo + [a for _, a, _ in extra]
        highs = hi + [b for _, _, b in extra]
        res = milp(cost, constraints=LinearConstraint(matrix, lows, highs), integrality=np.ones(nv),
                   bounds=Bounds(np.zeros(nv), upper))
        return None if res.x is None else np.round(res.x)

    fixed_stages: list[tuple[np.ndarray, float, float]] = []
    x: np.ndarray | None = None
    for cost in stages:
        x = solve(cost, fixed_stages)
        if x is None:
            return None
        best = float(cost @ x)
        fixed_stages.append((cost, -np.inf, best + 0.5))
    if x is None:
        return None

    def unit(j: int) -> np.ndarray:
        row = np.zeros(nv)
        row[j] = 1.0
        return row

    for d in range(len(rankings)):
        current = next(i for j, (vd, i) in enumerate(var) if vd == d and x[j] > 0.5)
        for i in range(current):
            j = var.index((d, i))
            if upper[j] == 0:
                continue
            trial = solve(np.zeros(nv), [*fixed_stages, (unit(j), 1.0, 1.0)])
            if trial is not None:
                x = trial
                break
        chosen = next(j for j, (vd, _) in enumerate(var) if vd == d and x[j] > 0.5)
        fixed_stages.append((unit(chosen), 1.0, 1.0))
    return tuple(i + 1 for d in range(len(rankings)) for j, (vd, i) in enumerate(var) if vd == d and x[j] > 0.5)
