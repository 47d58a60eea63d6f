"""Biproportional apportionment: margins hold, divisors reproduce every cell exactly."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from tandau.core.seats.biproportional import _simplest_between, biproportional
from tandau.errors import InputError


def _check(votes: list[list[int]], rows: list[int], cols: list[int], method: str) -> None:
    res = biproportional(votes, rows, cols, method)
    assert [sum(r) for r in res.seats] == rows
    assert [sum(res.seats[i][j] for i in range(len(rows))) for j in range(len(cols))] == cols
    assert res.verified
    offset = Fraction(1, 2) if method == "sainte-lague" else Fraction(1)
    for i, row in enumerate(votes):
        for j, v in enumerate(row):
            q = Fraction(v) / (res.row_divisors[i] * res.column_divisors[j])
            n = res.seats[i][j]
            assert q <= n + offset
            assert (n == 0 or q >= n - 1 + offset)


def test_seats_zurich_style_example() -> None:
    votes = [[5000, 3000, 2000], [1000, 4000, 1000], [2000, 2000, 6000]]
    _check(votes, [10, 6, 10], [8, 9, 9], "sainte-lague")


@pytest.mark.parametrize("method", ["sainte-lague", "dhondt"])
def test_seats_random_biproportional_margins(method: str) -> None:
    from tandau.core.seats import allocate_fast

    rng = random.Random(11)
    for _ in range(15):
        n_rows, n_cols = rng.randint(2, 5), rng.randint(2, 5)
        votes = [[rng.randint(100, 10_000) for _ in range(n_cols)] for _ in range(n_rows)]
        house = rng.randint(10, 40)
        cols = allocate_fast([sum(r[j] for r in votes) for j in range(n_cols)], house, method)
        rows = allocate_fast([sum(r) for r in votes], house, method)
        _check(votes, rows, cols, method)


def test_seats_simplest_fraction_and_errors() -> None:
    assert _simplest_between(Fraction(1, 3), Fraction(1, 2)) == Fraction(1, 2)
    assert _simplest_between(Fraction(31, 10), Fraction(32, 10)) == Fraction(16, 5)
    with pytest.raises(InputError, match="add up"):
        biproportional([[1, 2]], [3], [1, 1])


def test_seats_biproportional_infeasible_margins_are_named() -> None:
    from tandau.errors import InfeasibleError

    # rows 0 and 1 have votes only for parties 0 and 1, which have 2 seats between them; the rows need 4
    votes = [[10, 10, 0], [10, 10, 0], [0, 0, 10]]
    with pytest.raises(InfeasibleError, match=r"rows \[0, 1\] must fill 4 seats .* \(\[0, 1\]\) have only 2") as info:
        biproportional(votes, [2, 2, 1], [1, 1, 3], "dhondt", max_iterations=20)
    assert info.value.details == ("row 0: 2 seats", "row 1: 2 seats")


def test_seats_biproportional_exact_tie_is_refused_not_broken() -> None:
    from tandau.errors import InfeasibleError

    # every quotient equal: any of two allocations fits, so alternating scaling oscillates; the tie is reported
    with pytest.raises(InfeasibleError, match=r"can be met; the quotients of cells .* sit exactly on a signpost"):
        biproportional([[1, 1], [1, 1]], [1, 1], [1, 1], "dhondt", max_iterations=20)
    # a hair away from the tie the same margins converge
    res = biproportional([[2, 1], [1, 2]], [1, 1], [1, 1], "dhondt")
    assert res.seats == ((1, 0), (0, 1)) and res.verified
