"""The demo under each electoral system: kz-2023 runs district primaries for city and district maslikhats, list
and district primaries for mixed councils and the Majilis; kz-2021 runs list primaries only (every council)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from tandau.core.systems import get_system
from tandau.io.territory import kz_districts
from tandau.services import council_nominees, workspace_store
from tandau.services.primaries import audit, districts
from tandau.services.primaries.access import Actor
from tandau.store.models import Ballot, Contest, Council, Cycle, MemberDistrict
from tests.integration.workspace.conftest import World

CENTRAL = Actor.central("central")


def _contests(world: World) -> list[Contest]:
    with world.Session() as s:
        return list(s.scalars(select(Contest).where(Contest.cycle_id != "practice").order_by(Contest.id)))


def test_kz_2023_districts_for_local_councils_lists_and_districts_for_mixed(world: World) -> None:
    r = world.report
    assert r.system == "kz-2023"
    every = _contests(world)
    lists = {c.id for c in every if not c.district_id}
    by_council: dict[str, list[Contest]] = defaultdict(list)
    for c in every:
        if c.district_id:
            by_council[str(c.council_id)].append(c)
    with world.Session() as s:
        assert s.get(Cycle, "kz-2023").system == "kz-2023"  # type: ignore[union-attr]
        levels = dict(s.execute(select(Council.id, Council.level)).all())
    layout = kz_districts("2023")
    local = [cid for cid, level in levels.items() if level in ("city", "district")]
    assert local and set(local) <= set(by_council)
    for cid in local:  # every seat a single-member district: one contest per district, no list contest
        assert cid not in lists
        assert sorted(c.district_id for c in by_council[cid]) == [d.id for d in layout.council(cid).districts]
        assert all(c.seats == 1 and c.rule == "plurality" for c in by_council[cid])
    for cid in ("M-10", "KZ-MAJILIS"):  # mixed: the list half and the districts
        assert cid in lists and len(by_council[cid]) == layout.council(cid).single_member
    assert len(by_council["KZ-MAJILIS"]) == 29
    assert lists == {"M-10", "KZ-MAJILIS"} and r.list_contests == 2
    assert r.district_contests == sum(len(v) for v in by_council.values())
    with world.Session() as s:
        assert set(workspace_store.load_all(s)) == lists  # lists are formed for list contests only
        assert audit.verify(s).ok


def test_kz_2023_every_district_contest_is_published_or_reported(world: World) -> None:
    r = world.report
    with world.Session() as s:
        report = districts.district_report(s, CENTRAL, "kz-2023")
        ballots = dict(s.execute(select(Ballot.contest_id, func.count()).group_by(Ballot.contest_id)).all())
        assigned = s.scalar(select(func.count()).select_from(MemberDistrict))
    assert len(report) == r.district_contests
    status = {c.id: c.status for c in _contests(world)}
    for d in report:
        assert status[d.contest_id] == "published" or d.contest_id in r.districts_unselectable
        assert (d.contest_id in r.districts_unselectable) == bool(d.problems)
        assert d.nominees >= 2 and d.voters >= 1  # the scenario gives each district 2-5 candidates and voters
    assert r.published == r.list_contests + r.district_contests
    assert assigned and sum(ballots.get(d.contest_id, 0) for d in report) > 0  # members voted in districts
    # a member votes in the list contests covering them and in their districts: more ballots than voters
    assert r.ballots > 2 * r.voters
    with world.Session() as s:  # the nominees workspace reads the published district primaries of the cycle
        overview = council_nominees.overview(s, CENTRAL, "kz-2023")
    assert overview.total.districts == r.district_contests and overview.total.councils == r.councils  # the Majilis too


def test_kz_2021_every_council_a_list_and_no_district(world_2021: World) -> None:
    r = world_2021.report
    assert r.system == "kz-2021" and r.district_contests == 0 and not r.districts_unselectable
    every = _contests(world_2021)
    assert every and not any(c.district_id for c in every)
    assert r.list_contests == r.councils == r.lists_formed == len(every) and r.lists_infeasible == 0
    with world_2021.Session() as s:
        assert s.get(Cycle, "kz-2021").system == "kz-2021"  # type: ignore[union-attr]
        assert districts.district_report(s, CENTRAL, "kz-2021") == []
        majilis = workspace_store.load(s, "KZ-MAJILIS")
    assert majilis is not None and majilis.seats == get_system("kz-2021").national_seats == 98
    assert {c.status for c in every} == {"published"}


def test_demo_reports_each_step_time_as_it_ends(world: World) -> None:
    # what `tandau demo` prints line by line: every step of the report's timings, in order, when it ended
    assert world.steps == list(world.report.timings.items())
    assert [s for s, _ in world.steps][:6] == ["scenario", "contests", "roll", "nominations", "voting",
                                               "count and publish"]
    assert all(seconds >= 0 for _, seconds in world.steps)
