"""Primaries per single-member district (issue 11, item 2): districts, members' districts, a contest per
district, who votes where, the report of districts that cannot select anyone, and the freeze."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tandau.core.systems.districts import CouncilSeats, District, Districting
from tandau.errors import InputError
from tandau.services.primaries import audit, contests, districts, nominations, voting
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import NotEligibleError, PermissionDeniedError
from tandau.store.models import MemberDistrict

from .conftest import CENTRAL, CLOSES, DURING, OPENS, World

COUNCIL = "ms-75"  # Almaty city maslikhat of the test world (members m1, m2, m4, m7 live in 751110000)
SECRETARY = Actor("sec-75", (Grant(Role.SECRETARY, "750000000"),))


def _districting() -> Districting:
    ds = tuple(District(f"{COUNCIL}-D0{n}", COUNCIL, n) for n in (1, 2, 3))
    return Districting("kz-2023", "KZ", "2023", (CouncilSeats(COUNCIL, "regional", 6, 3, ds),))


def _csv(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def district_world(world: World) -> list[str]:
    """Three districts of the city council; m1, m2 in D01, m4 in D02, nobody in D03; a contest per district
    (D01: m1 and m2 stand, D02: m4, D03: nobody), all open."""
    with world.session() as s:
        assert districts.register_districts(s, CENTRAL, _districting(), names={}) == 3
        districts.assign_members(s, CENTRAL, _csv(world.tmp, "d.csv", "member,district\n"
                                                  f"m1,{COUNCIL}-D01\nm2,{COUNCIL}-D01\nm4,{COUNCIL}-D02\n"))
        made = districts.create_district_contests(s, CENTRAL, "2026", COUNCIL, opens_at=OPENS, closes_at=CLOSES)
        for contest, member in ((made.contest_ids[0], "m1"), (made.contest_ids[0], "m2"),
                                (made.contest_ids[1], "m4")):
            nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(contest, member))
        for contest in made.contest_ids:
            contests.open_contest(s, CENTRAL, contest)
    return list(made.contest_ids)


def test_a_contest_per_district_and_voters_only_from_their_district(world: World) -> None:
    d1, d2, d3 = district_world(world)
    assert (d1, d2, d3) == tuple(f"2026-{COUNCIL}-D0{n}" for n in (1, 2, 3))
    with world.session() as s:
        seen = {m: [v.contest.id for v in voting.contests_for_member(s, m, now=DURING)] for m in ("m1", "m4", "m7")}
        assert d1 in seen["m1"] and d2 not in seen["m1"]
        assert d2 in seen["m4"] and d1 not in seen["m4"]
        assert not {d1, d2, d3} & set(seen["m7"])  # lives in the city, assigned to no district
        receipt = voting.cast_ballot(s, actor_for(s, "m2"), d1, ["m1"], now=DURING)
        assert receipt.contest_id == d1
        with pytest.raises(NotEligibleError, match="district"):
            voting.cast_ballot(s, actor_for(s, "m4"), d1, ["m1"], now=DURING)
        assert voting.turnout(s, CENTRAL, d1).eligible == 2


def test_the_report_flags_districts_that_cannot_select_anyone(world: World) -> None:
    d1, d2, d3 = district_world(world)
    with world.session() as s:
        report = {r.contest_id: r for r in districts.district_report(s, CENTRAL, "2026")}
    assert set(report) == {d1, d2, d3}
    assert (report[d1].nominees, report[d1].voters, report[d1].problems) == (2, 2, ())
    assert report[d3].problems == ("no eligible nominee registered", "no member assigned to vote")


def test_assignment_by_territorial_unit_takes_the_most_specific_unit(world: World) -> None:
    with world.session() as s:
        districts.register_districts(s, CENTRAL, _districting(), names={})
        done = districts.assign_members(s, CENTRAL, _csv(world.tmp, "u.csv", "territory,district\n"
                                                         f"750000000,{COUNCIL}-D01\n751110000,{COUNCIL}-D02\n"))
        rows = dict(s.execute(select(MemberDistrict.member_id, MemberDistrict.district_id)).all())
    assert done.councils == (COUNCIL,)
    assert {m: d for m, d in rows.items() if m in ("m1", "m2", "m4", "m7")} == dict.fromkeys(
        ("m1", "m2", "m4", "m7"), f"{COUNCIL}-D02")
    assert "m5" not in rows  # lives in Almaty region, outside every unit of the file


@pytest.mark.parametrize(("text", "row", "column"), [
    ("member,district\nm1,nowhere-D01\n", 2, "district"),
    ("member,district\nzz,ms-75-D01\n", 2, "member"),
    ("territory,district\n7511,ms-75-D01\n", 2, "territory"),
])
def test_a_bad_assignment_names_the_row_and_column_and_changes_nothing(world: World, text: str, row: int,
                                                                        column: str) -> None:
    with world.session() as s:
        districts.register_districts(s, CENTRAL, _districting(), names={})
        with pytest.raises(InputError) as info:
            districts.assign_members(s, CENTRAL, _csv(world.tmp, "bad.csv", text))
        s.rollback()
        assert (info.value.row, info.value.column) == (row, column)
        assert s.scalars(select(MemberDistrict)).all() == []
        with pytest.raises(InputError, match="not both"):
            districts.assign_members(s, CENTRAL, _csv(world.tmp, "both.csv", "member,territory,district\n"
                                                      f"m1,751110000,{COUNCIL}-D01\n"))


def test_assignments_are_frozen_while_a_district_contest_runs(world: World) -> None:
    district_world(world)
    move = _csv(world.tmp, "move.csv", f"member,district\nm1,{COUNCIL}-D02\nm2,{COUNCIL}-D01\nm4,{COUNCIL}-D02\n")
    with world.session() as s:
        with pytest.raises(PermissionDeniedError):
            districts.assign_members(s, SECRETARY, move)
        s.rollback()
        with pytest.raises(InputError, match="reason"):
            districts.assign_members(s, CENTRAL, move)
        s.rollback()
        districts.assign_members(s, CENTRAL, move, reason="m1 moved house before voting opened")
        entry = [e for e in audit.entries(s) if e.action == "districts.assign"][-1]
    assert entry.details["rows"] == [{"member": "m1", "council": COUNCIL, "before": f"{COUNCIL}-D01",
                                      "after": f"{COUNCIL}-D02"}]


def test_a_council_keeps_one_contest_per_district_and_cycle(world: World) -> None:
    district_world(world)
    with world.session() as s, pytest.raises(InputError, match="already"):
        districts.create_district_contests(s, CENTRAL, "2026", COUNCIL, opens_at=OPENS, closes_at=CLOSES)


def test_the_command_line_registers_districts_creates_contests_and_reports(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from tandau.cli.main import app

    db = str(tmp_path / "d.db")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["primaries", *args, "--db", db])
        assert result.exit_code == 0, result.output
        return result.output

    run("db", "upgrade")
    assert "18 district(s) registered" in run("districts", "register", "--council", "M-1010")
    run("cycle", "create", "c23", "--name", "2027", "--system", "kz-2023", "--election-date", "2027-03-19")
    assert "18 contest(s) created" in run("districts", "contests", "--cycle", "c23", "--council", "M-1010",
                                          "--opens", "2027-01-01T00:00+05:00", "--closes", "2027-01-02T00:00+05:00")
    rows = json.loads(run("districts", "report", "--cycle", "c23", "--json"))
    assert len(rows) == 18 and all("no eligible nominee registered" in r["problems"] for r in rows)
    bad = runner.invoke(app, ["primaries", "districts", "register", "--council", "M-NOPE", "--db", db])
    assert bad.exit_code == 2 and "M-NOPE" in bad.output


def test_a_secretary_assigns_districts_only_in_their_territory(world: World) -> None:
    other = Actor("sec-19", (Grant(Role.SECRETARY, "190000000"),))
    with world.session() as s:
        districts.register_districts(s, CENTRAL, _districting(), names={})
        mine = _csv(world.tmp, "mine.csv", f"member,district\nm1,{COUNCIL}-D01\n")
        assert districts.assign_members(s, SECRETARY, mine).assigned == 1
        with pytest.raises(PermissionDeniedError):
            districts.assign_members(s, other, mine)
        s.rollback()
        with pytest.raises(PermissionDeniedError):
            districts.assign_members(s, Actor("o", (Grant(Role.OBSERVER),)), mine)
