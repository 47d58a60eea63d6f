"""Compiles a rule set and a candidate pool into the tables the list engine searches over.

Candidates that every rule treats alike share a *type* (their membership in every group the rules name,
plus their sex). Any two candidates of one type are interchangeable for compliance, so a list is a sequence
of types, filled within each type in vote order. Count rules over the list, its prefixes and its first places
become per-group bounds ``lo[g][k] ≤ count of g in places 1..k ≤ hi[g][k]``, tightened to a fixed point;
blocks, windows and runs are checked locally on the last places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.rules.groups import MEN, WOMEN, Group
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule


@dataclass(frozen=True, slots=True)
class Pin:
    """A candidate fixed at ``position``, or placed somewhere within the first ``within`` places."""

    candidate_id: str
    position: int | None = None
    within: int | None = None


@dataclass(slots=True)
class LocalRule:
    """A block or window rule on one group: ``lo ≤ count ≤ hi`` over each stretch."""

    group: int
    kind: str  # "block" or "window"
    size: int
    lo_full: int
    hi_full: int
    source: int
    partial_lo: dict[int, int] = field(default_factory=dict)
    partial_hi: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class Problem:
    """Everything the search needs, as plain lists of ints."""

    n: int
    groups: list[Group]
    type_members: list[tuple[bool, ...]]
    type_sex: list[str]
    type_ranks: list[list[int]]  # vote ranks (1 = most votes) of each type's candidates, ascending
    type_cands: list[list[int]]  # candidate indices (into the pool) in the same order
    pin_window: list[tuple[int, int] | None]
    lo: list[list[int]]
    hi: list[list[int]]
    lo_src: list[list[int]]  # index of the rule that set lo[g][k] (-1: none)
    hi_src: list[list[int]]
    local: list[LocalRule]
    run_limit: int
    run_src: int
    tail: int
    static_errors: list[tuple[int, str]]  # (rule index, message) found before any search
    n_rules: int


def _group_index(groups: list[Group], group: Group) -> int:
    for i, g in enumerate(groups):
        if g == group:
            return i
    groups.append(group)
    return len(groups) - 1


def _set_lo(p: Problem, g: int, k: int, value: int, src: int) -> None:
    if value > p.lo[g][k]:
        p.lo[g][k] = value
        p.lo_src[g][k] = src


def _set_hi(p: Problem, g: int, k: int, value: int, src: int) -> None:
    if value < p.hi[g][k]:
        p.hi[g][k] = value
        p.hi_src[g][k] = src


def _add_quota(p: Problem, rule: Quota, src: int) -> None:
    n = p.n
    if not rule.applies(n):
        return
    g = _group_index(p.groups, rule.group)
    while len(p.lo) < len(p.groups):
        p.lo.append([0] * (n + 1))
        p.hi.append(list(range(n + 1)))
        p.lo_src.append([-1] * (n + 1))
        p.hi_src.append([-1] * (n + 1))
    setter = _set_lo if rule.bound == "min" else _set_hi
    if rule.scope == "list":
        setter(p, g, n, rule.required(n), src)
    elif rule.scope == "first":
        size = min(rule.size or n, n)
        setter(p, g, size, rule.required(size), src)
    elif rule.scope == "prefix":
        for k in range(max(rule.start, 1), n + 1):
            setter(p, g, k, rule.required(k), src)
    else:
        size = rule.size or n
        big = n + 1
        local = LocalRule(g, rule.scope, size, 0, big, src)
        if rule.bound == "min":
            local.lo_full = rule.required(size)
        else:
            local.hi_full = rule.required(size)
        for places in range(1, size):
            if rule.bound == "min":
                local.partial_lo[places] = rule.required_partial(places)
            else:
                local.partial_hi[places] = rule.required_partial(places)
        p.local.append(local)


def _propagate(p: Problem) -> None:
    n = p.n
    for g in range(len(p.groups)):
        lo, hi = p.lo[g], p.hi[g]
        for k in range(n - 1, -1, -1):
            if lo[k + 1] - 1 > lo[k]:
                lo[k] = lo[k + 1] - 1
                p.lo_src[g][k] = p.lo_src[g][k + 1]
            if hi[k + 1] < hi[k]:
                hi[k] = hi[k + 1]
                p.hi_src[g][k] = p.hi_src[g][k + 1]
        for k in range(1, n + 1):
            if lo[k - 1] > lo[k]:
                lo[k] = lo[k - 1]
                p.lo_src[g][k] = p.lo_src[g][k - 1]
            if hi[k - 1] + 1 < hi[k]:
                hi[k] = hi[k - 1] + 1
                p.hi_src[g][k] = p.hi_src[g][k - 1]


def compile_problem(
    pool: Sequence[Candidate],
    ranks: Sequence[int],
    rules: Sequence[Rule],
    n: int,
    election_date: date | None,
    pins: Sequence[Pin] = (),
) -> Problem:
    """Build the search tables for a list of ``n`` places from ``pool`` (vote ranks given) under ``rules``."""
    p = Problem(n, [], [], [], [], [], [], [], [], [], [], [], 0, -1, 0, [], len(rules))
    for src, rule in enumerate(rules):
        if not rule.enforce:
            continue
        if isinstance(rule, Quota):
            _add_quota(p, rule, src)
        elif isinstance(rule, MaxRun | Alternation):
            limit = 1 if isinstance(rule, Alternation) else rule.length
            if p.run_limit == 0 or limit < p.run_limit:
                p.run_limit, p.run_src = limit, src
            if isinstance(rule, Alternation) and rule.start is not None and n > 0:
                _add_quota(p, Quota(WOMEN if rule.start == "F" else MEN, count=1, scope="first", size=1), src)
        elif isinstance(rule, Balance):
            _add_quota(p, Quota(WOMEN, count=-((rule.gap - n) // 2)), src)  # women ≥ ⌈(n-gap)/2⌉
            _add_quota(p, Quota(WOMEN, bound="max", count=(n + rule.gap) // 2), src)
    _propagate(p)
    for g, group in enumerate(p.groups):
        if p.lo[g][n] > p.hi[g][n] or any(p.lo[g][k] > p.hi[g][k] for k in range(n + 1)):
            k = next(k for k in range(n + 1) if p.lo[g][k] > p.hi[g][k])
            src = max(p.lo_src[g][k], p.hi_src[g][k])
            p.static_errors.append((src, f"the rules ask places 1–{k} to hold at least {p.lo[g][k]} and at most "
                                         f"{p.hi[g][k]} {group.describe()}"))
    pinned = {pin.candidate_id: pin for pin in pins}
    by_signature: dict[tuple[tuple[bool, ...], str], int] = {}
    order = sorted(range(len(pool)), key=lambda i: ranks[i])
    for i in order:
        cand = pool[i]
        members = tuple(group.contains(cand, election_date) for group in p.groups)
        pin = pinned.get(cand.id)
        if pin is not None:
            t = len(p.type_members)
            first = pin.position if pin.position is not None else 1
            last = pin.position if pin.position is not None else min(pin.within or n, n)
            p.pin_window.append((first, last))
        else:
            key = (members, cand.sex)
            if key in by_signature:
                t = by_signature[key]
                p.type_ranks[t].append(ranks[i])
                p.type_cands[t].append(i)
                continue
            t = by_signature[key] = len(p.type_members)
            p.pin_window.append(None)
        p.type_members.append(members)
        p.type_sex.append(cand.sex)
        p.type_ranks.append([ranks[i]])
        p.type_cands.append([i])
    widths = [r.size - 1 for r in p.local] + [p.run_limit]
    p.tail = max(widths) if widths else 0
    return p
