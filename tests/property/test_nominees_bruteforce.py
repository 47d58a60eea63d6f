"""Nominee selection equals a brute force over every choice of one candidate per district (≤ 7 × 4).

The brute force enumerates every choice, keeps those the independent list checker accepts (the nominees and
any list candidates counted with them) and picks the best by the objective's definition: fewest departures
from the primary winners, then the smallest sum of (rank − 1), then the smallest ranks in district order.
"""

from __future__ import annotations

from functools import partial
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tandau.core.nominees.problem as problem_module
from tandau.core.candidates import Candidate
from tandau.core.nominees import District, NomineeRequest, NomineesInfeasibleError, select_nominees
from tandau.core.nominees.dp import solve
from tandau.core.rules import check_list, complies
from tests.property.nominees_strategies import ELECTION, districts, set_rules


def _brute(request: NomineeRequest) -> tuple[int, ...] | None:
    rankings = [d.ranking() for d in request.districts]
    pins = dict(request.pins)
    choices = []
    for d, ranking in zip(request.districts, rankings, strict=True):
        choices.append([(i + 1, c) for i, c in enumerate(ranking)
                        if c.id not in request.exclude and pins.get(d.id, c.id) == c.id])
    best: tuple[tuple[int, int, tuple[int, ...]], tuple[int, ...]] | None = None
    for combo in product(*choices):
        chosen = [c for _, c in combo] + list(request.also_counted)
        if not complies(check_list(chosen, request.rules, request.election_date)):
            continue
        ranks = tuple(r for r, _ in combo)
        key = (sum(1 for r in ranks if r > 1), sum(r - 1 for r in ranks), ranks)
        if best is None or key < best[0]:
            best = (key, ranks)
    return None if best is None else best[1]


def _select(request: NomineeRequest) -> tuple[int | str, ...] | None:
    try:
        result = select_nominees(request)
    except NomineesInfeasibleError as exc:  # a refusal carries a diagnosis
        return None if exc.reasons else ("refused without a diagnosis",)
    assert result.ok, "the independent checker accepts every selection"
    assert result.departures == sum(1 for r in result.ranks if r > 1)
    return result.ranks


@st.composite
def requests(draw: st.DrawFn) -> NomineeRequest:
    ds: tuple[District, ...] = draw(districts())
    everyone = [c for d in ds for c in d.candidates]
    exclude = frozenset(c.id for c in everyone if draw(st.integers(0, 6)) == 0)
    pins = []
    for d in ds:
        free = [c for c in d.candidates if c.id not in exclude]
        if free and draw(st.integers(0, 5)) == 0:
            pins.append((d.id, draw(st.sampled_from(free)).id))
    listed: tuple[Candidate, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        listed = tuple(Candidate(f"L{i}", f"List {i}", draw(st.sampled_from(["F", "M"])), ELECTION.replace(
            year=draw(st.integers(1970, 2000))), 0, order=i) for i in range(draw(st.integers(1, 4))))
    return NomineeRequest(ds, draw(set_rules), ELECTION, tuple(pins), exclude, listed)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_selection_equals_brute_force(request: NomineeRequest) -> None:
    assert _select(request) == _brute(request)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_pins_and_exclusions_are_honoured(request: NomineeRequest) -> None:
    try:
        result = select_nominees(request)
    except NomineesInfeasibleError:
        return
    pins = dict(request.pins)
    for n in result.nominees:
        assert n.candidate.id not in request.exclude
        assert pins.get(n.district, n.candidate.id) == n.candidate.id
        assert (n.reason is None) == (n.primary_rank == 1)
        if n.why is not None:
            assert n.why.text == n.reason and n.why.text.startswith(f"district {n.district}: ")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_the_large_set_programme_equals_brute_force(request: NomineeRequest) -> None:
    """The programme over gains and bounded moves (used when the need vectors exceed the budget), forced."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(problem_module, "solve", partial(solve, method="moves"))
        assert _select(request) == _brute(request)
