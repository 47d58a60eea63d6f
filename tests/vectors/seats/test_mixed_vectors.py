"""Real 2023 mixed councils: list half and district winners → the council's composition (one JSON per council in
``mixed/``, each with its ``source``). Kostanay oblast and Astana city have list results only (no party split of
their district winners was found): their list halves are checked here through the council composition."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.seats.mixed import DistrictResult, compose_council
from tandau.core.systems import CouncilSeats, District, get_system
from tandau.io.territory import kz_districts

HERE = Path(__file__).parent
CASES = sorted((HERE / "mixed").glob("*.json"))


def _rows(winners: dict[str, int]) -> list[DistrictResult]:
    parties = [p for p, n in winners.items() for _ in range(n)]
    return [DistrictResult(str(k), f"winner {k}", p) for k, p in enumerate(parties, start=1)]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_mixed_council_composition(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    system = get_system(case["system"])
    council = kz_districts(system.layout).council(case["council"])
    r = compose_council(council, system.level(council.level), list(case["votes"].items()),
                        _rows(case["district_winners"]), other_valid_votes=case["other_valid_votes"],
                        election_day=date.fromisoformat(case["election_day"]))
    assert r.allocation is not None and r.allocation.as_dict() == case["expected_list"]
    assert {p.party: p.total for p in r.parties} == case["expected_composition"]
    assert r.vacant == 0 and sum(p.total for p in r.parties) == council.seats


def test_almaty_through_the_cli(tmp_path: Path) -> None:
    case = json.loads((HERE / "mixed" / "kz-maslikhat-2023-almaty-city.json").read_text(encoding="utf-8"))
    votes = tmp_path / "votes.csv"
    votes.write_text("party,votes\n" + "".join(f"{p},{v}\n" for p, v in case["votes"].items()), encoding="utf-8")
    results = tmp_path / "results.csv"
    results.write_text("district,winner,party\n" + "".join(
        f"{r.district},{r.winner},{'' if r.party == 'self-nominated' else r.party}\n"
        for r in _rows(case["district_winners"])), encoding="utf-8")
    out = CliRunner().invoke(app, ["seats", "council", "--system", "kz-2023", "--council", "M-75", "--votes",
                                   str(votes), "--districts", str(results), "--other-valid-votes", "16490"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {r["party"]: r["total"] for r in data["composition"]} == case["expected_composition"]


@pytest.mark.parametrize(("seats_vector", "systems_vector"), [
    ("kz-maslikhat-2023-kostanay-oblast", "kz-2023-kostanay-oblast"),
    ("kz-maslikhat-2023-astana", "kz-2023-astana-city"),
])
def test_list_half_of_real_mixed_councils(seats_vector: str, systems_vector: str) -> None:
    """The official size (Astana: 34 = 17 + 17; the derived size is 33) with the list result; districts unknown."""
    seats = json.loads((HERE / f"{seats_vector}.json").read_text(encoding="utf-8"))
    size = json.loads((HERE.parent / "systems" / f"{systems_vector}.json").read_text(encoding="utf-8"))
    council = CouncilSeats(size["council"], size["level"], size["seats"], size["list_seats"],
                           tuple(District(f"{size['council']}-D{k:02d}", size["council"], k)
                                 for k in range(1, size["single_member"] + 1)))
    unknown = [DistrictResult(str(k), f"winner {k}", "unknown") for k in range(1, size["single_member"] + 1)]
    r = compose_council(council, get_system(size["system"]).level(size["level"]), list(seats["votes"].items()),
                        unknown, other_valid_votes=seats.get("other_valid_votes", 0))
    assert {p.party: p.list_seats for p in r.parties if p.party != "unknown"} == seats["expected"]
    assert r.party("unknown").district_seats == size["single_member"]
