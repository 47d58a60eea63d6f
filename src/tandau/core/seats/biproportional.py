"""Biproportional apportionment (regions × parties) by alternating scaling, with the divisors checked exactly.

Pukelsheim, *Proportional Representation* (2017), ch. 14; Balinski & Demange (1989); Zurich's "doppelter Pukelsheim"
(Gesetz über die politischen Rechte, Kanton Zürich, §102-103). Seats in cell (i, j) are the rounding of
``votes[i][j] / (row_divisor[i] · column_divisor[j])`` by the method's signposts; row sums equal the regions'
seats, column sums the parties' seats. Alternating scaling fits the row divisors, then the column divisors, until
both margins hold; every divisor is a ``Fraction`` (the simplest one in its valid interval) and the final check
recomputes every cell exactly.

When alternating scaling does not converge within ``max_iterations`` the function does not guess: it raises
:class:`tandau.errors.InfeasibleError` saying why. Either no apportionment exists (a max-flow check finds rows
whose seats exceed the seats of the columns where they have votes, Hall's condition), or
the margins are feasible but cells are tied exactly on a signpost (the tie needs a decision; Pukelsheim's
tie-and-transfer algorithm, ch. 14, would settle it by an explicit choice and is not implemented), or the
iteration cap is too low.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from tandau.errors import InfeasibleError, InputError

#: d(k): a quotient above d(k) earns seat k+1 (standard rounding for Sainte-Laguë, downward for D'Hondt)
_SIGNPOST = {"sainte-lague": Fraction(1, 2), "dhondt": Fraction(1)}


@dataclass(frozen=True, slots=True)
class Biproportional:
    """Seats per cell, the row (region) and column (party) divisors, iterations used and the exact check."""

    method: str
    seats: tuple[tuple[int, ...], ...]
    row_divisors: tuple[Fraction, ...]
    column_divisors: tuple[Fraction, ...]
    iterations: int
    verified: bool


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator in [lo, hi] (0 < lo <= hi), by continued fractions."""
    if lo == hi:
        return lo
    whole = lo.numerator // lo.denominator
    if Fraction(whole) == lo or whole + 1 <= hi:
        return Fraction(whole if Fraction(whole) == lo else whole + 1)
    inv = _simplest_between(1 / (hi - whole), 1 / (lo - whole))
    return whole + 1 / inv


def _apportion(weights: Sequence[Fraction], house: int, offset: Fraction) -> tuple[list[int], Fraction]:
    """Divisor method on exact weights; returns seats and a divisor in the valid interval."""
    seats = [0] * len(weights)
    for _ in range(house):
        best = max(range(len(weights)), key=lambda j: weights[j] / (seats[j] + offset))
        if weights[best] == 0:
            raise InfeasibleError("a margin asks for seats where every cell has zero votes")
        seats[best] += 1
    low = max((w / (s + offset) for w, s in zip(weights, seats, strict=True) if w), default=Fraction(0))
    high = min((w / (s - 1 + offset) for w, s in zip(weights, seats, strict=True) if s), default=low + 1)
    return seats, _simplest_between(low, high) if low > 0 else high


def _fits(votes: Sequence[Sequence[int]], x: Sequence[Sequence[int]], rows: Sequence[Fraction],
          cols: Sequence[Fraction], offset: Fraction) -> bool:
    for i, row in enumerate(votes):
        for j, v in enumerate(row):
            q = Fraction(v) / (rows[i] * cols[j])
            n = x[i][j]
            if q > n + offset or (n > 0 and q < n - 1 + offset):
                return False
    return True


def _hall_violation(votes: Sequence[Sequence[int]], row_seats: Sequence[int],
                    column_seats: Sequence[int]) -> tuple[list[int], list[int]] | None:
    """Rows whose seats exceed the seats of the columns where they have votes (max-flow min-cut), or None.

    Seats can be placed in cells with votes so that both margins hold iff a flow source → row i (capacity
    ``row_seats[i]``) → column j (only where ``votes[i][j] > 0``) → sink (``column_seats[j]``) saturates every row;
    otherwise the rows reachable in the residual graph, with their columns, violate Hall's condition.
    """
    n_rows, n_cols = len(row_seats), len(column_seats)
    flow = [[0] * n_cols for _ in range(n_rows)]
    row_left, col_left = list(row_seats), list(column_seats)
    while True:  # augmenting paths (breadth first) from rows with seats left to columns with room left
        parent: dict[tuple[str, int], tuple[str, int] | None] = {("r", i): None for i in range(n_rows) if row_left[i]}
        queue = list(parent)
        end = None
        while queue and end is None:
            kind, k = queue.pop(0)
            if kind == "r":
                nxt = [("c", j) for j in range(n_cols) if votes[k][j] > 0]
            else:
                nxt = [("r", i) for i in range(n_rows) if flow[i][k] > 0]
            for node in nxt:
                if node not in parent:
                    parent[node] = (kind, k)
                    queue.append(node)
                    if node[0] == "c" and col_left[node[1]]:
                        end = node
                        break
        if end is None:
            break
        step: tuple[str, int] | None = end
        col_left[end[1]] -= 1
        while step is not None:
            prev = parent[step]
            if prev is None:
                row_left[step[1]] -= 1
            elif prev[0] == "r":
                flow[prev[1]][step[1]] += 1
            else:
                flow[step[1]][prev[1]] -= 1
            step = prev
    if not any(row_left):
        return None
    reach = {k for kind, k in parent if kind == "r"}
    return sorted(reach), sorted({j for i in reach for j in range(n_cols) if votes[i][j] > 0})


def _explain_failure(votes: Sequence[Sequence[int]], row_seats: Sequence[int], column_seats: Sequence[int],
                     x: Sequence[Sequence[int]], rows: Sequence[Fraction], cols: Sequence[Fraction],
                     offset: Fraction, max_iterations: int) -> None:
    """Raise an :class:`InfeasibleError` that says why alternating scaling stopped (documented fallback)."""
    bad = _hall_violation(votes, row_seats, column_seats)
    if bad is not None:
        r, c = bad
        need, have = sum(row_seats[i] for i in r), sum(column_seats[j] for j in c)
        raise InfeasibleError(
            f"no apportionment can meet both margins: rows {r} must fill {need} seats but the columns where they "
            f"have votes ({c}) have only {have}", details=[f"row {i}: {row_seats[i]} seats" for i in r])
    tied = [f"({i}, {j})" for i, row in enumerate(votes) for j, v in enumerate(row)
            if v and Fraction(v) / (rows[i] * cols[j]) - offset in (x[i][j], x[i][j] - 1)]
    raise InfeasibleError(
        f"alternating scaling did not converge in {max_iterations} iterations although the margins can be met; "
        + (f"the quotients of cells {', '.join(tied)} sit exactly on a signpost: a tie that needs a decision "
           "(by lot or by the rules), which biproportional() does not take silently" if tied else
           "raise max_iterations"), details=tied)


def biproportional(votes: Sequence[Sequence[int]], row_seats: Sequence[int], column_seats: Sequence[int],
                   method: str = "sainte-lague", max_iterations: int = 200) -> Biproportional:
    """Apportion seats to cells so that row and column sums match; divisors exact.

    >>> r = biproportional([[500, 300], [100, 100]], [6, 4], [6, 4])
    >>> r.seats, r.verified
    (((4, 2), (2, 2)), True)
    """
    if method not in _SIGNPOST:
        raise InputError(f"biproportional supports {sorted(_SIGNPOST)}, not {method!r}", parameter="method")
    if sum(row_seats) != sum(column_seats):
        raise InputError(f"row seats add up to {sum(row_seats)}, column seats to {sum(column_seats)}",
                         parameter="seats")
    offset = _SIGNPOST[method]
    n_rows, n_cols = len(votes), len(column_seats)
    if any(len(r) != n_cols for r in votes) or len(row_seats) != n_rows:
        raise InputError("the vote matrix does not match the margins", parameter="votes")
    cols = [Fraction(1)] * n_cols
    rows = [Fraction(1)] * n_rows
    x: list[list[int]] = [[0] * n_cols for _ in range(n_rows)]
    it = 0
    for it in range(1, max_iterations + 1):  # noqa: B007 - reported as iterations
        for i in range(n_rows):
            x[i], rows[i] = _apportion([Fraction(v) / cols[j] for j, v in enumerate(votes[i])], row_seats[i], offset)
        if all(sum(x[i][j] for i in range(n_rows)) == column_seats[j] for j in range(n_cols)):
            break
        for j in range(n_cols):
            col, cols[j] = _apportion([Fraction(votes[i][j]) / rows[i] for i in range(n_rows)], column_seats[j],
                                      offset)
            for i in range(n_rows):
                x[i][j] = col[i]
        if all(sum(x[i]) == row_seats[i] for i in range(n_rows)):
            break
    else:
        _explain_failure(votes, row_seats, column_seats, x, rows, cols, offset, max_iterations)
    return Biproportional(method, tuple(tuple(r) for r in x), tuple(rows), tuple(cols), it,
                          _fits(votes, x, rows, cols, offset))
