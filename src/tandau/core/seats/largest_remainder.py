"""Largest-remainder (quota) methods with exact integer arithmetic.

Each party first takes the whole part of ``votes / quota``; the seats left go one each to the largest remainders
(Pukelsheim 2017, §3.11; Kazakhstan, Constitutional Law on Elections, Art. 97-1 for Hare). Quotas, with ``V`` the
votes of the parties taking part and ``S`` the seats: Hare ``V/S``; Droop ``floor(V/(S+1)) + 1``;
Hagenbach-Bischoff ``V/(S+1)``; Imperiali ``V/(S+2)``. The quota is held as an exact fraction ``num/den`` so whole
parts and remainders are integer divisions of ``votes·den`` by ``num``.

Over-allocation: Hagenbach-Bischoff (rarely) and Imperiali (often with few parties) can hand out more whole
parts than seats. The surplus is then taken back, one seat each, from the parties holding a whole-part seat with the
smallest remainders (the ``subtract`` rule of votelib's ``QuotaDistributor``); the trace lists them in ``removed``.
When more seats are left than parties (only with absurdly few votes), every party takes one per full round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import partial

from tandau.core.seats.registry import Method, register
from tandau.core.seats.result import MethodResult, QuotaTrace, Trace
from tandau.core.seats.ties import TieBreaker

QuotaFn = Callable[[int, int], tuple[int, int]]


def _hare(total: int, house: int) -> tuple[int, int]:
    return total, house


def _droop(total: int, house: int) -> tuple[int, int]:
    return total // (house + 1) + 1, 1


def _hagenbach_bischoff(total: int, house: int) -> tuple[int, int]:
    return total, house + 1


def _imperiali(total: int, house: int) -> tuple[int, int]:
    return total, house + 2


def _core(quota: QuotaFn, votes: Sequence[int], house: int, names: Sequence[str] | None,
          tb: TieBreaker | None) -> list[int]:
    num, den = quota(sum(votes), house)
    seats: list[int] = []
    rems: list[int] = []
    for v in votes:
        w, r = divmod(v * den, num)
        seats.append(w)
        rems.append(r)
    left = house - sum(seats)
    n = len(votes)
    while left < 0:  # over-allocation: smallest remainders among whole-part holders give a seat back
        holders = sorted((i for i in range(n) if seats[i] > 0), key=rems.__getitem__)
        k = min(-left, len(holders))
        lose = holders[:k]
        cut = rems[lose[-1]]
        if len(holders) > k and rems[holders[k]] == cut:
            tied = [i for i in holders if rems[i] == cut]
            sure = [i for i in lose if rems[i] < cut]
            keep = _pick(tb, tied, len(tied) - (k - len(sure)), names, "over-allocation: equal remainders")
            lose = sure + [i for i in tied if i not in keep]
        for i in lose:
            seats[i] -= 1
            rems[i] += num
        left += k
    if left == 0:
        return seats
    while left >= n:
        seats = [s + 1 for s in seats]
        left -= n
    if left:
        order = sorted(range(n), key=rems.__getitem__, reverse=True)
        cut = rems[order[left - 1]]
        if left < n and rems[order[left]] == cut:
            tied = [i for i in range(n) if rems[i] == cut]
            sure = [i for i in order[:left] if rems[i] > cut]
            win = sure + _pick(tb, tied, left - len(sure), names, "largest remainder: equal remainders")
        else:
            win = order[:left]
        for i in win:
            seats[i] += 1
    return seats


def _pick(tb: TieBreaker | None, tied: list[int], places: int, names: Sequence[str] | None, stage: str) -> list[int]:
    if tb is None or names is None:
        return sorted(tied)[:places]
    return tb.pick(tied, places, names, stage)


def _trace(quota: QuotaFn, res: MethodResult) -> Trace:
    num, den = quota(sum(res.votes), res.house)
    q = Fraction(num, den)
    whole = [v * den // num for v in res.votes]
    rems = [Fraction(v * den - w * num, den) for v, w in zip(res.votes, whole, strict=True)]
    return QuotaTrace(
        q,
        tuple(zip(res.parties, whole, strict=True)),
        tuple(zip(res.parties, rems, strict=True)),
        tuple(p for p, w, s in zip(res.parties, whole, res.seats, strict=True) if s > w),
        tuple(p for p, w, s in zip(res.parties, whole, res.seats, strict=True) if s < w),
    )


def _bounded(quota: QuotaFn, votes: Sequence[int], house: int, names: Sequence[str], tb: TieBreaker,
             lo: Sequence[int], hi: Sequence[int]) -> list[int]:
    """Per-party bounds: fix violators at their bound, pass the rest on, re-run among the others (repeat)."""
    n = len(votes)
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        left = house - sum(fixed.values())
        if not free:
            return [fixed[i] for i in range(n)]
        sub = _core(quota, [votes[i] for i in free], left, [names[i] for i in free], tb) \
            if sum(votes[i] for i in free) > 0 else [0] * len(free)
        over = [(i, s) for i, s in zip(free, sub, strict=True) if s > hi[i]]
        under = [(i, s) for i, s in zip(free, sub, strict=True) if s < lo[i]]
        if not over and not under:
            got = dict(zip(free, sub, strict=True))
            return [fixed.get(i, got.get(i, 0)) for i in range(n)]
        for i, _ in over or under:
            fixed[i] = hi[i] if over else lo[i]


def _run(method_id: str, quota: QuotaFn, votes: Sequence[int], house: int, names: Sequence[str], tb: TieBreaker,
         lo: Sequence[int], hi: Sequence[int]) -> MethodResult:
    if any(lo) or any(h < house for h in hi):
        seats = _bounded(quota, votes, house, names, tb, lo, hi)
    else:
        seats = _core(quota, votes, house, names, tb)
    return MethodResult(method_id, tuple(names), tuple(votes), house, tuple(seats), tuple(tb.ties), tb.policy,
                        tb.seed, partial(_trace, quota))


def _fast(quota: QuotaFn, votes: Sequence[int], house: int) -> list[int]:
    return _core(quota, votes, house, None, None)


def _define(method_id: str, name: str, source: str, quota: QuotaFn) -> None:
    register(Method(method_id, name, "largest-remainder", source, partial(_run, method_id, quota),
                    partial(_fast, quota)))


_define("hare", "Hare quota, largest remainders (Hamilton)", "T. Hare, The Election of Representatives, 1859; "
        "Kazakhstan, Constitutional Law on Elections, Art. 97-1", _hare)
_define("droop", "Droop quota floor(V/(S+1))+1, largest remainders", "H. R. Droop, On methods of electing "
        "representatives, J. Statistical Society 44 (1881)", _droop)
_define("hagenbach-bischoff", "Hagenbach-Bischoff quota V/(S+1), largest remainders", "E. Hagenbach-Bischoff, "
        "Die Frage der Einführung einer Proportionalvertretung, 1888", _hagenbach_bischoff)
_define("imperiali-quota", "Imperiali quota V/(S+2), largest remainders", "Italy, D.P.R. 361/1957 art. 77 "
        "(Chamber of Deputies until 1993); votelib.component.quota.imperiali", _imperiali)
