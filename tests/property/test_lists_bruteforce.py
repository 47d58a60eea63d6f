"""List formation equals a brute force over every ordered selection, for every objective.

The brute force enumerates all lists, keeps those the independent checker accepts and picks the best by the
objective's own definition (ties broken lexicographically by vote ranks).
"""

from __future__ import annotations

from itertools import permutations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tandau.core.candidates import Candidate
from tandau.core.lists import ListRequest, Pin, form_list, vote_order
from tandau.core.rules import check_list, complies
from tandau.errors import InfeasibleError
from tests.property.strategies import ELECTION, candidates, rules

MAX_LISTS = 6000


def _kendall(full: list[int]) -> int:
    return sum(1 for i in range(len(full)) for j in range(i + 1, len(full)) if full[i] > full[j])


def _brute(pool, rule_set, n, objective, pins=()):
    ordered, _ = vote_order(pool, "nomination-order")
    rank = {c.id: i + 1 for i, c in enumerate(ordered)}
    best = None
    for perm in permutations(ordered, n):
        if any((p.position is not None and perm[p.position - 1].id != p.candidate_id)
               or (p.within is not None and p.candidate_id not in [c.id for c in perm[: p.within]])
               for p in pins):
            continue
        if not complies(check_list(perm, rule_set, ELECTION)):
            continue
        ranks = [rank[c.id] for c in perm]
        full = ranks + [r for r in range(1, len(ordered) + 1) if r not in set(ranks)]
        if objective == "lexicographic":
            key: tuple = (ranks,)
        elif objective == "min-swaps":
            key = (_kendall(full), ranks)
        else:
            key = (max([0, *(pos - r for pos, r in enumerate(full, start=1))]), ranks)
        if best is None or key < best[0]:
            best = (key, tuple(c.id for c in perm))
    return None if best is None else best[1]


@st.composite
def instances(draw):
    pool = draw(candidates(max_size=9))
    m = len(pool)
    n = draw(st.one_of(st.integers(1, m), st.integers(max(1, m - 2), m)))
    size = 1
    for i in range(n):
        size *= m - i
    assume(size <= MAX_LISTS)
    pins: tuple[Pin, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        who = draw(st.sampled_from(pool)).id
        if draw(st.booleans()):
            pins = (Pin(who, position=draw(st.integers(1, n))),)
        else:
            pins = (Pin(who, within=draw(st.integers(1, n))),)
    return pool, draw(rules), n, pins


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                          HealthCheck.too_slow])


@pytest.mark.parametrize("objective", ["lexicographic", "min-swaps", "min-max-demotion"])
@SETTINGS
@given(data=instances())
def test_form_list_equals_brute_force(objective: str, data) -> None:
    pool, rule_set, n, pins = data
    expected = _brute(pool, rule_set, n, objective, pins)
    request = ListRequest(pool, rule_set, n, ELECTION, pins=pins, objective=objective, explain=False)  # type: ignore[arg-type]
    if expected is None:
        with pytest.raises(InfeasibleError):
            form_list(request)
        return
    result = form_list(request)
    assert result.ids == expected
    assert complies(check_list([e.candidate for e in result.entries], rule_set, ELECTION))


@settings(max_examples=60, deadline=None)
@given(pool=candidates(min_size=2, max_size=7), rule_set=rules)
def test_explanations_cover_every_move(pool: tuple[Candidate, ...], rule_set) -> None:
    n = len(pool) - 1
    try:
        result = form_list(ListRequest(pool, rule_set, n, ELECTION))
    except InfeasibleError:
        return
    for entry in result.entries:
        assert (entry.reason is None) == (entry.position == entry.vote_rank), entry
