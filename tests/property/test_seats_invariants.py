"""Invariants over the whole method registry, and a brute-force oracle for every divisor method."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.seats import METHODS, allocate, get_method

votes_st = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(lambda v: sum(v) > 0)
house_st = st.integers(min_value=1, max_value=60)
DIVISOR = sorted(m for m, spec in METHODS.items() if spec.family == "divisor")
QUOTA = sorted(m for m, spec in METHODS.items() if spec.family == "largest-remainder")
EXACT_DIVISORS = {
    "dhondt": lambda k: Fraction(k + 1), "sainte-lague": lambda k: Fraction(2 * k + 1, 2),
    "modified-sainte-lague": lambda k: Fraction(7, 5) if k == 0 else Fraction(2 * k + 1),
    "adams": lambda k: Fraction(k), "danish": lambda k: Fraction(3 * k + 1, 3),
    "imperiali": lambda k: Fraction(k + 2, 2), "huntington-hill": None,
}


def _names(votes: list[int]) -> dict[str, int]:
    return {f"p{i}": v for i, v in enumerate(votes)}


@pytest.mark.parametrize("method_id", sorted(METHODS))
@settings(max_examples=60, deadline=None)
@given(votes=votes_st, house=house_st)
def test_seats_house_size_is_exact(method_id: str, votes: list[int], house: int) -> None:
    res = allocate(_names(votes), house, method=method_id)
    assert sum(res.as_dict().values()) == house
    assert sum(get_method(method_id).fast(votes, house)) == house


@pytest.mark.parametrize("method_id", DIVISOR)
@settings(max_examples=50, deadline=None)
@given(votes=votes_st.filter(lambda v: len(set(v)) == len(v)), house=house_st)
def test_seats_divisor_methods_are_house_monotone(method_id: str, votes: list[int], house: int) -> None:
    small = allocate(_names(votes), house, method=method_id).as_dict()
    big = allocate(_names(votes), house + 1, method=method_id).as_dict()
    assert all(big[p] >= small[p] for p in small)


def _brute(method_id: str, votes: list[int], house: int) -> list[tuple[object, int]]:
    """Every quotient of the table, best first (squared quotients for Huntington-Hill)."""
    table: list[tuple[object, int]] = []
    for i, v in enumerate(votes):
        for k in range(house):
            if method_id == "huntington-hill":
                key: object = (0, Fraction(0)) if v == 0 else (1, v) if k == 0 else (0, Fraction(v * v, k * (k + 1)))
            else:
                d = EXACT_DIVISORS[method_id](k)  # type: ignore[misc]
                key = (0, Fraction(0)) if v == 0 else (1, v) if d == 0 else (0, Fraction(v) / d)
            table.append((key, i))
    table.sort(key=lambda e: e[0], reverse=True)  # type: ignore[arg-type, return-value]
    return table


@pytest.mark.parametrize("method_id", DIVISOR)
@settings(max_examples=60, deadline=None)
@given(votes=votes_st, house=house_st)
def test_seats_divisor_methods_match_the_quotient_table(method_id: str, votes: list[int], house: int) -> None:
    table = _brute(method_id, votes, house)
    res = allocate(_names(votes), house, method=method_id)
    if house < len(table) and table[house - 1][0] == table[house][0]:
        assert res.method.ties, "a boundary tie must be surfaced"
        return
    want = [0] * len(votes)
    for _, i in table[:house]:
        want[i] += 1
    assert list(res.as_dict().values()) == want
    assert not res.method.ties


@pytest.mark.parametrize("method_id", QUOTA)
@settings(max_examples=80, deadline=None)
@given(votes=votes_st, house=house_st)
def test_seats_quota_property_of_largest_remainder(method_id: str, votes: list[int], house: int) -> None:
    res = allocate(_names(votes), house, method=method_id)
    quota = res.method.trace.quota  # type: ignore[union-attr]
    for v, s in zip(votes, res.as_dict().values(), strict=True):
        whole = math.floor(Fraction(v) / quota)
        slack = 2 if method_id == "imperiali-quota" else 1  # quota V/(S+2) over-allocates by at most 2
        assert whole - slack <= s <= whole + 1 + house // len(votes)
        if method_id == "hare" and len([x for x in votes if x]) == len(votes):
            exact = Fraction(v * house, sum(votes))
            assert math.floor(exact) <= s <= math.ceil(exact)


@settings(max_examples=40, deadline=None)
@given(votes=votes_st, house=house_st, seed=st.integers(0, 2**32))
def test_seats_lot_is_reproducible_and_recorded(votes: list[int], house: int, seed: int) -> None:
    a = allocate(_names(votes), house, method="dhondt", tie_policy="lot", seed=seed)
    b = allocate(_names(votes), house, method="dhondt", tie_policy="lot", seed=seed)
    assert a.as_dict() == b.as_dict()
    assert a.method.seed == seed
