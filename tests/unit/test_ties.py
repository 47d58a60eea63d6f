"""One tie vocabulary for every engine, and ``lot`` only with a seed (issue 10, Scope 6 and 7).

The engine tests are parametrised over the registries (counting rules, seat methods, seat presets, list
objectives), so an engine added later is held to the same contract on arrival.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from tandau.core.candidates import Candidate
from tandau.core.lists import OBJECTIVES, ListRequest, form_list, vote_order
from tandau.core.lists import TIE_POLICIES as LIST_TIE_POLICIES
from tandau.core.seats import METHODS, PRESETS, allocate
from tandau.core.seats import TIE_POLICIES as SEAT_TIE_POLICIES
from tandau.core.tally import TIE_POLICIES as TALLY_TIE_POLICIES
from tandau.core.tally import ApprovalProfile, Contestant, RankedProfile, count, rule_ids
from tandau.core.tally.registry import get_rule
from tandau.core.ties import (
    CANDIDATE_TIE_POLICIES,
    MAX_SEED,
    PARTY_TIE_POLICIES,
    TIE_ALIASES,
    TIE_POLICIES,
    Lot,
    as_seed,
    normalise_tie_policy,
)
from tandau.errors import InputError, TieError, UnknownIdError

SEED_256 = MAX_SEED  # the largest 256-bit seed
SEED_HEX = "0x" + "ab" * 32


# -- the vocabulary ---------------------------------------------------------------------------------------------


def test_one_vocabulary_and_its_aliases() -> None:
    assert TIE_POLICIES == ("refuse", "lot", "nomination-order", "registration-order")
    assert TIE_ALIASES == {"nomination": "nomination-order"}
    assert TALLY_TIE_POLICIES == LIST_TIE_POLICIES == CANDIDATE_TIE_POLICIES
    assert tuple(SEAT_TIE_POLICIES) == PARTY_TIE_POLICIES
    assert set(CANDIDATE_TIE_POLICIES) | set(PARTY_TIE_POLICIES) == set(TIE_POLICIES)
    for policy in TIE_POLICIES:
        assert normalise_tie_policy(policy) == policy
    assert normalise_tie_policy("nomination", CANDIDATE_TIE_POLICIES) == "nomination-order"


def test_unknown_policy_lists_the_valid_ids() -> None:
    with pytest.raises(UnknownIdError, match="refuse, lot, nomination-order, registration-order") as err:
        normalise_tie_policy("coin-toss")
    assert err.value.valid == TIE_POLICIES


@pytest.mark.parametrize(("policy", "allowed", "hint"), [
    ("registration-order", CANDIDATE_TIE_POLICIES, "use 'nomination-order'"),
    ("nomination-order", PARTY_TIE_POLICIES, "use 'registration-order'"),
    ("nomination", PARTY_TIE_POLICIES, "use 'registration-order'"),
])
def test_the_other_order_is_refused_with_the_right_one_named(policy: str, allowed: tuple[str, ...], hint: str) -> None:
    with pytest.raises(InputError, match=hint):
        normalise_tie_policy(policy, allowed)


# -- seeds and the draw -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    (0, 0), (SEED_256, SEED_256), ("42", 42), (SEED_HEX, int("ab" * 32, 16)), (b"\xff" * 32, SEED_256),
    (bytes.fromhex("ab" * 32), int("ab" * 32, 16)), (None, None),
])
def test_seeds_are_integers_of_at_most_256_bits(given: int | bytes | str | None, expected: int | None) -> None:
    assert as_seed(given) == expected


@pytest.mark.parametrize("bad", [-1, MAX_SEED + 1, b"\0" * 33, "0xzz", "seven", True, 1.5])
def test_bad_seeds_are_refused(bad: object) -> None:
    with pytest.raises(InputError, match="seed"):
        as_seed(bad)  # type: ignore[arg-type]


def test_the_draw_is_the_documented_sha256_stream() -> None:
    """Pinned to the docstring of :class:`Lot`, so the draw can be replayed outside Tandau and never drifts."""
    seed = 12345
    key = b"tandau-lot/1" + seed.to_bytes(32, "big")
    expected = [int.from_bytes(hashlib.sha256(key + k.to_bytes(8, "big")).digest(), "big") % 10 for k in range(5)]
    lot = Lot(seed)
    assert [lot.below(10) for _ in range(5)] == expected
    items = list(range(6))
    shuffled = Lot(seed).shuffle(list(items))
    replay, stream = list(items), Lot(seed)
    for i in range(len(replay) - 1, 0, -1):
        j = stream.below(i + 1)
        replay[i], replay[j] = replay[j], replay[i]
    assert shuffled == replay
    assert sorted(shuffled) == items


def test_the_draw_is_fair_enough() -> None:
    counts = [0, 0, 0]
    lot = Lot(SEED_256)
    for _ in range(3000):
        counts[lot.below(3)] += 1
    assert all(900 < c < 1100 for c in counts), counts


# -- every engine: lot refused without a seed, reproducible with one --------------------------------------------


def _profile(rule: str) -> ApprovalProfile | RankedProfile:
    cands = [Contestant(f"c{i}", f"N{i}") for i in range(4)]
    if get_rule(rule).ballot == "ranked":
        return RankedProfile.build(cands, [((0, 1), 3), ((1, 0), 3), ((2, 3), 1), ((3, 2), 1)])
    return ApprovalProfile.build(cands, [((0,), 3), ((1,), 3), ((2,), 1), ((3,), 1)])


@pytest.mark.parametrize("rule", rule_ids())
def test_every_count_refuses_lot_without_a_seed(rule: str) -> None:
    with pytest.raises(InputError, match="'lot' tie policy needs a seed"):
        count(rule, _profile(rule), 1, tie_policy="lot")


@pytest.mark.parametrize("rule", rule_ids())
def test_every_count_draws_reproducibly_from_a_256_bit_seed(rule: str) -> None:
    runs = [count(rule, _profile(rule), 1, tie_policy="lot", seed=SEED_256) for _ in range(3)]
    assert len({r.elected for r in runs}) == 1
    assert runs[0].seed == SEED_256
    assert runs[0].tie_policy == "lot"
    outcomes = {count(rule, _profile(rule), 1, tie_policy="lot", seed=s).elected for s in range(24)}
    assert outcomes == {("c0",), ("c1",)}, "the draw depends on the seed"


@pytest.mark.parametrize("rule", rule_ids())
def test_every_count_speaks_the_vocabulary(rule: str) -> None:
    r = count(rule, _profile(rule), 1, tie_policy="nomination")
    assert r.tie_policy == "nomination-order"
    assert r.elected == ("c0",)
    with pytest.raises(TieError):
        count(rule, _profile(rule), 1, tie_policy="refuse")
    with pytest.raises(InputError, match="nomination-order"):
        count(rule, _profile(rule), 1, tie_policy="registration-order")


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_seat_method_refuses_lot_without_a_seed(method: str) -> None:
    with pytest.raises(InputError, match="'lot' tie policy needs a seed"):
        allocate({"A": 10, "B": 10, "C": 10}, 1, method=method, tie_policy="lot")


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_seat_method_draws_reproducibly_from_a_256_bit_seed(method: str) -> None:
    votes = {"A": 10, "B": 10, "C": 10}
    runs = [allocate(votes, 1, method=method, tie_policy="lot", seed=SEED_256) for _ in range(3)]
    assert len({tuple(r.as_dict().items()) for r in runs}) == 1
    assert runs[0].method.seed == SEED_256
    winners = {tuple(allocate(votes, 1, method=method, tie_policy="lot", seed=s).as_dict().values())
               for s in range(24)}
    assert len(winners) == 3, "the draw depends on the seed"
    assert allocate(votes, 1, method=method).as_dict() == {"A": 1, "B": 0, "C": 0}  # registration order
    with pytest.raises(InputError, match="registration-order"):
        allocate(votes, 1, method=method, tie_policy="nomination-order")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_seat_preset_refuses_lot_without_a_seed(preset: str) -> None:
    with pytest.raises(InputError, match="'lot' tie policy needs a seed"):
        allocate({"A": 10, "B": 10, "C": 10}, 5, rules=preset, tie_policy="lot")
    assert PRESETS[preset].tie_policy in PARTY_TIE_POLICIES


def _pool() -> tuple[Candidate, ...]:
    return tuple(Candidate(f"c{i}", f"N{i}", "FM"[i % 2], date(1980, 1, 1), 5, order=i) for i in range(6))


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_list_objective_refuses_lot_without_a_seed(objective: str) -> None:
    with pytest.raises(InputError, match="'lot' tie policy needs a seed"):
        form_list(ListRequest(_pool(), (), 4, objective=objective, ties="lot"))  # type: ignore[arg-type]


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_list_objective_draws_reproducibly_from_a_256_bit_seed(objective: str) -> None:
    def ids(seed: int) -> tuple[str, ...]:
        return form_list(ListRequest(_pool(), (), 4, objective=objective, ties="lot", seed=seed)).ids  # type: ignore[arg-type]

    assert len({ids(SEED_256) for _ in range(3)}) == 1
    assert len({ids(s) for s in range(10)}) > 1, "the draw depends on the seed"
    result = form_list(ListRequest(_pool(), (), 4, objective=objective, ties="lot", seed=SEED_256))  # type: ignore[arg-type]
    assert result.ties[0].seed == SEED_256
    assert result.ties[0].policy == "lot"


def test_list_formation_speaks_the_vocabulary() -> None:
    old = form_list(ListRequest(_pool(), (), 4, ties="nomination"))
    new = form_list(ListRequest(_pool(), (), 4, ties="nomination-order"))
    assert old.ids == new.ids == ("c0", "c1", "c2", "c3")
    assert new.ties[0].policy == "nomination-order"
    with pytest.raises(TieError):
        form_list(ListRequest(_pool(), (), 4, ties="refuse"))
    with pytest.raises(InputError, match="nomination-order"):
        vote_order(_pool(), "registration-order")
    with pytest.raises(UnknownIdError):
        vote_order(_pool(), "alphabetical")
