"""Unit tests of the seat allocation core: traces, ties, thresholds, presets, bounds, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tandau.core.seats import (
    METHODS,
    PRESETS,
    DivisorTrace,
    NoListPassesError,
    QuotaTrace,
    Threshold,
    allocate,
    allocate_fast,
    get_method,
    get_preset,
)
from tandau.errors import InputError, TieError, UnknownIdError


def test_seats_registry_ids_are_the_issue_ids() -> None:
    assert set(METHODS) == {"dhondt", "sainte-lague", "modified-sainte-lague", "huntington-hill", "adams", "danish",
                            "imperiali", "hare", "droop", "hagenbach-bischoff", "imperiali-quota"}
    assert all(m.source and m.name for m in METHODS.values())
    assert set(PRESETS) == {"kz-majilis-2016", "kz-majilis-2021", "kz-majilis-2023", "kz-maslikhat-2021",
                            "kz-maslikhat-2023"}


def test_seats_unknown_ids_list_the_valid_ones() -> None:
    with pytest.raises(UnknownIdError, match="valid: adams"):
        get_method("hondt")
    with pytest.raises(UnknownIdError, match="kz-majilis-2016"):
        get_preset("kz")


def test_seats_dhondt_trace_is_the_quotient_table() -> None:
    res = allocate({"A": 100, "B": 80, "C": 30}, 5, method="dhondt")
    assert res.as_dict() == {"A": 3, "B": 2, "C": 0}
    trace = res.method.trace
    assert isinstance(trace, DivisorTrace)
    assert [(a.party, a.quotient) for a in trace.awards] == [
        ("A", 100), ("B", 80), ("A", 50), ("B", 40), ("A", Fraction(100, 3))]
    assert dict(trace.first_losing) == {"A": 25, "B": Fraction(80, 3), "C": 30}


def test_seats_hare_trace_has_quota_whole_parts_and_remainders() -> None:
    res = allocate({"A": 47, "B": 16, "C": 15, "D": 12, "E": 6, "F": 4}, 10, method="hare")
    assert res.as_dict() == {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0}
    trace = res.method.trace
    assert isinstance(trace, QuotaTrace)
    assert trace.quota == 10
    assert dict(trace.whole) == {"A": 4, "B": 1, "C": 1, "D": 1, "E": 0, "F": 0}
    assert trace.remainder_seats == ("A", "B", "E")


def test_seats_droop_quota_is_floor_plus_one() -> None:
    trace = allocate({"A": 47, "B": 53}, 4, method="droop").method.trace
    assert isinstance(trace, QuotaTrace)
    assert trace.quota == 100 // 5 + 1


def test_seats_imperiali_quota_over_allocation_is_taken_back() -> None:
    res = allocate({"A": 31658, "B": 62, "C": 573}, 8, method="imperiali-quota")
    assert res.as_dict() == {"A": 8, "B": 0, "C": 0}
    assert res.method.trace.removed == ("A",)  # type: ignore[union-attr]


def test_seats_modified_sainte_lague_first_divisor_is_1_4() -> None:
    # 14 vs 10 votes for 1 seat decides nothing; for the second seat: A's 14/3 vs B's 10/1.4 ~ 7.14: B wins
    assert allocate({"A": 14, "B": 10}, 2, method="modified-sainte-lague").as_dict() == {"A": 1, "B": 1}
    assert allocate({"A": 30, "B": 10}, 2, method="modified-sainte-lague").as_dict() == {"A": 2, "B": 0}


def test_seats_huntington_hill_gives_everyone_a_first_seat() -> None:
    assert allocate({"A": 1000, "B": 1, "C": 1}, 3, method="huntington-hill").as_dict() == {"A": 1, "B": 1, "C": 1}


def test_seats_ties_follow_the_policy() -> None:
    votes = {"A": 10, "B": 10, "C": 10}
    first = allocate(votes, 2, method="dhondt")
    assert first.as_dict() == {"A": 1, "B": 1, "C": 0}
    assert first.method.ties[0].tied == ("A", "B", "C")
    assert first.method.ties[0].places == 2
    with pytest.raises(TieError, match="A, B, C"):
        allocate(votes, 2, method="hare", tie_policy="refuse")
    lots = {tuple(allocate(votes, 1, method="dhondt", tie_policy="lot", seed=s).as_dict().values())
            for s in range(30)}
    assert len(lots) == 3
    with pytest.raises(InputError, match="seed"):
        allocate(votes, 1, method="dhondt", tie_policy="lot")


def test_seats_kazakh_equal_remainders_go_to_the_earlier_registered_list() -> None:
    res = allocate([("Later", 50), ("Earlier", 50)], 1, rules="kz-majilis-2021")
    assert res.as_dict() == {"Later": 1, "Earlier": 0}  # the first given is the earlier registered
    assert res.method.ties[0].stage.startswith("largest remainder")


def test_seats_runner_up_is_admitted_when_only_one_list_passes() -> None:
    res = allocate({"A": 9000, "B": 500, "C": 400, "D": 100}, 10, rules="kz-majilis-2021")
    assert res.threshold is not None
    assert res.threshold.admitted == ("A", "B")
    assert res.as_dict() == {"A": 9, "B": 1, "C": 0, "D": 0}


def test_seats_no_list_passes_is_a_clear_error() -> None:
    with pytest.raises(NoListPassesError, match="no list reached the threshold"):
        allocate({"A": 10, "B": 10}, 3, method="hare", threshold=Threshold(Fraction(60, 100)))
    with pytest.raises(InputError, match="no list"):
        allocate_fast([10, 10], 3, "hare", Fraction(60, 100))


def test_seats_against_all_counts_in_the_2023_base() -> None:
    votes = {"A": 900, "B": 52, "C": 48}
    assert allocate(votes, 10, rules="kz-majilis-2023").threshold.admitted == ("A", "B")  # type: ignore[union-attr]
    # 52 of 1,000 + 100 against all = 4.7% < 5%: B falls out, C (48) is the runner-up? no: B has more votes
    res = allocate(votes, 10, rules="kz-majilis-2023", other_valid_votes=100)
    assert res.threshold is not None
    assert dict(res.threshold.reasons)["B"] == "runner-up"


def test_seats_alternative_threshold_seats_elsewhere() -> None:
    thr = Threshold(Fraction(5, 100), alt_seats=1)
    res = allocate({"A": 900, "B": 70, "C": 30}, 20, method="sainte-lague", threshold=thr, seats_elsewhere={"C": 1})
    assert res.threshold is not None
    assert dict(res.threshold.reasons)["C"] == "seats elsewhere"
    assert res.as_dict()["C"] == 1


@pytest.mark.parametrize("method_id", sorted(METHODS))
def test_seats_bounds_pass_the_surplus_on(method_id: str) -> None:
    votes = {"A": 700, "B": 200, "C": 100}
    res = allocate(votes, 10, method=method_id, maximum={"A": 5}, minimum={"C": 2})
    seats = res.as_dict()
    assert seats["A"] <= 5
    assert seats["C"] >= 2
    assert sum(seats.values()) == 10


def test_seats_inconsistent_bounds_are_refused() -> None:
    with pytest.raises(InputError, match="minimums add up"):
        allocate({"A": 1, "B": 1}, 3, method="dhondt", minimum={"A": 2, "B": 2})


@pytest.mark.parametrize(("votes", "house"), [({"A": -1}, 3), ({"A": 1}, 0), ({}, 3)])
def test_seats_bad_input_is_an_input_error(votes: dict[str, int], house: int) -> None:
    with pytest.raises(InputError):
        allocate(votes, house, method="dhondt")


def test_seats_as_data_is_json_ready() -> None:
    import json

    data = allocate({"A": 5148074, "B": 792828, "C": 258618}, 98, rules="kz-majilis-2021").as_data()
    text = json.dumps(data)
    assert '"seats": {"A": 85, "B": 13, "C": 0}' in text
    assert '"kind": "largest-remainder"' in text
