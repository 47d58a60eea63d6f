"""Invariants of mixed councils (issue 11, item 4): the composition adds up, a faction is exactly its list holders
and district winners, the simulation is reproducible, chances lie in [0, 1] and rise with the vote share."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.seats.mixed import compose_council
from tandau.core.seats.mixed_sim import district_chances, simulate_council
from tandau.core.systems import get_system

from .mixed_strategies import ELECTION, MixedCase, estimate_cases, mixed_cases

LEVEL = get_system("kz-2023").level("regional")


def _compose(case: MixedCase, rule: str = "kz-law-2022", as_of: object = None):  # type: ignore[no-untyped-def]
    return compose_council(case.council, LEVEL, case.votes, case.results, lists=case.lists, mandate_rule=rule,
                           election_day=ELECTION, as_of=as_of)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(mixed_cases(), st.sampled_from(["kz-law-2022", "list-order", "xk-2008"]), st.integers(-1, 400))
def test_composition_sums_to_seats(case: MixedCase, rule: str, offset: int) -> None:
    as_of = None if offset < 0 else ELECTION + timedelta(days=offset)
    r = _compose(case, rule, as_of)
    assert sum(p.total for p in r.parties) + r.vacant == case.council.seats
    assert sum(p.list_seats for p in r.parties) == case.council.list_seats
    assert sum(p.district_seats for p in r.parties) == len(case.council.districts) - r.vacant
    assert len({p.party for p in r.parties}) == len(r.parties)


@settings(max_examples=300, deadline=None)
@given(mixed_cases())
def test_faction_is_list_holders_plus_district_winners(case: MixedCase) -> None:
    r = _compose(case)
    mandates = dict(r.mandates)
    for p in r.parties:
        f = r.faction(p.party)
        listed = [d.id for d in f.deputies if d.mandate == "list"]
        expected_list = [c.id for c in mandates[p.party].elected] if p.party in mandates else []
        assert listed == expected_list
        winners = [(d.district, d.id) for d in f.deputies if d.mandate == "district"]
        assert winners == [(s.district, s.holder.winner_id) for s in r.districts
                           if s.holder is not None and s.holder.party == p.party]
        assert f.size == p.total == len(f.deputies) + f.unnamed_list_seats
        assert f.women == sum(d.sex == "F" for d in f.deputies)
        assert f.women + f.unknown_sex <= f.size and f.under_35 + f.unknown_age <= f.size


@settings(max_examples=100, deadline=None)
@given(estimate_cases(), st.integers(0, 2**32 - 1), st.floats(0, 0.1))
def test_simulation_reproducible_and_chances_in_unit_interval(case: tuple, seed: int, swing: float) -> None:  # type: ignore[type-arg]
    council, rows = case
    a = simulate_council(council, LEVEL, {}, rows, draws=300, seed=seed, swing=swing)
    b = simulate_council(council, LEVEL, {}, rows, draws=300, seed=seed, swing=swing)
    assert a.as_data() == b.as_data()
    for c in a.chances:
        assert 0.0 <= c.chance <= 1.0
    assert np.isclose(sum(a.expected_districts), len(council.districts))


@settings(max_examples=150, deadline=None)
@given(estimate_cases(), st.data(), st.floats(0.001, 0.5), st.integers(0, 1000), st.floats(0, 0.1))
def test_chance_is_monotone_in_the_vote_share(case: tuple, data: st.DataObject, delta: float, seed: int,  # type: ignore[type-arg]
                                              swing: float) -> None:
    council, rows = case
    k = data.draw(st.integers(0, len(rows) - 1))
    raised = [replace(r, share=r.share + delta) if i == k else r for i, r in enumerate(rows)]
    _, before = district_chances(council, rows, np.random.default_rng(seed), draws=300, swing=swing)
    _, after = district_chances(council, raised, np.random.default_rng(seed), draws=300, swing=swing)
    assert after[:, k].mean() >= before[:, k].mean()
    assert (after[:, k] >= before[:, k]).all()  # draw by draw: a win is never lost by gaining votes
