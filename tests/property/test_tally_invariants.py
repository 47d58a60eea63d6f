"""Hypothesis invariants of the counting rules: conservation, order independence, monotonicity."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.tally import ApprovalProfile, Contestant, RankedProfile, count

STV = ("stv-scottish", "stv-wigm", "stv-meek")
APPROVAL = ("approval", "seq-phragmen", "mes")


def _cands(n: int) -> list[Contestant]:
    return [Contestant(f"c{i}", f"N{i}") for i in range(n)]


@st.composite
def ranked(draw: st.DrawFn) -> tuple[int, list[tuple[tuple[int, ...], int]], int]:
    n = draw(st.integers(2, 6))
    ballots = draw(st.lists(st.tuples(st.permutations(range(n)).flatmap(
        lambda p: st.integers(1, len(p)).map(lambda k: tuple(p[:k]))), st.integers(1, 20)), min_size=1, max_size=25))
    return n, ballots, draw(st.integers(1, n - 1))


@st.composite
def approvals(draw: st.DrawFn) -> tuple[int, list[tuple[tuple[int, ...], int]], int]:
    n = draw(st.integers(2, 6))
    ballots = draw(st.lists(st.tuples(st.sets(st.integers(0, n - 1), min_size=1).map(tuple), st.integers(1, 5)),
                            min_size=1, max_size=20))
    return n, ballots, draw(st.integers(1, n))


@settings(max_examples=60, deadline=None)
@given(ranked())
def test_stv_conserves_votes_at_every_stage(case: tuple[int, list[tuple[tuple[int, ...], int]], int]) -> None:
    n, ballots, seats = case
    p = RankedProfile.build(_cands(n), ballots)
    for rule in STV:
        r = count(rule, p, seats)
        assert len(r.elected) == seats
        assert sorted(r.ranking) == sorted(c.id for c in p.candidates)
        for stage in r.stages:
            assert stage.total() == p.total, (rule, stage.number)
            assert stage.exhausted >= 0
            assert stage.residual >= 0


@settings(max_examples=40, deadline=None)
@given(ranked(), st.randoms(use_true_random=False))
def test_stv_ballot_order_does_not_matter(case: tuple[int, list[tuple[tuple[int, ...], int]], int],
                                          rnd: random.Random) -> None:
    n, ballots, seats = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    for rule in STV:
        a = count(rule, RankedProfile.build(_cands(n), ballots, merge=False), seats)
        b = count(rule, RankedProfile.build(_cands(n), shuffled, merge=False), seats)
        assert a.elected == b.elected
        assert a.ranking == b.ranking


@settings(max_examples=40, deadline=None)
@given(approvals(), st.randoms(use_true_random=False))
def test_approval_rules_ignore_ballot_order(case: tuple[int, list[tuple[tuple[int, ...], int]], int],
                                            rnd: random.Random) -> None:
    n, ballots, seats = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    for rule in APPROVAL:
        a = count(rule, ApprovalProfile.build(_cands(n), ballots), seats)
        b = count(rule, ApprovalProfile.build(_cands(n), shuffled), seats)
        assert (a.elected, a.ranking) == (b.elected, b.ranking)


@settings(max_examples=60, deadline=None)
@given(approvals(), st.data())
def test_approval_counts_are_monotone(case: tuple[int, list[tuple[tuple[int, ...], int]], int],
                                      data: st.DataObject) -> None:
    n, ballots, seats = case
    before = count("approval", ApprovalProfile.build(_cands(n), ballots), seats)
    c = data.draw(st.integers(0, n - 1))
    extra = [*ballots, ((c,), 1)]
    after = count("approval", ApprovalProfile.build(_cands(n), extra), seats)
    assert before.scores is not None
    assert after.scores is not None
    assert after.scores[f"c{c}"] == before.scores[f"c{c}"] + 1
    assert all(after.scores[k] == v for k, v in before.scores.items() if k != f"c{c}")
    if f"c{c}" in before.elected:
        assert f"c{c}" in after.elected
    assert after.ranking.index(f"c{c}") <= before.ranking.index(f"c{c}")
