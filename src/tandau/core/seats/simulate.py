"""What-if simulation: vectorised Monte Carlo of seats, list positions and the elected composition.

Vote shares are drawn around expected shares, either Dirichlet with a concentration ``c`` (mean = the poll,
variance of a share ``p(1-p)/(c+1)``) or independent normal errors (``sigma``) per council, truncated at zero and
renormalised. Seats use the method's rule on float shares (statistics, not an official count: an exact tie has
probability zero). The generator is a seeded ``numpy.random.Generator``; the seed is recorded in the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tandau.core.seats.registry import get_method
from tandau.errors import InputError

FloatArray = Any  # numpy arrays (kept loose so that mypy --strict does not need numpy stubs for every shape)

#: divisor sequences (normalised) of the divisor methods the simulation supports
_THETA = {"dhondt": 1.0, "sainte-lague": 0.5, "danish": 1 / 3, "imperiali": 2.0}
#: quota = total / (seats + offset) for the largest-remainder methods
_QUOTA_OFFSET = {"hare": 0, "droop": 1, "hagenbach-bischoff": 1, "imperiali-quota": 2}


def seats_matrix(shares: FloatArray, house: int | FloatArray, method: str) -> FloatArray:
    """Seats for each row of ``shares`` (rows: draws; admitted shares, others 0) by ``method``.

    For largest-remainder methods ``house`` may be an array with one house size per row.
    """
    get_method(method)
    n_rows, n_parties = shares.shape
    if method in _QUOTA_OFFSET:
        total = shares.sum(axis=1, keepdims=True)
        size = np.asarray(house).reshape(-1, 1) if np.ndim(house) else house
        exact = shares / total * (size + _QUOTA_OFFSET[method])
        whole = np.floor(exact).astype(np.int64)
        left = house - whole.sum(axis=1)
        rem = exact - whole
        order = np.argsort(-rem, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(n_parties)[None, :].repeat(n_rows, 0), axis=1)
        over = left < 0
        seats = whole + (ranks < np.maximum(left, 0)[:, None])
        if over.any():  # quota over-allocation: take back from the smallest remainders of holders
            rem_h = np.where(whole > 0, rem, np.inf)
            order_h = np.argsort(rem_h, axis=1, kind="stable")
            ranks_h = np.empty_like(order_h)
            np.put_along_axis(ranks_h, order_h, np.arange(n_parties)[None, :].repeat(n_rows, 0), axis=1)
            seats = seats - (over[:, None] & (ranks_h < (-left)[:, None]))
        return seats
    theta = _THETA.get(method)
    if theta is None or np.ndim(house):
        raise InputError(f"simulation supports {sorted(_THETA) + sorted(_QUOTA_OFFSET)}, not {method!r}",
                         parameter="method")
    house = int(house)
    divisors = np.arange(house, dtype=float) + theta
    quotients = (shares[:, :, None] / divisors[None, None, :]).reshape(n_rows, -1)
    kth = np.partition(quotients, -house, axis=1)[:, -house][:, None]
    return (quotients >= kth).reshape(n_rows, n_parties, house).sum(axis=2)


def admit(shares: FloatArray, base: FloatArray, threshold: float, runner_up: bool) -> FloatArray:
    """Zero the shares below ``threshold`` of ``base``; with ``runner_up``, a lone passer brings the next list."""
    passed = shares >= threshold * base[:, None]
    if runner_up:
        lone = passed.sum(axis=1) == 1
        if lone.any():
            masked = np.where(passed, -1.0, shares)
            nxt = masked.argmax(axis=1)
            passed[np.arange(len(shares))[lone], nxt[lone]] = True
    return np.where(passed, shares, 0.0)


def draw_shares(rng: np.random.Generator, expected: FloatArray, draws: int, *, concentration: float | None,
                sigma: float | None) -> FloatArray:
    """``draws`` share vectors around ``expected`` (last axis: parties + 'other')."""
    if concentration is not None:
        return rng.dirichlet(np.maximum(expected, 1e-9) * concentration, size=draws)
    noisy = np.maximum(expected[None, :] + rng.normal(0.0, sigma or 0.0, size=(draws, expected.shape[-1])), 0.0)
    return noisy / noisy.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class SimulationResult:
    """Distribution of seats per party, chance that each list position is elected, elected composition."""

    parties: tuple[str, ...]
    house: int
    draws: int
    seed: int
    method: str
    seats_mean: tuple[float, ...]
    seats_pmf: tuple[tuple[float, ...], ...]
    p_admitted: tuple[float, ...]
    position_probability: tuple[tuple[str, tuple[float, ...]], ...]
    composition: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    #: party → group → share of the group among the first s candidates of the list, for s = 1..house
    composition_by_seats: tuple[tuple[str, tuple[tuple[str, tuple[float, ...]], ...]], ...] = ()

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "parties": list(self.parties), "house": self.house, "draws": self.draws, "seed": self.seed,
            "method": self.method,
            "seats_mean": dict(zip(self.parties, self.seats_mean, strict=True)),
            "seats_pmf": {p: list(pmf) for p, pmf in zip(self.parties, self.seats_pmf, strict=True)},
            "p_admitted": dict(zip(self.parties, self.p_admitted, strict=True)),
            "position_probability": {p: list(v) for p, v in self.position_probability},
            "composition": {p: dict(c) for p, c in self.composition},
            "composition_by_seats": {p: {k: list(v) for k, v in c} for p, c in self.composition_by_seats},
        }


def simulate(expected: Mapping[str, float], house: int, *, method: str = "hare", threshold: float = 0.0,
             other_share: float = 0.0, runner_up: bool = False, draws: int = 10_000,
             concentration: float | None = 2_000.0, sigma: float | None = None, seed: int = 0,
             lists: Mapping[str, Sequence[Mapping[str, bool]]] | None = None) -> SimulationResult:
    """Monte Carlo of one council.

    ``expected``: party → expected share (need not sum to 1); ``other_share`` ("against all" and the like) counts
    in the threshold base. ``lists``: party → ordered flags per position (e.g. ``{"woman": True, "young": False}``);
    position ``j`` (1-based) is elected when the party wins at least ``j`` seats (no mandate-level correction).

    >>> r = simulate({"A": 0.6, "B": 0.3, "C": 0.1}, 10, draws=2000, seed=1)
    >>> [round(m) for m in r.seats_mean]
    [6, 3, 1]
    """
    if draws < 1 or house < 1:
        raise InputError("draws and seats must be positive", parameter="draws")
    names = tuple(expected)
    values = np.array([float(expected[p]) for p in names] + [max(other_share, 0.0)])
    if values[:-1].sum() <= 0 or (values < 0).any():
        raise InputError("expected shares must be non-negative with a positive total", parameter="shares")
    rng = np.random.default_rng(seed)
    drawn = draw_shares(rng, values / values.sum(), draws, concentration=concentration, sigma=sigma)
    base = drawn.sum(axis=1)
    admitted = admit(drawn[:, :-1], base, threshold, runner_up)
    ok = admitted.sum(axis=1) > 0
    seats = np.zeros((draws, len(names)), dtype=np.int64)
    if ok.any():
        seats[ok] = seats_matrix(admitted[ok], house, method)
    pmf = np.stack([np.bincount(seats[:, i], minlength=house + 1)[: house + 1] / draws for i in range(len(names))])
    tail = 1.0 - np.cumsum(pmf, axis=1)  # tail[i, k] = P(seats > k) = P(position k+1 elected)
    positions: list[tuple[str, tuple[float, ...]]] = []
    composition: list[tuple[str, tuple[tuple[str, float], ...]]] = []
    composition_by: list[tuple[str, tuple[tuple[str, tuple[float, ...]], ...]]] = []
    for i, p in enumerate(names):
        flags = (lists or {}).get(p)
        if flags is None:
            continue
        n = len(flags)
        positions.append((p, tuple(float(x) for x in tail[i, :n])))
        keys = sorted({k for f in flags for k in f})
        comp: list[tuple[str, float]] = []
        by_seats: list[tuple[str, tuple[float, ...]]] = []
        for key in keys:
            cum = np.concatenate([[0.0], np.cumsum([1.0 if f.get(key) else 0.0 for f in flags])])
            s = np.minimum(np.arange(house + 1), n)
            share_at = np.where(s > 0, cum[s] / np.maximum(s, 1), np.nan)
            by_seats.append((key, tuple(float(x) for x in share_at[1:])))
            weight = pmf[i] * (s > 0)
            comp.append((key, float(np.nansum(share_at * weight) / weight.sum()) if weight.sum() > 0 else float("nan")))
        composition.append((p, tuple(comp)))
        composition_by.append((p, tuple(by_seats)))
    return SimulationResult(
        names, house, draws, seed, method,
        tuple(float(x) for x in seats.mean(axis=0)),
        tuple(tuple(float(x) for x in row) for row in pmf),
        tuple(float(x) for x in (admitted > 0).mean(axis=0)),
        tuple(positions), tuple(composition), tuple(composition_by),
    )


@dataclass(frozen=True, slots=True)
class Council:
    """A council for national simulation: its seats and expected shares (parties + 'other' last)."""

    name: str
    seats: int
    expected: tuple[float, ...]


def synthetic_councils(n: int = 224, parties: int = 6, seed: int = 0) -> list[Council]:
    """A synthetic seat table (until the territory module provides the real one): ``n`` councils, 11–50 seats."""
    rng = np.random.default_rng(seed)
    national = np.array([0.54, 0.11, 0.09, 0.08, 0.07, 0.05, 0.06])[: parties] if parties <= 6 else None
    national = np.full(parties + 1, 1 / (parties + 1)) if national is None else np.append(national, 1 - national.sum())
    out = []
    for i in range(n):
        local = rng.dirichlet(national * 200)
        out.append(Council(f"council-{i + 1}", int(rng.integers(11, 51)), tuple(float(x) for x in local)))
    return out


def simulate_national(councils: Sequence[Council], *, draws: int, seed: int, method: str = "hare",
                      threshold: float = 0.05, sigma: float = 0.02, runner_up: bool = True,
                      chunk: int = 2_000) -> FloatArray:
    """Seats per party summed over every council, for ``draws`` national elections (normal errors per council).

    Councils with the same number of seats are allocated together in one vectorised call.
    """
    parties = len(councils[0].expected) - 1
    totals = np.zeros((draws, parties), dtype=np.int64)
    rng = np.random.default_rng(seed)
    by_size: dict[int, list[int]] = {}
    for idx, c in enumerate(councils):
        by_size.setdefault(c.seats, []).append(idx)
    expected = np.array([c.expected for c in councils])
    sizes = np.array([c.seats for c in councils])
    for start in range(0, draws, chunk):
        m = min(chunk, draws - start)
        noisy = np.maximum(expected[None, :, :] + rng.normal(0.0, sigma, size=(m, *expected.shape)), 0.0)
        shares = noisy / noisy.sum(axis=2, keepdims=True)
        if method in _QUOTA_OFFSET:  # one call for every council: house sizes per row
            block = shares.reshape(-1, parties + 1)
            adm = admit(block[:, :-1], block.sum(axis=1), threshold, runner_up)
            seats = seats_matrix(adm, np.tile(sizes, m), method).reshape(m, len(councils), parties)
            totals[start:start + m] += seats.sum(axis=1)
            continue
        for size, idxs in by_size.items():
            block = shares[:, idxs, :].reshape(-1, parties + 1)
            adm = admit(block[:, :-1], block.sum(axis=1), threshold, runner_up)
            seats = seats_matrix(adm, size, method).reshape(m, len(idxs), parties)
            totals[start:start + m] += seats.sum(axis=1)
    return totals
