"""Mandate holders, mandate-level corrections, vacancies and the what-if simulation."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from tandau.core.candidates import Candidate
from tandau.core.seats.mandates import assign_mandates, fill_vacancy
from tandau.core.seats.simulate import seats_matrix, simulate, simulate_national, synthetic_councils
from tandau.errors import InputError, UnknownIdError

DAY = date(2023, 3, 19)


def _c(i: int, sex: str, born: int = 1970, votes: int = 0, tags: frozenset[str] = frozenset()) -> Candidate:
    return Candidate(str(i), f"c{i}", sex, date(born, 6, 1), votes, tags, i)  # type: ignore[arg-type]


def test_seats_kz_2022_promotes_the_next_group_member() -> None:
    lst = [_c(1, "M"), _c(2, "M"), _c(3, "M"), _c(4, "M"), _c(5, "M", tags=frozenset({"disability"})),
           _c(6, "M", born=2000), _c(7, "F")]
    m = assign_mandates(lst, 4, "kz-law-2022", DAY)
    assert m.needed == 2
    assert m.met
    assert [c.id for c in m.elected] == ["1", "2", "5", "6"]
    assert [(r.out, r.into) for r in m.replacements] == [("4", "5"), ("3", "6")]


def test_seats_kz_2022_reports_a_shortfall() -> None:
    m = assign_mandates([_c(1, "M"), _c(2, "M"), _c(3, "F")], 3, "kz-law-2022", DAY)
    assert m.met
    assert m.held == 1
    m = assign_mandates([_c(i, "M") for i in range(5)], 4, "kz-law-2022", DAY)
    assert not m.met
    assert m.held == 0
    with pytest.raises(InputError, match="election day"):
        assign_mandates([_c(1, "M")], 1, "kz-law-2022")


def test_seats_xk_2008_and_cl_2021() -> None:
    lst = [_c(1, "M"), _c(2, "M"), _c(3, "M"), _c(4, "F"), _c(5, "F")]
    assert [c.id for c in assign_mandates(lst, 3, "xk-2008").elected] == ["1", "2", "4"]
    voted = [_c(1, "M", votes=90), _c(2, "M", votes=80), _c(3, "M", votes=70), _c(4, "F", votes=10),
             _c(5, "F", votes=20)]
    m = assign_mandates(voted, 4, "cl-2021")
    assert sorted(c.id for c in m.elected) == ["1", "2", "4", "5"]
    assert m.met
    assert m.replacements[0].out == "3"
    with pytest.raises(UnknownIdError):
        assign_mandates(lst, 1, "nope")


def test_seats_vacancies() -> None:
    lst = [_c(1, "F"), _c(2, "M"), _c(3, "M"), _c(4, "F")]
    assert fill_vacancy(lst, ["1", "2"], "1").id == "3"  # type: ignore[union-attr]
    assert fill_vacancy(lst, ["1", "2"], "1", "same-group").id == "4"  # type: ignore[union-attr]
    assert fill_vacancy(lst, ["1", "2", "3", "4"], "2") is None


def test_seats_vectorised_methods_match_the_exact_core() -> None:
    from tandau.core.seats import allocate_fast

    rng = np.random.default_rng(3)
    shares = rng.dirichlet(np.ones(6), size=200)
    votes = np.round(shares * 1_000_003).astype(np.int64)
    for method in ("hare", "dhondt", "sainte-lague", "droop"):
        got = seats_matrix(votes.astype(float), 25, method)
        for row, seats in zip(votes, got, strict=True):
            exact = allocate_fast([int(v) for v in row], 25, method if method != "droop" else "hagenbach-bischoff")
            assert list(seats) == exact


def test_seats_simulation_is_seeded_and_consistent() -> None:
    lists = {"A": [{"woman": i % 2 == 1} for i in range(10)]}
    a = simulate({"A": 0.5, "B": 0.3, "C": 0.2}, 10, draws=3000, seed=5, lists=lists, threshold=0.05)
    b = simulate({"A": 0.5, "B": 0.3, "C": 0.2}, 10, draws=3000, seed=5, lists=lists, threshold=0.05)
    assert a == b
    assert a.seed == 5
    assert abs(sum(a.seats_mean) - 10) < 1e-9
    probs = dict(a.position_probability)["A"]
    assert all(x >= y for x, y in itertools.pairwise(probs))
    assert 0.3 < dict(dict(a.composition)["A"])["woman"] < 0.6
    national = simulate_national(synthetic_councils(n=20, seed=1), draws=50, seed=1)
    assert national.shape == (50, 6)


@pytest.mark.parametrize("method", ["hare", "droop", "hagenbach-bischoff", "imperiali-quota", "dhondt",
                                    "sainte-lague", "danish", "imperiali", "adams"])
def test_seats_vectorised_batch_is_identical_to_the_scalar_path(method: str) -> None:
    import random

    from tandau.core.seats import allocate_fast
    from tandau.core.seats.vectorised import allocate_many

    rng = random.Random(method)
    cases = [([rng.randint(0, 10 ** rng.randint(1, 6)) for _ in range(rng.randint(1, 20))], rng.randint(1, 150))
             for _ in range(400)]
    cases = [(v, h) for v, h in cases if sum(v) > 0] + [([5, 5, 5], 2), ([1, 1], 7)]
    assert allocate_many(cases, method) == [allocate_fast(v, h, method) for v, h in cases]


def test_age_rules_refuse_a_missing_birth_date() -> None:
    nameless_age = Candidate("x", "X", "M", None)
    with pytest.raises(InputError, match="x have no birth date"):
        assign_mandates([_c(1, "M"), nameless_age], 1, "kz-law-2022", DAY)
