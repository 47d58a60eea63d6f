"""The large-set programme (gains over the base choice, bounded moves) equals the need-vector programme."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandau.core.nominees.dp import Option, solve


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[list[Option]], list[int]]:
    k = draw(st.integers(0, 3))
    districts = []
    for _ in range(draw(st.integers(1, 8))):
        m = draw(st.integers(1, 4))
        first = draw(st.sampled_from([1, 1, 1, 2]))  # 2: the winner excluded (or another's pin)
        ranks = sorted(draw(st.sets(st.integers(first + 1, 7), min_size=m - 1, max_size=m - 1)) | {first})
        districts.append([Option(r, i, tuple(draw(st.integers(0, 1)) for _ in range(k))) for i, r in enumerate(ranks)])
    need = [draw(st.integers(0, len(districts))) for _ in range(k)]
    return districts, need


def _ranks(districts: list[list[Option]], need: list[int], method: str) -> tuple[int, ...] | None:
    picks = solve(districts, need, method).picks
    return None if picks is None else tuple(p.rank for p in picks)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_moves_equal_counts(instance: tuple[list[list[Option]], list[int]]) -> None:
    districts, need = instance
    assert _ranks(districts, need, "moves") == _ranks(districts, need, "counts")


@pytest.mark.parametrize("seed", range(6))
def test_moves_equal_counts_on_a_region(seed: int) -> None:
    rng = Random(seed)
    districts = []
    for _ in range(rng.randint(150, 300)):
        ranks = range(1, rng.randint(2, 5) + 1)
        districts.append([Option(r, r - 1, (int(rng.random() < 0.3), int(rng.random() < 0.18))) for r in ranks])
    need = [-(-3 * len(districts) // 10), -(-2 * len(districts) // 10)]
    assert _ranks(districts, need, "moves") == _ranks(districts, need, "counts")
