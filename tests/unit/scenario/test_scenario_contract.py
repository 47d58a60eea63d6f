"""The demo scenario's file contract (read by `tandau lists build-all --scenario DIR`) and its calibration.

source: /work/shared/docs/kz-facts.md (2020 primaries: 37% women, 29% under 35, ~70% self-nominated, 84.2% turnout).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tandau.core.candidates import age_on
from tandau.io.territory import load_kz
from tandau.services.scenario import FORMAT, generate

COUNCIL_COLUMNS = ["council_id", "name", "name_ru", "level", "region_id", "region_name", "kato", "seats",
                   "seats_source", "list_length"]
CANDIDATE_COLUMNS = ["council_id", "id", "name", "sex", "birth_date", "votes", "tags", "nominated_by", "member_id",
                     "order"]
MEMBER_COLUMNS = ["id", "name", "sex", "birth_date", "region_id", "unit_kato", "contact"]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("scenario")
    generate(out, seed=7, scale=0.02)
    meta = json.loads((out / "scenario.json").read_text(encoding="utf-8"))
    return {"dir": out, "meta": meta, "councils": _read(out / "councils.csv"),
            "candidates": _read(out / "candidates.csv"), "members": _read(out / "members.csv")}


def test_metadata(scenario: dict[str, Any]) -> None:
    meta = scenario["meta"]
    assert meta["format"] == FORMAT == "tandau-scenario/1"
    assert meta["synthetic"] is True
    assert "all persons are synthetic" in meta["notice"]
    assert (meta["seed"], meta["scale"], meta["layout"], meta["election_date"]) == (7, 0.02, "2023", "2023-03-19")
    assert meta["counts"]["councils"] == 224
    assert meta["counts"]["candidates"] == len(scenario["candidates"][1])
    readme = (scenario["dir"] / "README.txt").read_text(encoding="utf-8").splitlines()[0]
    assert readme.startswith("SYNTHETIC DATA")
    assert "synthetic" in readme.lower()


def test_councils_file(scenario: dict[str, Any]) -> None:
    columns, rows = scenario["councils"]
    assert columns == COUNCIL_COLUMNS
    assert len(rows) == 224 == len({r["council_id"] for r in rows})
    levels = Counter(r["level"] for r in rows)
    assert levels == {"national": 1, "regional": 17, "republican_city": 3, "city": 37, "district": 166}
    by_id = {r["council_id"]: r for r in rows}
    assert (by_id["KZ-MAJILIS"]["seats"], by_id["KZ-MAJILIS"]["list_length"]) == ("69", "89")
    assert by_id["M-1110"]["kato"] == "1110"
    assert by_id["M-11"]["region_id"] == "11"
    for r in rows:
        seats = int(r["seats"])
        assert int(r["list_length"]) == seats + (3 * seats) // 10
        assert r["seats_source"] in {"derived", "official"}


def test_candidates_file(scenario: dict[str, Any]) -> None:
    columns, rows = scenario["candidates"]
    assert columns == CANDIDATE_COLUMNS
    assert len({r["id"] for r in rows}) == len(rows)
    councils = {r["council_id"]: r for r in scenario["councils"][1]}
    # grouped by council, each in nomination order 1..n
    seen: list[str] = []
    for r in rows:
        if not seen or seen[-1] != r["council_id"]:
            assert r["council_id"] not in seen
            seen.append(r["council_id"])
    assert set(seen) == set(councils)
    by_council: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_council[r["council_id"]].append(r)
    election = date(2023, 3, 19)
    for cid, group in by_council.items():
        assert [int(r["order"]) for r in group] == list(range(1, len(group) + 1))
        length = int(councils[cid]["list_length"])
        assert len(group) >= length
        assert sum(r["sex"] == "F" for r in group) >= 0.35 * length
        minimum = 25 if cid == "KZ-MAJILIS" else 20
        ages = [age_on(date.fromisoformat(r["birth_date"]), election) for r in group]
        assert min(ages) >= minimum
        assert sum(a < 35 for a in ages) >= 0.25 * length
    for r in rows:
        assert r["sex"] in {"F", "M"}
        assert r["nominated_by"] in {"organisation", "self"}
        assert int(r["votes"]) >= 0
        assert set(filter(None, r["tags"].split(";"))) <= {"disability", "repatriate", "entrepreneur", "media"}


def test_calibration(scenario: dict[str, Any]) -> None:
    rows = scenario["candidates"][1]
    n = len(rows)
    assert 10_000 <= n <= 12_000
    election = date(2023, 3, 19)
    women = sum(r["sex"] == "F" for r in rows) / n
    young = sum(age_on(date.fromisoformat(r["birth_date"]), election) < 35 for r in rows) / n
    self_share = sum(r["nominated_by"] == "self" for r in rows) / n
    assert 0.35 <= women <= 0.40
    assert 0.27 <= young <= 0.32
    assert 0.67 <= self_share <= 0.73
    tags = Counter(t for r in rows for t in r["tags"].split(";") if t)
    assert set(tags) == {"disability", "repatriate", "entrepreneur", "media"}
    assert sum(tags.values()) < 0.3 * n


def test_members_file_and_candidates_are_members(scenario: dict[str, Any]) -> None:
    columns, members = scenario["members"]
    assert columns == MEMBER_COLUMNS
    assert len(members) == scenario["meta"]["counts"]["members"] == 16_000
    territory = load_kz("2023")
    by_id = {m["id"]: m for m in members}
    assert len(by_id) == len(members)
    for m in members[:2000] + members[-2000:]:
        assert m["contact"].endswith("@example.invalid")
        unit = territory.unit(m["unit_kato"])
        assert unit.parent == m["region_id"]
        assert unit.kind in {"city", "district", "city_district"}
    for c in scenario["candidates"][1]:
        m = by_id[c["member_id"]]
        assert (m["name"], m["sex"], m["birth_date"]) == (c["name"], c["sex"], c["birth_date"])


def test_votes_follow_the_electorates(scenario: dict[str, Any]) -> None:
    counts = scenario["meta"]["counts"]
    rows = scenario["candidates"][1]
    per_council = Counter[str]()
    for r in rows:
        per_council[r["council_id"]] += int(r["votes"])
    assert per_council["KZ-MAJILIS"] == counts["voters"]
    assert 0.80 <= counts["turnout"] <= 0.88
    assert sum(per_council.values()) == counts["votes_cast"]
    # regional contest = sum of its district and city electorates' voters (plus none elsewhere)
    assert all(per_council[c] <= counts["voters"] for c in per_council)


def test_equal_votes_occur_at_small_scale(scenario: dict[str, Any]) -> None:
    by_council: dict[str, list[int]] = defaultdict(list)
    for r in scenario["candidates"][1]:
        by_council[r["council_id"]].append(int(r["votes"]))
    tied = [cid for cid, v in by_council.items() if len(set(v)) < len(v)]
    assert len(tied) > 50


def test_vote_distribution_is_skewed(scenario: dict[str, Any]) -> None:
    votes = sorted((int(r["votes"]) for r in scenario["candidates"][1] if r["council_id"] == "KZ-MAJILIS"),
                   reverse=True)
    top_fifth = sum(votes[: len(votes) // 5])
    assert top_fifth > 0.4 * sum(votes)
