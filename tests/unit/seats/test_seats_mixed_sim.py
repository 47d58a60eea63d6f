"""What-if for a mixed council (issue 11, item 4): district chances, the list half, expected faction."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from tandau.core.seats.mixed import INDEPENDENT
from tandau.core.seats.mixed_charts import council_what_if_spec
from tandau.core.seats.mixed_sim import DistrictEstimate, district_chances, simulate_council, two_candidate_chance
from tandau.core.systems import get_system
from tandau.errors import InputError
from tandau.io.territory import kz_districts

from .test_seats_mixed import AMANAT_LIST, COUNCIL, DAY, LEVEL

#: the Kostanay 2023 list shares (of the party votes): Amanat 9, Ak Zhol 3, Auyl 2, Respublica 1, People's Party 1
SHARES = {"Amanat": 0.5578, "Auyl": 0.1263, "Respublica": 0.0632, "People's Party of Kazakhstan": 0.0638,
          "Ak Zhol": 0.1892}


def estimates(amanat: float = 0.5) -> list[DistrictEstimate]:
    rows = []
    for k in range(1, 17):
        woman = k % 2 == 1
        rows.append(DistrictEstimate(str(k), "Amanat", amanat if k <= 8 else 0.2, id=f"n{k}",
                                     sex="F" if woman else "M", birth_date=date(1995 if k % 4 == 1 else 1970, 1, 1)))
        rows.append(DistrictEstimate(str(k), "Ak Zhol", 0.3))
        rows.append(DistrictEstimate(str(k), INDEPENDENT, 0.25))
    return rows


def test_deterministic_council_is_hand_checked() -> None:
    """sigma 0 everywhere: the list half is the count of the shares (Amanat 9) and Amanat wins districts 1-8."""
    r = simulate_council(COUNCIL, LEVEL, SHARES, estimates(), lists={"Amanat": AMANAT_LIST}, election_day=DAY,
                         draws=50, list_sigma=0.0, sigma=0.0)
    i = r.parties.index("Amanat")
    assert (r.expected_list[i], r.expected_districts[i], r.expected("Amanat")) == (9.0, 8.0, 17.0)
    assert r.expected("Ak Zhol") == 3.0 + 8.0
    # list (kz-law-2022): #3, #10 women; #7 (33), #11 (24) under 35; districts 1, 3, 5, 7 women; 1 and 5 under 35
    assert (r.expected_women[i], r.expected_young[i]) == (6.0, 4.0)
    assert r.deputies_pmf[i][17] == 1.0
    assert [c.chance for c in r.chances if c.party == "Amanat"] == [1.0] * 8 + [0.0] * 8


def test_chances_sum_to_one_per_district_and_are_reproducible() -> None:
    kw = {"lists": {"Amanat": AMANAT_LIST}, "election_day": DAY, "draws": 3000, "seed": 11, "swing": 0.03}
    a = simulate_council(COUNCIL, LEVEL, SHARES, estimates(0.33), **kw)  # type: ignore[arg-type]
    b = simulate_council(COUNCIL, LEVEL, SHARES, estimates(0.33), **kw)  # type: ignore[arg-type]
    assert a.as_data() == b.as_data()
    by_district: dict[str, float] = {}
    for c in a.chances:
        assert 0.0 <= c.chance <= 1.0
        by_district[c.district] = by_district.get(c.district, 0.0) + c.chance
    assert all(math.isclose(x, 1.0) for x in by_district.values())
    for i, p in enumerate(a.parties):  # the pmf of deputies sums to 1 and its mean is the expectation
        pmf = np.array(a.deputies_pmf[i])
        assert math.isclose(pmf.sum(), 1.0) and math.isclose(float((pmf * np.arange(len(pmf))).sum()),
                                                             a.expected(p), abs_tol=1e-9)
    c = simulate_council(COUNCIL, LEVEL, SHARES, estimates(0.33), **{**kw, "seed": 12})  # type: ignore[arg-type]
    assert c.as_data() != a.as_data()


def test_two_candidate_chance_matches_the_normal_approximation() -> None:
    council = kz_districts("2023").council("M-3910")
    rows = [DistrictEstimate(str(k), p, s, sigma=sd) for k, (a, b, sd) in
            enumerate([(0.55, 0.45, 0.05), (0.5, 0.5, 0.08), (0.42, 0.48, 0.04)] * 6, start=1)
            for p, s in (("A", a), ("B", b))]
    cands, wins = district_chances(council, rows, np.random.default_rng(5), draws=40_000)
    for k in range(0, len(cands), 2):
        a, b = cands[k], cands[k + 1]
        expected = two_candidate_chance(a.share, a.sigma or 0, b.share, b.sigma or 0)
        got = float(wins[:, k].mean())
        assert abs(got - expected) < 4 * math.sqrt(expected * (1 - expected) / 40_000) + 1e-9


def test_unknown_attributes_give_none() -> None:
    rows = [DistrictEstimate(str(k), "Amanat", 0.6) for k in range(1, 17)] + [
        DistrictEstimate(str(k), "Ak Zhol", 0.4) for k in range(1, 17)]
    r = simulate_council(COUNCIL, LEVEL, SHARES, rows, draws=200)
    i = r.parties.index("Amanat")
    assert r.expected_women[i] is None and r.expected_young[i] is None


@pytest.mark.parametrize(("rows", "text"), [
    ([DistrictEstimate("99", "A", 0.5, file="e.csv", row=2)], "unknown district '99'"),
    ([DistrictEstimate("1", "A", 0.5), DistrictEstimate("1", "A", 0.4, file="e.csv", row=3)],
     "already has a candidate"),
    ([DistrictEstimate("1", "A", 0.5)], "no candidate estimate for district(s) M-39-D02"),
])
def test_estimate_errors(rows: list[DistrictEstimate], text: str) -> None:
    with pytest.raises(InputError) as e:
        simulate_council(COUNCIL, LEVEL, SHARES, rows, draws=10)
    assert text in e.value.problem


def test_single_member_council_and_chart() -> None:
    council = kz_districts("2023").council("M-3910")
    rows = [DistrictEstimate(str(k), "A", 0.5, name=f"N{k}") for k in range(1, 19)] + [
        DistrictEstimate(str(k), "B", 0.45) for k in range(1, 19)]
    r = simulate_council(council, get_system("kz-2023").level("city"), {}, rows, draws=500, seed=3)
    assert r.list_result is None and r.expected_list == (0.0, 0.0)
    spec = council_what_if_spec(r, "A")
    assert spec["$schema"].endswith("v6.json")
    chances = spec["vconcat"][0]["data"]["values"]
    assert len(chances) == 18 and {v["party"] for v in chances} == {"A"}
    assert spec["vconcat"][1]["encoding"]["x"]["title"] == "Deputies (list + districts)"


def test_council_chart_renders_with_vega() -> None:
    """The spec compiles and renders with the vega-lite/vega packages in node_modules (skipped without them)."""
    import shutil
    from pathlib import Path

    modules = Path(__file__).resolve().parents[3] / "node_modules"
    if shutil.which("node") is None or not (modules / "vega-lite").is_dir():
        pytest.skip("node or node_modules missing (npm ci)")
    from tandau.web.charts import render_svg

    council = kz_districts("2023").council("M-39")
    rows = [DistrictEstimate(str(k), p, s) for k in range(1, 17) for p, s in (("A", 0.5), ("B", 0.45))]
    r = simulate_council(council, LEVEL, {"A": 0.6, "B": 0.4}, rows, draws=300, seed=2)
    svg = render_svg(council_what_if_spec(r))
    assert svg.startswith("<svg") and "Chance of winning each district" in svg
