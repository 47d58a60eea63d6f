"""Nominee selection vectors: each file gives its source, the districts, the rules and the expected nominees
(with some reasons) or refusal; the ILP oracle must agree as well."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tandau.core.candidates import Candidate
from tandau.core.nominees import District, NomineeRequest, NomineesInfeasibleError, select_nominees
from tandau.core.nominees.ilp import select_ilp
from tandau.core.rules import combine, get_preset

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.json"))


def _request(case: dict[str, Any]) -> NomineeRequest:
    order = 0
    districts = []
    for d in case["districts"]:
        cands = []
        for cid, name, sex, born, votes, tags in d["candidates"]:
            cands.append(Candidate(cid, name, sex, date.fromisoformat(born), votes,
                                   frozenset(t for t in tags.split(";") if t), order))
            order += 1
        districts.append(District(d["id"], tuple(cands)))
    rules = combine(tuple(get_preset(i) for i in case["rules"])).rules
    return NomineeRequest(tuple(districts), rules, date.fromisoformat(case["election_date"]),
                          tuple(tuple(p) for p in case.get("pins", [])), frozenset(case.get("exclude", [])))


def test_there_are_vectors() -> None:
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"] and case["description"]
    request = _request(case)
    expected = case["expected"]
    if "refusal" in expected:
        with pytest.raises(NomineesInfeasibleError) as info:
            select_nominees(request)
        assert [r.text for r in info.value.reasons] == expected["refusal"]
        assert select_ilp(request) is None
        return
    result = select_nominees(request)
    assert list(result.ids) == expected["ids"]
    assert result.departures == expected["departures"]
    by_district = {n.district: n.reason for n in result.nominees}
    for district, text in expected["reasons"].items():
        assert by_district[district] == text
    assert select_ilp(request) == result.ranks
