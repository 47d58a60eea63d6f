"""Statute-derived vectors for every rule preset: one TOML file per case, each citing its ``source``.

Each file names a ``preset`` (``rules`` may override it with preset ids or a combination), an optional
``election_date``, the ``candidates`` (id, sex, birth_date, tags, votes) and two kinds of expectation, all
worked out by hand from the statute text:

- ``[[check]]``: a list in its own order, whether it ``complies`` and every breach as ``[rule, first, last]``
  (1-based rule number in the rule set, places inclusive), warning-only breaches included;
- ``[[build]]``: a list formation request and the ``expected`` ids (or ``refused = true``), with text
  fragments expected in reasons, warnings or the refusal.

A case with ``xfail = "why"`` records a disagreement between the statute and the engine or preset; it is run
as a strict xfail so that fixing the engine turns it into a failure to be removed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tandau.core.candidates import Candidate
from tandau.core.lists import ListRequest, Pin, form_list
from tandau.core.rules import Rule, check_list, complies, preset_ids
from tandau.errors import InfeasibleError
from tandau.io.rules_toml import load_rules

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.toml"))


@dataclass(frozen=True)
class Vector:
    path: Path
    data: dict[str, Any]

    @property
    def stem(self) -> str:
        return self.path.stem

    def rules(self, case: dict[str, Any]) -> tuple[Rule, ...]:
        return load_rules(str(case.get("rules", self.data.get("rules", self.data["preset"])))).rules

    @property
    def election_date(self) -> date | None:
        value = self.data.get("election_date")
        return value if isinstance(value, date) else None

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return tuple(
            Candidate(row["id"], row["id"], row["sex"], row.get("birth_date"), row["votes"],
                      frozenset(row.get("tags", [])), order=i)
            for i, row in enumerate(self.data["candidates"])
        )

    def pick(self, ids: list[str]) -> list[Candidate]:
        by_id = {c.id: c for c in self.candidates}
        return [by_id[i] for i in ids]


VECTORS = [Vector(p, tomllib.loads(p.read_text(encoding="utf-8"))) for p in FILES]


def _cases(kind: str) -> list[Any]:
    out = []
    for vec in VECTORS:
        for i, case in enumerate(vec.data.get(kind, []), start=1):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
            out.append(pytest.param(vec, case, marks=marks, id=f"{vec.stem}:{kind}{i}"))
    return out


def test_every_preset_has_a_vector() -> None:
    covered = {vec.data["preset"] for vec in VECTORS}
    missing = sorted(set(preset_ids()) - covered)
    assert not missing, f"presets without a vector file in {HERE}: {missing}"


@pytest.mark.parametrize("vec", VECTORS, ids=lambda v: v.stem)
def test_vector_file_is_well_formed(vec: Vector) -> None:
    data = vec.data
    assert str(data.get("source", "")).strip(), "every vector cites its source"
    assert str(data.get("description", "")).strip()
    assert data["preset"] in preset_ids()
    ids = [row["id"] for row in data["candidates"]]
    assert len(ids) == len(set(ids)), "candidate ids are unique"
    assert len({row["votes"] for row in data["candidates"]}) == len(ids), "votes are distinct (no ties)"
    assert data.get("check") or data.get("build")
    for case in [*data.get("check", []), *data.get("build", [])]:
        for cid in [*case.get("list", []), *case.get("expected", []), *case.get("exclude", [])]:
            assert cid in ids, f"{cid} is not a candidate"


@pytest.mark.parametrize(("vec", "case"), _cases("check"))
def test_check_case(vec: Vector, case: dict[str, Any]) -> None:
    checks = check_list(vec.pick(case["list"]), vec.rules(case), vec.election_date)
    breaches = sorted((i, v.first, v.last) for i, c in enumerate(checks, start=1) for v in c.violations)
    assert breaches == sorted(tuple(v) for v in case.get("violations", []))
    assert complies(checks) is case["complies"]


def _pins(texts: list[str]) -> tuple[Pin, ...]:
    pins = []
    for text in texts:
        if "<=" in text:
            cid, _, k = text.partition("<=")
            pins.append(Pin(cid, within=int(k)))
        else:
            cid, _, k = text.partition("@")
            pins.append(Pin(cid, position=int(k)))
    return tuple(pins)


@pytest.mark.parametrize(("vec", "case"), _cases("build"))
def test_build_case(vec: Vector, case: dict[str, Any]) -> None:
    request = ListRequest(
        candidates=vec.candidates,
        rules=vec.rules(case),
        length=case["length"],
        election_date=vec.election_date,
        pins=_pins(case.get("pins", [])),
        exclude=frozenset(case.get("exclude", [])),
        objective=case.get("objective", "lexicographic"),
        seat_safe=case.get("seat_safe", False),
        seat_safe_from=case.get("seat_safe_from", 2),
    )
    if case.get("refused", False):
        with pytest.raises(InfeasibleError) as refusal:
            form_list(request)
        for fragment in case.get("refusal_contains", []):
            assert fragment in str(refusal.value)
        return
    result = form_list(request)
    assert list(result.ids) == case["expected"]
    assert result.ok
    assert complies(check_list(vec.pick(case["expected"]), result.rules, vec.election_date))
    if "left_off" in case:
        assert [e.candidate.id for e in result.left_off] == case["left_off"]
    reasons = {e.candidate.id: e.reason or "" for e in result.entries}
    for cid, fragment in case.get("reasons", {}).items():
        assert fragment in reasons[cid], f"{cid}: {reasons[cid]!r}"
    for cid in case.get("unmoved", []):
        assert reasons[cid] == ""
    text = "\n".join(result.warnings)
    for fragment in case.get("warnings_contain", []):
        assert fragment in text
    if case.get("no_warnings", False):
        assert result.warnings == ()
