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
        votes[r, : len(v)] = v
    real = np.arange(width)[None, :] < np.array([len(v) for v, _ in cases])[:, None]
    return votes, np.array([h for _, h in cases], dtype=np.int64), real


def _largest_remainder(method: str, votes: Any, house: Any) -> tuple[Any, Any]:
    n_rows, width = votes.shape
    total = votes.sum(axis=1)
    offset = _QUOTA[method]
    if offset < 0:  # Droop: integer quota floor(V/(S+1)) + 1
        num, den = total // (house + 1) + 1, np.ones_like(house)
    else:
        num, den = total, house + offset
    t = votes * den[:, None]
    whole = t // num[:, None]
    rem = t - whole * num[:, None]
    left = house - whole.sum(axis=1)
    order = np.argsort(-rem, axis=1, kind="stable")
    sorted_rem = np.take_along_axis(rem, order, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(width), order.shape), axis=1)
    seats = whole + (ranks < left[:, None])
    bad = (left < 0) | (left >= width)
    inner = (left > 0) & ~bad
    idx = np.clip(left, 1, width - 1)
    rows = np.arange(n_rows)
    bad |= inner & (sorted_rem[rows, idx - 1] == sorted_rem[rows, idx])
    return seats, bad


def _divisor(method: str, votes: Any, house: Any, real: Any) -> tuple[Any, Any]:
    theta = _THETA[method]
    fv = votes.astype(float)
    n = real.sum(axis=1)
    scale = (house + (theta - 0.5) * n) / fv.sum(axis=1)
    seats = np.maximum(np.ceil(fv * scale[:, None] - theta), 0).astype(np.int64)
    seats[~real] = 0
    rows = np.arange(len(votes))
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_MAX_FIXUPS):
            nx = np.where(real, fv / (seats + theta), -1.0)
            la = np.where(seats > 0, fv / (seats - 1 + theta), np.inf)
            i, j = nx.argmax(axis=1), la.argmin(axis=1)
            top, bottom = nx[rows, i], la[rows, j]
            diff = house - seats.sum(axis=1)
            add = (diff > 0) | ((diff == 0) & (top > bottom * (1 + _EPS)) & np.isfinite(bottom))
            sub = (diff < 0) | ((diff == 0) & (top > bottom * (1 + _EPS)) & np.isfinite(bottom))
            if not (add.any() or sub.any()):
                break
            seats[rows[add], i[add]] += 1
            seats[rows[sub], j[sub]] -= 1
        nx = np.where(real, fv / (seats + theta), -1.0)
        la = np.where(seats > 0, fv / (seats - 1 + theta), np.inf)
    top, bottom = nx.max(axis=1), la.min(axis=1)
    bad = (seats.sum(axis=1) != house) | ~(top < bottom * (1 - _EPS)) | (top <= 0)
    return seats, bad


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
    big = votes.max(axis=1) >= 2**62 // (int(house.max()) + 3) // max(votes.shape[1], 1)
    if method in _QUOTA:
        seats, bad = _largest_remainder(method, votes, house)
    else:
        seats, bad = _divisor(method, votes, house, real)
    bad |= big | (votes.sum(axis=1) == 0)
    out = [row[: len(v)] for row, (v, _) in zip(seats.tolist(), cases, strict=True)]
    for r in np.flatnonzero(bad).tolist():
        out[r] = m.fast(cases[r][0], cases[r][1])
    return out
