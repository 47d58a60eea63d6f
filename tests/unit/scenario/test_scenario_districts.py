"""The scenario under an electoral system with single-member districts (kz-2023): list candidates for the list
seats only, 2-5 candidates per district, every member in one district of each council they vote for."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tandau.core.candidates import age_on
from tandau.errors import InputError
from tandau.io.territory import kz_districts, load_districts
from tandau.services.scenario import generate

FILES = ("README.txt", "scenario.json", "councils.csv", "candidates.csv", "districts.csv", "district_candidates.csv",
         "member_districts.csv", "members.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("scenario-districts")
    summary = generate(out, seed=5, scale=0.02, system="kz-2023")
    return {"dir": out, "summary": summary, "meta": json.loads((out / "scenario.json").read_text(encoding="utf-8")),
            **{name: _rows(out / f"{name}.csv") for name in ("councils", "candidates", "districts",
                                                             "district_candidates", "member_districts", "members")}}


def test_files_and_metadata(scenario: dict[str, Any]) -> None:
    assert scenario["summary"].files == FILES
    meta = scenario["meta"]
    assert (meta["system"], meta["layout"], meta["election_date"]) == ("kz-2023", "2023", "2023-03-19")
    counts = meta["counts"]
    assert counts["districts"] == len(scenario["districts"]) == 3127  # 3,098 maslikhat districts + 29 Majilis
    assert counts["district_candidates"] == len(scenario["district_candidates"])
    assert counts["members"] == len(scenario["members"])
    assert counts["member_districts"] == len(scenario["member_districts"])


def test_list_candidates_only_where_there_are_list_seats(scenario: dict[str, Any]) -> None:
    councils = {c["council_id"]: c for c in scenario["councils"]}
    listed = {cid for cid, c in councils.items() if int(c["list_length"]) > 0}
    assert {c["level"] for cid, c in councils.items() if cid not in listed} == {"city", "district"}
    assert {c["level"] for cid, c in councils.items() if cid in listed} == {"national", "regional", "republican_city"}
    assert (councils["KZ-MAJILIS"]["seats"], councils["KZ-MAJILIS"]["list_length"]) == ("69", "89")
    assert councils["M-75"]["seats"] == "21"  # Almaty: 21 list seats of 42
    assert {c["council_id"] for c in scenario["candidates"]} == listed


def test_districts_are_the_layouts_and_load_back(scenario: dict[str, Any]) -> None:
    expected = kz_districts("2023")
    assert [d["district"] for d in scenario["districts"]] == [d.id for d in expected.districts()]
    loaded = load_districts(scenario["dir"] / "districts.csv", expected)
    assert [d.id for d in loaded.districts()] == [d.id for d in expected.districts()]


def test_two_to_five_candidates_per_district(scenario: dict[str, Any]) -> None:
    per = Counter(c["district"] for c in scenario["district_candidates"])
    assert set(per) == {d["district"] for d in scenario["districts"]}
    assert min(per.values()) >= 2 and max(per.values()) <= 5
    ids = [c["id"] for c in scenario["candidates"]] + [c["id"] for c in scenario["district_candidates"]]
    assert len(set(ids)) == len(ids)
    members = {m["id"]: m for m in scenario["members"]}
    election = date(2023, 3, 19)
    by_district: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in scenario["district_candidates"]:
        by_district[c["district"]].append(c)
        m = members[c["member_id"]]
        assert (m["name"], m["sex"], m["birth_date"]) == (c["name"], c["sex"], c["birth_date"])
        council = c["council_id"]
        assert c["district"].startswith(council + "-D")
        assert age_on(date.fromisoformat(c["birth_date"]), election) >= (25 if council == "KZ-MAJILIS" else 20)
        if council != "KZ-MAJILIS":  # lives in the council's territory
            assert m["unit_kato"].startswith(council.removeprefix("M-")), (c, m)
    for rows in by_district.values():
        assert [int(r["order"]) for r in rows] == list(range(1, len(rows) + 1))
    women = sum(c["sex"] == "F" for c in scenario["district_candidates"]) / len(scenario["district_candidates"])
    assert 0.34 <= women <= 0.42


def test_every_member_has_one_district_in_each_council_covering_them(scenario: dict[str, Any]) -> None:
    districts = {d["district"]: d for d in scenario["districts"]}
    members = {m["id"]: m for m in scenario["members"]}
    theirs: dict[str, dict[str, str]] = defaultdict(dict)
    for row in scenario["member_districts"]:
        council = districts[row["district"]]["council"]
        assert council not in theirs[row["member"]], row
        theirs[row["member"]][council] = row["district"]
    for member_id, m in members.items():
        got = theirs[member_id]
        region, unit = m["region_id"], m["unit_kato"]
        assert districts[got["KZ-MAJILIS"]]["kato"] == region  # a Majilis district of their region
        assert f"M-{region}" in got
        local = [c for c in got if c not in ("KZ-MAJILIS", f"M-{region}")]
        assert all(unit.startswith(c.removeprefix("M-")) for c in local)
        # a member of a city or district maslikhat (not of Astana, Almaty or Shymkent) votes in one of its districts
        assert len(local) == (0 if region in ("71", "75", "79") else 1), (member_id, got)
    # a district candidate votes in the district they stand in
    for c in scenario["district_candidates"]:
        assert theirs[c["member_id"]][c["council_id"]] == c["district"]
    # spread over the districts in turn: every district has members to vote in it
    voters = Counter(r["district"] for r in scenario["member_districts"])
    assert all(voters[d] > 0 for d in districts)


def test_deterministic_and_no_members_changes_nothing_else(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=9, scale=0.004, system="kz-2023")
    generate(tmp_path / "b", seed=9, scale=0.004, system="kz-2023")
    generate(tmp_path / "c", seed=9, scale=0.004, system="kz-2023", write_members=False)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for name in ("councils.csv", "candidates.csv", "districts.csv", "district_candidates.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    assert not (tmp_path / "c" / "member_districts.csv").exists()


def test_all_list_system_and_no_system(tmp_path: Path) -> None:
    generate(tmp_path / "none", seed=4, scale=0.003, write_members=False)
    generate(tmp_path / "k21", seed=4, scale=0.003, system="kz-2021", write_members=False)
    assert json.loads((tmp_path / "k21" / "scenario.json").read_text(encoding="utf-8"))["layout"] == "2021"
    assert not (tmp_path / "k21" / "districts.csv").exists() and not (tmp_path / "none" / "districts.csv").exists()
    # without a system, layout 2023 keeps a list for every council, as before systems existed
    assert all(int(c["list_length"]) > 0 for c in _rows(tmp_path / "none" / "councils.csv"))
    with pytest.raises(InputError, match="layout 2023, not 2021"):
        generate(tmp_path / "bad", seed=4, scale=0.003, system="kz-2023", layout="2021")
