"""Real councils' seat splits (party-list seats and single-member districts) under their electoral system: one
JSON file per council, each with its ``source``. ``derived_seats`` pins the project's derived size beside the
official one, so that a known gap (Astana 2023: 33 derived, 34 official) stays visible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandau.core.systems import derive_districts, get_system
from tandau.io.territory import load_kz, load_official_seats

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("*.json"))


def test_systems_vectors_exist() -> None:
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in CASES]
    mixed = [c for c in cases if c["system"] == "kz-2023" and c["list_seats"] and c["single_member"]]
    assert len(mixed) >= 5  # several real mixed councils of 2023 (and the Majilis)
    assert {c["system"] for c in cases} == {"kz-2021", "kz-2023"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_official_split(path: Path, tmp_path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"] and case["name"]
    system = get_system(case["system"])
    seats, list_seats, single = case["seats"], case["list_seats"], case["single_member"]
    assert list_seats + single == seats
    assert system.split(case["level"], seats) == (list_seats, single)
    territory = load_kz(system.layout)
    council = territory.council(case["council"])
    assert council.level == case["level"]
    assert council.seats == case["derived_seats"]
    if "seats_vector" in case:  # the list half is the one the seat-allocation vector allocates
        allocated = json.loads((HERE.parent / "seats" / f"{case['seats_vector']}.json").read_text(encoding="utf-8"))
        assert allocated["seats"] == list_seats
    # with the official size loaded, the council's districts are exactly its single-member seats
    if council.level != "national":
        table = tmp_path / "official.csv"
        table.write_text(f"council_id,seats\n{case['council']},{seats}\n", encoding="utf-8")
        official = load_official_seats(table, territory)
        districting = derive_districts(official, system)
    else:
        districting = derive_districts(territory, system)
    split = districting.council(case["council"])
    assert (split.list_seats, split.single_member) == (list_seats, single)
    if "districts_per_region" in case:
        per_region: dict[str, int] = {}
        for d in split.districts:
            per_region[d.kato] = per_region.get(d.kato, 0) + 1
        assert per_region == case["districts_per_region"]
