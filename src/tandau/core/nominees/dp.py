"""The exact solver: dynamic programming over the vector of counts the rules still need.

Every district contributes one nominee; each coordinate k of the need vector counts nominees in one group (or
outside it) and must reach ``need[k]``. Counts beyond what a rule needs change nothing, so the state after
some districts is the need that remains, each coordinate between 0 and ``need[k]``: at most ∏(need[k] + 1)
states per district, whatever the number of districts. Within a district, candidates with the same
memberships are interchangeable but for their rank, so only the best-ranked of each kind is an option.

The cost of a nominee of primary rank ρ is (ρ > 1)·B + (ρ − 1), with B larger than any sum of (ρ − 1): one
integer orders solutions by departures, then by the sum of ranks. The backward pass computes, for every
district and remaining need, the least cost of the districts from there on, and records the best-ranked
option that attains it; the forward pass follows those records from the full need. Choosing, district by
district, the best-ranked option among those that keep the total cost optimal gives the lexicographically
smallest sequence of ranks among optimal choices (criterion 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandau.errors import TandauError

INF = np.int64(1) << np.int64(60)
#: districts × need vectors above which the set is refused as too large for the exact programme
MAX_WORK = 60_000_000


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
    need vector r ≤ need, whether some choice meets r (read by the diagnosis); ``states``: need vectors × districts."""

    picks: tuple[Option, ...] | None
    reachable: npt.NDArray[np.bool_]
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


def solve(districts: Sequence[Sequence[Option]], need: Sequence[int]) -> Solution:
    """The optimal choice (departures, then sum of ranks, then lexicographic ranks) meeting ``need``."""
    shape = tuple(n + 1 for n in need)
    size = int(np.prod(shape, dtype=np.int64))
    if size * max(len(districts), 1) > MAX_WORK:
        raise SetTooLargeError(len(districts), size)
    options = [reduce_options(d) for d in districts]
    big = sum(max((o.rank for o in d), default=1) for d in options) + 1
    down = [np.maximum(np.arange(n + 1) - 1, 0) for n in need]
    nxt = np.full(shape, INF, dtype=np.int64)
    nxt[(0,) * len(need)] = 0
    records: list[npt.NDArray[np.int8]] = []
    for opts in reversed(options):
        cur = np.full(shape, INF, dtype=np.int64)
        record = np.zeros(shape, dtype=np.int8)
        shifted_by: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        for j, opt in enumerate(opts):
            shifted = shifted_by.get(opt.flags)
            if shifted is None:
                shifted = nxt
                for k, flag in enumerate(opt.flags):
                    if flag and need[k] > 0:
                        shifted = np.take(shifted, down[k], axis=k)
                shifted_by[opt.flags] = shifted
            cost = shifted + ((opt.rank > 1) * big + opt.rank - 1)
            better = cost < cur
            cur = np.where(better, cost, cur)
            record = np.where(better, np.int8(j), record)
        nxt = np.minimum(cur, INF)
        records.append(record)
    records.reverse()
    reachable = nxt < INF
    start = tuple(need)
    if not reachable[start]:
        return Solution(None, reachable, size * len(options))
    picks = []
    state = list(start)
    for opts, record in zip(options, records, strict=True):
        opt = opts[int(record[tuple(state)])]
        picks.append(opt)
        state = [max(s - f, 0) for s, f in zip(state, opt.flags, strict=True)]
    return Solution(tuple(picks), reachable, size * len(options))
