"""The search and the independent integer-programming solver find the same lexicographic list."""

from __future__ import annotations

from hypothesis import given, settings

from tandau.core.candidates import Candidate
from tandau.core.lists import ListRequest, form_list, vote_order
from tandau.core.lists.ilp import lexicographic_ilp
from tandau.errors import InfeasibleError
from tests.property.strategies import ELECTION, candidates, rules


@settings(max_examples=40, deadline=None)
@given(pool=candidates(min_size=2, max_size=8), rule_set=rules)
def test_search_equals_ilp(pool: tuple[Candidate, ...], rule_set) -> None:
    n = max(1, len(pool) - 2)
    ordered, _ = vote_order(pool, "nomination")
    picks = lexicographic_ilp(ordered, rule_set, n, ELECTION)
    try:
        result = form_list(ListRequest(pool, rule_set, n, ELECTION, explain=False))
    except InfeasibleError:
        assert picks is None
        return
    assert picks is not None
    assert result.ids == tuple(ordered[i].id for i in picks)
