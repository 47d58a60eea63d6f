"""Official 2023 results → the party's deputies under the 2023 rules, with a vacancy filled (one JSON per council,
each with its ``source``; the lists are synthetic, as each file's ``list_note`` says)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.services.deputies import read, results, vacancy
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor
from tandau.store import Base, make_engine, session_factory
from tandau.store.deputies_models import DeputyRow, SeatDecision

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("*.json"))
CENTRAL = Actor.central("central")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    Base.metadata.create_all(engine)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def results_csv(case: dict[str, object]) -> bytes:
    lines = ["kind,party,votes,district,winner"]
    lines += [f"list,{p},{v},," for p, v in case["votes"].items()]  # type: ignore[attr-defined]
    if case["other_valid_votes"]:
        lines.append(f"against_all,,{case['other_valid_votes']},,")
    k = 0
    for party, n in case["district_winners"].items():  # type: ignore[attr-defined]
        for _ in range(n):
            k += 1
            lines.append(f"district,{'' if party == 'self-nominated' else party},,{k},district winner {k}")
    return ("\n".join(lines) + "\n").encode()


def list_csv(case: dict[str, object]) -> bytes:
    rows = ["id,name,sex,birth_date"] + [f"{c['id']},{c['name']},{c['sex']},{c['birth_date']}"
                                         for c in case["list"]]  # type: ignore[attr-defined]
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_official_result_to_faction_and_vacancy(path: Path, session: Session) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["source"] and case["list_note"]
    day = date.fromisoformat(case["election_day"])
    party = case["party"]
    names = results.read_list(list_csv(case), "LIST.csv")
    done = results.import_results(session, CENTRAL, case["council"], results_csv(case), "RESULTS.csv", party=party,
                                  election_day=day, party_list=names)
    exp = case["expected"]
    listed = [d for d in done.deputies if d.mandate == "list"]
    assert [d.person_id for d in listed] == exp["elected"]
    assert len(listed) == exp["list_seats"] == done.council.party_list_seats
    assert sum(d.mandate == "district" for d in done.deputies) == exp["district_seats"]
    assert all(d.term_start == day and d.term_end == date(2028, 3, 18) for d in done.deputies)
    mandates = session.scalars(select(SeatDecision).where(SeatDecision.kind == "list_mandates")).one()
    assert [[r["out"], r["in"]] for r in json.loads(mandates.data)["replacements"]] == exp["replacements"]
    # the vacancy
    vac = case["vacancy"]
    leaving = next(d for d in listed if d.person_id == vac["vacating"])
    out = vacancy.vacate(session, CENTRAL, leaving.id, reason="resigned", on=date(2024, 6, 1))
    assert out.succession is not None and out.successor is not None
    assert (out.successor.person_id, out.succession.reason, list(out.succession.skipped)) == (
        vac["successor"], vac["reason"], vac["skipped"])
    assert out.succession.quota_met
    assert out.successor.term_start == date(2024, 6, 1) and out.successor.succeeds == leaving.id
    faction = read.faction(session, CENTRAL, case["council"])
    assert len(faction.deputies) == exp["list_seats"] + exp["district_seats"]
    assert vac["vacating"] not in {d.person_id for d in faction.deputies}
    kinds = [e.action for e in audit.entries(session)]
    assert "deputies.vacancy" in kinds and "deputies.succession" in kinds and audit.verify(session).ok


def test_a_district_vacancy_is_filled_by_a_by_election(session: Session) -> None:
    case = json.loads((HERE / "kz-maslikhat-2023-almaty-city-baytaq.json").read_text(encoding="utf-8"))
    results.import_results(session, CENTRAL, "M-75", results_csv(case), "RESULTS.csv", party="Baytaq",
                           election_day=date(2023, 3, 19), party_list=results.read_list(list_csv(case), "LIST.csv"))
    seat = session.scalars(select(DeputyRow).where(DeputyRow.mandate == "district")).one()
    out = vacancy.vacate(session, CENTRAL, seat.id, reason="appointed akim", on=date(2024, 2, 1))
    assert out.successor is None and out.succession is None
    new = vacancy.by_election(session, CENTRAL, "M-75", seat.district_id, winner="by-election winner",
                              party="Baytaq", day=date(2024, 5, 26))
    assert new is not None and new.term_start == date(2024, 5, 26) and new.term_end == date(2028, 3, 18)
    assert new.succeeds == seat.id and new.id == f"{seat.district_id}-B1"
    assert len(read.faction(session, CENTRAL, "M-75").deputies) == 3
