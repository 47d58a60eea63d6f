"""Real elections with official results: one JSON file per case, each with its ``source``."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from tandau.core.seats import Threshold, allocate, parse_share

CASES = sorted(Path(__file__).parent.glob("*.json"))


def test_seats_vectors_exist() -> None:
    names = [p.stem for p in CASES]
    assert len(CASES) >= 8
    assert any(n.startswith("kz-maslikhat") for n in names)  # a Kazakh maslikhat with official results
    assert any(json.loads(p.read_text(encoding="utf-8")).get("method") == "dhondt" for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_seats_official_result(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"]
    threshold: Threshold | Fraction | None = None
    if "threshold" in case:
        threshold = Threshold(parse_share(case["threshold"]), alt_seats=case.get("alt_seats"))
    res = allocate(case["votes"], case["seats"], method=case.get("method"), rules=case.get("rules"),
                   threshold=threshold, other_valid_votes=case.get("other_valid_votes", 0),
                   seats_elsewhere=case.get("seats_elsewhere"))
    assert res.as_dict() == case["expected"]
