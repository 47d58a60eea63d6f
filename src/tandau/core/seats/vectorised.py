"""Many allocations at once (numpy), exact: integer largest remainders, certified float divisor methods.

Largest remainder: ``divmod(votes·den, num)`` in int64 for every case at once. Divisor methods (``k + θ``
divisors): divisor estimate, vectorised fix-up, then the same certificate as :mod:`tandau.core.seats.divisor`
(last winning quotient above the first losing one by more than 10⁻¹² relative). Every case that cannot be
settled this way (a tie at the boundary, a degenerate quota, values too large for int64, no certificate) is
recomputed by the exact scalar method, so results are identical to :func:`tandau.core.seats.allocate_fast`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tandau.core.seats.registry import get_method

_THETA = {"dhondt": 1.0, "sainte-lague": 0.5, "danish": 1 / 3, "imperiali": 2.0}
_QUOTA = {"hare": 0, "hagenbach-bischoff": 1, "imperiali-quota": 2, "droop": -1}
_EPS = 1e-12
_MAX_FIXUPS = 40


def _pad(cases: Sequence[tuple[Sequence[int], int]]) -> tuple[Any, Any, Any]:
    width = max(len(v) for v, _ in cases)
    votes = np.zeros((len(cases), width), dtype=np.int64)
    for r, (v, _) in enumerate(cases):
        votes[r, : len(v)] = [min(x, 2**62) for x in v] if max(v) >= 2**62 else v  # flagged, then exact
    real = np.arange(width)[None, :] < np.array([len(v) for v, _ in cases])[:, None]
    return votes, np.array([h for _, h in cases], dtype=np.int64), real


def _largest_remainder(method: str, votes: Any, house: Any, real: Any) -> tuple[Any, Any]:
    n_rows, width = votes.shape
    total = votes.sum(axis=1)
    count = real.sum(axis=1)
    offset = _QUOTA[method]
    if offset < 0:  # Droop: integer quota floor(V/(S+1)) + 1
        num, den = total // (house + 1) + 1, np.ones_like(house)
    else:
        num, den = total, house + offset
    t = votes * den[:, None]
    whole = t // num[:, None]
    rem = np.where(real, t - whole * num[:, None], -1)  # lists not taking part rank last
    left = house - whole.sum(axis=1)
    bad = (left < 0) | (left >= count)
    ascending = np.sort(rem, axis=1)
    rows = np.arange(n_rows)
    cut = np.clip(width - left, 1, width - 1)  # the left-th largest remainder, and the next one below it
    seats = whole + ((rem >= ascending[rows, cut][:, None]) & (left > 0)[:, None])
    bad |= (left > 0) & (ascending[rows, cut] == ascending[rows, cut - 1])  # a tie at the boundary
    return seats, bad


def _divisor(method: str, votes: Any, house: Any, real: Any) -> tuple[Any, Any]:
    theta = _THETA[method]
    fv = np.where(real, votes.astype(float), 0.0)
    scale = (house + (theta - 0.5) * real.sum(axis=1)) / fv.sum(axis=1)
    seats = np.where(real, np.maximum(np.ceil(fv * scale[:, None] - theta), 0), 0).astype(np.int64)
    active = np.arange(len(votes))
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_MAX_FIXUPS):  # one seat moved per row and round, only on rows still moving
            if not active.size:
                break
            s, f = seats[active], fv[active]
            nx = np.where(real[active], f / (s + theta), -1.0)
            la = np.where(s > 0, f / (s - 1 + theta), np.inf)
            i, j = nx.argmax(axis=1), la.argmin(axis=1)
            k = np.arange(len(active))
            top, bottom = nx[k, i], la[k, j]
            diff = house[active] - s.sum(axis=1)
            swap = (diff == 0) & (top > bottom * (1 + _EPS)) & np.isfinite(bottom)
            add, sub = (diff > 0) | swap, (diff < 0) | swap
            seats[active[add], i[add]] += 1
            seats[active[sub], j[sub]] -= 1
            active = active[add | sub]
        nx = np.where(real, fv / (seats + theta), -1.0)
        la = np.where(seats > 0, fv / (seats - 1 + theta), np.inf)
    top, bottom = nx.max(axis=1), la.min(axis=1)
    bad = (seats.sum(axis=1) != house) | ~(top < bottom * (1 - _EPS)) | (top <= 0)
    return seats, bad


def allocate_arrays(method: str, votes: Any, house: Any, real: Any) -> tuple[Any, Any]:
    """Seats for every row of an int64 ``votes`` matrix, only the parties where ``real`` is true taking part.

    Returns ``(seats, unsettled)``: rows flagged unsettled (ties at the boundary, no certificate, values too large
    for int64, no votes) must be recomputed by the exact scalar method on the parties taking part. Entries of
    ``votes`` outside ``real`` must be 0.
    """
    if method not in _THETA and method not in _QUOTA:
        return np.zeros_like(votes), np.ones(len(votes), dtype=bool)
    width = max(votes.shape[1], 1)
    big = votes.max(axis=1, initial=0) >= 2**62 // (int(house.max(initial=0)) + 3) // width
    if method in _QUOTA:
        seats, bad = _largest_remainder(method, votes, house, real)
    else:
        seats, bad = _divisor(method, votes, house, real)
    return seats, bad | big | (votes.sum(axis=1) == 0)


def allocate_many(cases: Sequence[tuple[Sequence[int], int]], method: str) -> list[list[int]]:
    """Seats for every ``(votes, house)`` case by ``method``, identical to ``allocate_fast`` (ties: registration order).

    >>> allocate_many([([100, 80, 30], 5), ([47, 16, 15, 12, 6, 4], 10)], "hare")
    [[2, 2, 1], [5, 2, 1, 1, 1, 0]]
    """
    m = get_method(method)
    if not cases:
        return []
    if method not in _THETA and method not in _QUOTA:
        return [m.fast(v, h) for v, h in cases]
    votes, house, real = _pad(cases)
    seats, bad = allocate_arrays(method, votes, house, real)
    out = [row[: len(v)] for row, (v, _) in zip(seats.tolist(), cases, strict=True)]
    for r in np.flatnonzero(bad).tolist():
        out[r] = m.fast(cases[r][0], cases[r][1])
    return out
