"""A commitment becomes a control target: the mapping, the refusals, and the round trip through TARGETS.csv."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tandau.core.programmes import Commitment, NotATargetError, commitment_target, commitment_targets
from tandau.io.control_csv import read_targets
from tandau.io.programme_csv import read_programme, targets_csv

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "programmes"


def good(**changes: object) -> Commitment:
    base = Commitment("X-1", "593200000", "roads", "Жол", "Дороги", "roads", "km", D("2.5"), 2022, D(10),
                      date(2027, 12, 31), "increase", D(100), "local budget", "akimat", "DP-1", ("P-1",))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_district_commitment_is_a_series_of_its_region_under_its_council() -> None:
    t = commitment_target(good())
    assert (t.programme, t.indicator, t.region, t.unit, t.kind, t.direction) == (
        "M-5932", "roads", "590000000", "km", "cumulative", "increase")
    assert (t.baseline, t.baseline_date, t.target, t.deadline, t.budget_kzt) == (
        D("2.5"), date(2022, 12, 31), D(10), date(2027, 12, 31), D(100))
    assert "commitment X-1" in t.source and "territory 593200000" in t.source and "DP-1" in t.source
    region = commitment_target(good(territory="590000000"))
    assert (region.programme, region.region) == ("M-59", "590000000")
    city_district = commitment_target(good(territory="751210000"))
    assert (city_district.programme, city_district.region) == ("M-75", "750000000")
    assert commitment_target(good(), "housing-2023").programme == "housing-2023"


@pytest.mark.parametrize(("changes", "reason"), [
    ({"baseline": None}, "no baseline"),
    ({"baseline_year": None}, "no baseline_year"),
    ({"target": None}, "no target"),
    ({"deadline": None}, "no deadline"),
    ({"indicator": ""}, "no indicator"),
    ({"unit": ""}, "no unit"),
    ({"deadline": date(2022, 12, 31)}, "not after the baseline date"),
    ({"target": D(1)}, "wrong side of the baseline"),
    ({"direction": "decrease", "target": D(1)}, "set kind to level"),
    ({"budget_kzt": D(-1)}, "negative"),
])
def test_what_cannot_become_a_target_is_refused(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(NotATargetError, match=reason) as caught:
        commitment_target(good(**changes))
    assert caught.value.refused[0][0] == "X-1"


def test_all_or_nothing_with_every_refusal_and_one_target_per_series() -> None:
    with pytest.raises(NotATargetError) as caught:
        commitment_targets([good(commitment="A", target=None), good(commitment="B"),
                            good(commitment="C", deadline=date(2026, 12, 31)), good(commitment="D", baseline=None)])
    assert [cid for cid, _ in caught.value.refused] == ["A", "C", "D"]
    assert "already comes from commitment B" in caught.value.refused[1][1][0]
    level = good(commitment="E", indicator="potholes", direction="decrease", kind="level", target=D(1))
    assert [t.kind for t in commitment_targets([good(), level])] == ["cumulative", "level"]


def test_round_trip_through_the_control_targets_reader(tmp_path: Path) -> None:
    programme = read_programme(VECTORS / "clean.csv")
    targets = commitment_targets(programme.commitments)
    path = tmp_path / "TARGETS.csv"
    path.write_text(targets_csv(targets), encoding="utf-8")
    series = read_targets(path)
    assert [s.versions for s in series.values()] == [(t,) for t in targets]
    assert {t.region for t in targets} == {"590000000"}
    assert [t.programme for t in targets] == ["M-59", "M-59", "M-5910", "M-5932", "M-5932"]
