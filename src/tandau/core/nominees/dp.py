"""The exact solver: dynamic programming over the vector of counts the rules still need.

Every district contributes one nominee; each coordinate k of the need vector counts nominees in one group (or
outside it) and must reach ``need[k]``. Counts beyond what a rule needs change nothing, so the state after
some districts is the need that remains, each coordinate between 0 and ``need[k]``: at most ∏(need[k] + 1)
states per district, whatever the number of districts. Within a district, candidates with the same
memberships are interchangeable but for their rank, so only the best-ranked of each kind is an option.

For a large set (the whole country under a two-group rule: 940 × 627 need vectors) the same programme runs on
another state, tried when the first would exceed the budget: the gain still needed over the *base* choice
(each district's best-ranked option), coordinate by coordinate. A move away from the base changes each gain by
at most one, so if every optimal choice makes at most M moves, gains between −M and M suffice (lower values are
clamped: they cannot come back above zero in the moves left; higher ones are dead). M starts at the largest
gain needed (a lower bound on the moves); the choice found with a bound M is optimal once its moves in
districts whose base is the winner, plus the districts whose base is not, are at most M (any better choice
would make no more moves), else the programme runs again with that number as M. The state is (2M + 1)^K
instead of ∏(need + 1): for the country, about a hundred moves instead of hundreds of women and under-35s.

The cost of a nominee of primary rank ρ is (ρ > 1)·B + (ρ − 1), with B larger than any sum of (ρ − 1): one
integer orders solutions by departures, then by the sum of ranks. The backward pass computes, for every
district and remaining need, the least cost of the districts from there on, and records the best-ranked
option that attains it; the forward pass follows those records from the full need. Choosing, district by
district, the best-ranked option among those that keep the total cost optimal gives the lexicographically
smallest sequence of ranks among optimal choices (criterion 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tandau.errors import TandauError

INF = np.int64(1) << np.int64(60)
#: districts × states above which the set is refused as too large for the exact programme (one byte each)
MAX_WORK = 150_000_000


class SetTooLargeError(TandauError):
    """The set needs more states than the exact programme allows; select by council or region instead."""

    def __init__(self, districts: int, states: int) -> None:
        self.districts = districts
        self.states = states
        super().__init__(f"{districts} districts × {states} need vectors exceed the exact selection's budget of "
                         f"{MAX_WORK:,}; select by council or region (smaller sets), or with fewer rules")


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate a district may nominate: its primary ``rank`` (1: the winner), ``index`` in the district's
    ranking, and ``flags``: 1 for each coordinate of the need vector it counts toward."""

    rank: int
    index: int
    flags: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Solution:
    """``picks``: the chosen option of each district (None if no choice meets the need); ``reachable``: for every
    need vector r ≤ need, whether some choice meets r (read by the diagnosis; None when the large-set programme
    ran); ``states``: states × districts examined."""

    picks: tuple[Option, ...] | None
    reachable: npt.NDArray[np.bool_] | None
    states: int


def reduce_options(options: Sequence[Option]) -> tuple[Option, ...]:
    """The best-ranked option of each kind (same flags), in rank order."""
    seen: set[tuple[int, ...]] = set()
    out = []
    for opt in sorted(options, key=lambda o: o.rank):
        if opt.flags not in seen:
            seen.add(opt.flags)
            out.append(opt)
    return tuple(out)


Shift = Callable[[npt.NDArray[np.int64], int, Option], npt.NDArray[np.int64]]
Step = Callable[[tuple[int, ...], int, Option], tuple[int, ...]]


def _programme(options: Sequence[tuple[Option, ...]], terminal: npt.NDArray[np.int64], shift: Shift, step: Step,
               start: tuple[int, ...], key: Callable[[int, Option], tuple[int, ...]]) -> tuple[
                   tuple[Option, ...] | None, npt.NDArray[np.int64]]:
    """Backward over the districts: the least cost from each state on, and the best-ranked option attaining it;
    then forward from ``start``. ``shift(costs, d, option)`` gives, at every state, the cost from the state the
    option leads to; ``key(d, option)`` identifies options with the same shift (computed once)."""
    big = sum(max((o.rank for o in d), default=1) for d in options) + 1
    kind = np.int8 if max((len(d) for d in options), default=0) < 127 else np.int32
    nxt = terminal
    records: list[npt.NDArray[np.integer[Any]]] = []
    for d in reversed(range(len(options))):
        cur = np.full(terminal.shape, INF, dtype=np.int64)
        record = np.zeros(terminal.shape, dtype=kind)
        shifted_by: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        for j, opt in enumerate(options[d]):
            k = key(d, opt)
            shifted = shifted_by.get(k)
            if shifted is None:
                shifted = shifted_by[k] = shift(nxt, d, opt)
            cost = shifted + ((opt.rank > 1) * big + opt.rank - 1)
            better = cost < cur
            cur = np.where(better, cost, cur)
            record = np.where(better, kind(j), record)
        nxt = np.minimum(cur, INF)
        records.append(record)
    records.reverse()
    if nxt[start] >= INF:
        return None, nxt
    picks = []
    state = start
    for d, record in enumerate(records):
        opt = options[d][int(record[state])]
        picks.append(opt)
        state = step(state, d, opt)
    return tuple(picks), nxt


def solve(districts: Sequence[Sequence[Option]], need: Sequence[int], method: str = "auto") -> Solution:
    """The optimal choice (departures, then sum of ranks, then lexicographic ranks) meeting ``need``.

    ``method``: ``counts`` (the need vector), ``moves`` (gains over the base choice, for large sets) or ``auto``
    (counts when within the budget)."""
    options = [reduce_options(d) for d in districts]
    size = int(np.prod([n + 1 for n in need], dtype=np.int64))
    if method == "counts" or (method == "auto" and size * max(len(options), 1) <= MAX_WORK):
        return _by_counts(options, need)
    return _by_moves(options, need)


def _by_counts(options: Sequence[tuple[Option, ...]], need: Sequence[int]) -> Solution:
    shape = tuple(n + 1 for n in need)
    size = int(np.prod(shape, dtype=np.int64))
    if size * max(len(options), 1) > MAX_WORK:
        raise SetTooLargeError(len(options), size)
    down = [np.maximum(np.arange(n + 1) - 1, 0) for n in need]
    terminal = np.full(shape, INF, dtype=np.int64)
    terminal[(0,) * len(need)] = 0

    def shift(costs: npt.NDArray[np.int64], d: int, opt: Option) -> npt.NDArray[np.int64]:
        for k, flag in enumerate(opt.flags):
            if flag and need[k] > 0:
                costs = np.take(costs, down[k], axis=k)
        return costs

    def step(state: tuple[int, ...], d: int, opt: Option) -> tuple[int, ...]:
        return tuple(max(s - f, 0) for s, f in zip(state, opt.flags, strict=True))

    picks, first = _programme(options, terminal, shift, step, tuple(need), lambda d, o: o.flags)
    return Solution(picks, first < INF, size * len(options))


def _by_moves(options: Sequence[tuple[Option, ...]], need: Sequence[int]) -> Solution:
    if any(not d for d in options):
        return Solution(None, None, 0)
    base = [d[0] for d in options]
    gap = [n - sum(b.flags[k] for b in base) for k, n in enumerate(need)]  # gain still needed over the base
    others = sum(1 for d in options if d[0].rank > 1 and len(d) > 1)
    bound = max([1, *gap])
    examined = 0
    while True:
        live = [k for k in range(len(need)) if gap[k] + bound > 0]  # others hold under any `bound` moves
        tops = [min(bound, gap[k] + bound) for k in live]
        shape = tuple(top + bound + 1 for top in tops)  # index i is the gain still needed i − bound
        size = int(np.prod(shape, dtype=np.int64))
        if size * len(options) > MAX_WORK:
            raise SetTooLargeError(len(options), size)
        examined += size * len(options)
        terminal = np.full(shape, INF, dtype=np.int64)
        terminal[tuple(slice(0, bound + 1) for _ in live)] = 0

        def delta(d: int, opt: Option, live: list[int] = live) -> tuple[int, ...]:
            return tuple(opt.flags[k] - base[d].flags[k] for k in live)

        def shift(costs: npt.NDArray[np.int64], d: int, opt: Option, live: list[int] = live) -> npt.NDArray[np.int64]:
            for axis, change in enumerate(delta(d, opt, live)):
                n = costs.shape[axis]
                if change > 0:  # one less still needed; at the floor, clamped
                    costs = np.take(costs, np.maximum(np.arange(n) - 1, 0), axis=axis)
                elif change < 0:  # one more still needed; beyond the top, dead
                    pad = np.full((*costs.shape[:axis], 1, *costs.shape[axis + 1:]), INF, dtype=np.int64)
                    costs = np.take(np.concatenate([costs, pad], axis=axis), np.arange(n) + 1, axis=axis)
            return costs

        def step(state: tuple[int, ...], d: int, opt: Option, live: list[int] = live) -> tuple[int, ...]:
            return tuple(max(s - c, 0) for s, c in zip(state, delta(d, opt, live), strict=True))

        start = tuple(max(gap[k], -bound) + bound for k in live)
        if any(s >= n for s, n in zip(start, shape, strict=True)):
            picks = None
        else:
            picks, _ = _programme(options, terminal, shift, step, start, delta)
        if picks is not None:
            moves = sum(1 for d, p in enumerate(picks) if p is not options[d][0] and options[d][0].rank == 1)
            if moves + others <= bound:
                return Solution(picks, None, examined)
            bound = moves + others
        elif bound >= len(options):
            return Solution(None, None, examined)
        else:
            bound = min(2 * bound, len(options))
