"""Divisor (highest-averages) methods with exact arithmetic.

A divisor method gives seat ``k + 1`` of a party the quotient ``votes / d(k)``; the ``house`` largest quotients
win (Balinski & Young, *Fair Representation*, 1982/2001; Pukelsheim, *Proportional Representation*, 2nd ed.
2017, ch. 3). Divisors here: D'Hondt/Jefferson ``k+1``; Sainte-Laguë/Webster ``2k+1`` (same order as ``k+1/2``);
modified Sainte-Laguë ``1.4, 3, 5, ...`` (Norway, Sweden until 2018); Huntington-Hill ``sqrt(k(k+1))`` (US House
since 1941); Adams ``k``; Danish ``3k+1`` (same order as ``k+1/3``); Imperiali ``(k+2)/2``.

Fast path: start from the divisor estimate ``votes / (house + c·parties)``, fix up with float quotients, and
certify the result exactly when the gap between the last winning and the first losing quotient is within
rounding error (then an exact loop with integer cross-multiplication takes over and resolves ties by policy).
A zero divisor (Adams, Huntington-Hill: first seat) gives an infinite quotient; infinite quotients rank by
votes (the limit of ``votes / ε``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial

from tandau.core.seats.registry import Method, register
from tandau.core.seats.result import DivisorTrace, MethodResult, SeatAward, Trace
from tandau.core.seats.ties import TieBreaker

_EPS = 1e-12
_INF = math.inf
# exact rank keys: (tier, value); tier 2 = owed to a minimum, 1 = infinite quotient, 0 = finite, -1 = capped
Key = tuple[int, Fraction]


@dataclass(frozen=True, slots=True)
class DivisorSeq:
    """``d(k) = num(k) / den(k)`` (or its square root when ``squared``), a float twin and a jump constant."""

    num: Callable[[int], int]
    den: Callable[[int], int]
    squared: bool
    jump: float
    theta: float | None = None  # d(k) proportional to k + theta (k >= 0): enables the closed-form fast path

    def exact(self, k: int) -> Fraction:
        """``d(k)`` exactly (its square when ``squared``)."""
        return Fraction(self.num(k), self.den(k))

    def fdiv(self, k: int) -> float:
        """``d(k)`` as a float."""
        d = self.num(k) / self.den(k)
        return math.sqrt(d) if self.squared else d


def _key(seq: DivisorSeq, v: int, k: int) -> Key:
    n = seq.num(k)
    if n == 0:
        return (1, Fraction(v)) if v > 0 else (0, Fraction(0))
    return (0, Fraction((v * v if seq.squared else v) * seq.den(k), n))


def _float_seats(seq: DivisorSeq, votes: Sequence[int], house: int, lo: Sequence[int],
                 hi: Sequence[int]) -> list[int] | None:
    """Seats by float quotients, or None when the result cannot be certified without exact arithmetic."""
    total_votes = sum(votes)
    n = len(votes)
    fdiv = seq.fdiv
    denom = house + seq.jump * n
    div = total_votes / denom if denom > 0 else total_votes / house
    seats: list[int] = []
    for i, v in enumerate(votes):
        s = int(v / div + 0.5) if div > 0 else 0
        seats.append(min(max(s, lo[i]), hi[i]))

    def nxt(i: int) -> float:
        s = seats[i]
        if s >= hi[i]:
            return -1.0
        d = fdiv(s)
        return votes[i] / d if d > 0 else (_INF if votes[i] > 0 else 0.0)

    def last(i: int) -> float:
        s = seats[i]
        if s <= lo[i]:
            return _INF
        d = fdiv(s - 1)
        return votes[i] / d if d > 0 else (_INF if votes[i] > 0 else 0.0)

    nx = [nxt(i) for i in range(n)]
    la = [last(i) for i in range(n)]
    total = sum(seats)
    rng = range(n)
    while total < house:
        i = max(rng, key=nx.__getitem__)
        if nx[i] <= 0.0:
            return None
        seats[i] += 1
        total += 1
        nx[i], la[i] = nxt(i), last(i)
    while total > house:
        j = min(rng, key=la.__getitem__)
        if la[j] == _INF:
            return None
        seats[j] -= 1
        total -= 1
        nx[j], la[j] = nxt(j), last(j)
    while True:
        i = max(rng, key=nx.__getitem__)
        j = min(rng, key=la.__getitem__)
        a, b = nx[i], la[j]
        if a < b * (1 - _EPS):
            return seats
        if a > b * (1 + _EPS) and b != _INF:
            seats[i] += 1
            seats[j] -= 1
            nx[i], la[i] = nxt(i), last(i)
            nx[j], la[j] = nxt(j), last(j)
            continue
        return None


def _float_theta(theta: float, votes: Sequence[int], house: int) -> list[int] | None:
    """Fast path for divisors proportional to ``k + theta`` (theta > 0), without bounds."""
    n = len(votes)
    denom = house + (theta - 0.5) * n
    if denom <= 0:
        return None
    scale = denom / sum(votes)
    ceil = math.ceil
    seats = [ceil(v * scale - theta) for v in votes]
    if min(seats) < 0:
        seats = [max(0, s) for s in seats]
    total = sum(seats)
    nx = [v / (s + theta) for v, s in zip(votes, seats, strict=True)]
    la = [v / (s - 1 + theta) if s else _INF for v, s in zip(votes, seats, strict=True)]
    while total != house:
        if total < house:
            top = max(nx)
            if top <= 0.0:
                return None
            i = nx.index(top)
            seats[i] += 1
            total += 1
        else:
            i = la.index(min(la))
            seats[i] -= 1
            total -= 1
        s, v = seats[i], votes[i]
        nx[i] = v / (s + theta)
        la[i] = v / (s - 1 + theta) if s else _INF
    while True:
        top = max(nx)
        bottom = min(la)
        if top < bottom * (1 - _EPS):
            return seats
        if not top > bottom * (1 + _EPS):
            return None
        i = nx.index(top)
        j = la.index(bottom)
        seats[i] += 1
        seats[j] -= 1
        for k in (i, j):
            s, v = seats[k], votes[k]
            nx[k] = v / (s + theta)
            la[k] = v / (s - 1 + theta) if s else _INF


def _exact_seats(seq: DivisorSeq, votes: Sequence[int], house: int, names: Sequence[str], tb: TieBreaker,
                 lo: Sequence[int], hi: Sequence[int], start: list[int] | None = None) -> list[int]:
    """Exact fix-up from ``start`` (or from the minimums); the boundary tie, if any, goes to the tie policy."""
    n = len(votes)
    seats = list(lo) if start is None else start

    def nxt(i: int) -> Key:
        return (-1, Fraction(0)) if seats[i] >= hi[i] else _key(seq, votes[i], seats[i])

    def last(i: int) -> Key:
        return (2, Fraction(0)) if seats[i] <= lo[i] else _key(seq, votes[i], seats[i] - 1)

    nx = [nxt(i) for i in range(n)]
    la = [last(i) for i in range(n)]
    total = sum(seats)
    rng = range(n)
    while total < house:
        i = max(rng, key=nx.__getitem__)
        seats[i] += 1
        total += 1
        nx[i], la[i] = nxt(i), last(i)
    while total > house:
        j = min(rng, key=la.__getitem__)
        seats[j] -= 1
        total -= 1
        nx[j], la[j] = nxt(j), last(j)
    while True:
        i = max(rng, key=nx.__getitem__)
        j = min(rng, key=la.__getitem__)
        if nx[i] <= la[j]:
            break
        seats[i] += 1
        seats[j] -= 1
        nx[i], la[i] = nxt(i), last(i)
        nx[j], la[j] = nxt(j), last(j)
    top, bottom = max(nx), min(la)
    if top == bottom and top[0] in (0, 1):
        holders = [j for j in rng if la[j] == bottom]
        tied = sorted(set(holders) | {i for i in rng if nx[i] == top})
        for j in holders:
            seats[j] -= 1
        for w in tb.pick(tied, len(holders), names, "divisor method: equal quotients for the last seat"):
            seats[w] += 1
    return seats


def _trace(seq: DivisorSeq, lo: Sequence[int], hi: Sequence[int], res: MethodResult) -> Trace:
    entries: list[tuple[int, Key, int, int]] = []
    for i, (v, s) in enumerate(zip(res.votes, res.seats, strict=True)):
        for k in range(s):
            entries.append((int(k < lo[i]), _key(seq, v, k), -i, k))
    entries.sort(reverse=True)
    awards = tuple(
        SeatAward(n + 1, res.parties[-mi], seq.exact(k), key[1] if key[0] == 0 else None,
                  "minimum" if owed else "quotient", seq.squared)
        for n, (owed, key, mi, k) in enumerate(entries)
    )
    losing = tuple(
        (p, None if s >= hi[i] or _key(seq, v, s)[0] != 0 else _key(seq, v, s)[1])
        for i, (p, v, s) in enumerate(zip(res.parties, res.votes, res.seats, strict=True))
    )
    return DivisorTrace(awards, losing, seq.squared)


def _run(method_id: str, seq: DivisorSeq, votes: Sequence[int], house: int, names: Sequence[str],
         tb: TieBreaker, lo: Sequence[int], hi: Sequence[int]) -> MethodResult:
    if sum(votes) == 0:
        seats = None
    elif seq.theta is not None and not any(lo) and all(h >= house for h in hi):
        seats = _float_theta(seq.theta, votes, house)
    else:
        seats = _float_seats(seq, votes, house, lo, hi)
    if seats is None:
        seats = _exact_seats(seq, votes, house, names, tb, lo, hi)
    return MethodResult(method_id, tuple(names), tuple(votes), house, tuple(seats), tuple(tb.ties), tb.policy,
                        tb.seed, partial(_trace, seq, tuple(lo), tuple(hi)))


def _fast(seq: DivisorSeq, votes: Sequence[int], house: int) -> list[int]:
    n = len(votes)
    lo, hi = [0] * n, [house] * n
    if sum(votes) == 0:
        seats = None
    elif seq.theta is not None:
        seats = _float_theta(seq.theta, votes, house)
    else:
        seats = _float_seats(seq, votes, house, lo, hi)
    if seats is None:
        names = [str(i) for i in range(n)]
        seats = _exact_seats(seq, votes, house, names, TieBreaker(), lo, hi)
    return seats


def _one(k: int) -> int:
    return 1


def _two(k: int) -> int:
    return 2


def _define(method_id: str, name: str, source: str, seq: DivisorSeq) -> None:
    register(Method(method_id, name, "divisor", source, partial(_run, method_id, seq), partial(_fast, seq)))


_define("dhondt", "D'Hondt (Jefferson)", "V. D'Hondt, Système pratique et raisonné de représentation proportionnelle, "
        "1882; Pukelsheim 2017, §3.4", DivisorSeq(lambda k: k + 1, _one, False, 0.5, 1.0))
_define("sainte-lague", "Sainte-Laguë (Webster)", "A. Sainte-Laguë, La représentation proportionnelle et la méthode "
        "des moindres carrés, 1910; Pukelsheim 2017, §3.5", DivisorSeq(lambda k: 2 * k + 1, _two, False, 0.0, 0.5))
_define("modified-sainte-lague", "Modified Sainte-Laguë (first divisor 1.4)", "Norway, Representation of the People "
        "Act §11-4 (first divisor 1.4); Sweden, Vallag 14:5 until 2018",
        DivisorSeq(lambda k: 7 if k == 0 else 2 * k + 1, lambda k: 5 if k == 0 else 1, False, 0.0))
_define("huntington-hill", "Huntington-Hill (equal proportions)", "US Apportionment Act of 1941, 2 U.S.C. §2a; "
        "Balinski & Young 1982", DivisorSeq(lambda k: k * (k + 1), _one, True, 0.0))
_define("adams", "Adams (smallest divisors)", "Balinski & Young 1982, app. A; Pukelsheim 2017, §3.10",
        DivisorSeq(lambda k: k, _one, False, -0.5))
_define("danish", "Danish (divisors 1, 4, 7, ...)", "Denmark, Folketing Elections Act §77 (supplementary seats "
        "by divisors 1, 4, 7, ...); Pukelsheim 2017, §3.10",
        DivisorSeq(lambda k: 3 * k + 1, lambda k: 3, False, -0.17, 1 / 3))
_define("imperiali", "Imperiali divisors (1, 1.5, 2, ...)", "Belgium, municipal elections (Code électoral "
        "communal art. 56); votelib.component.divisor.imperiali", DivisorSeq(lambda k: k + 2, _two, False, 1.5, 2.0))
