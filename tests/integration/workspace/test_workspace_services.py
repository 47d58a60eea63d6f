"""The workspace services on the demo world: pins and recompute, overview filters, simulator, turnout, exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tandau.errors import InfeasibleError, InputError
from tandau.services import exports, workspace, workspace_lists, workspace_store
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError
from tests.integration.workspace.conftest import World

CENTRAL = Actor.central("central")
OTHER_SECRETARY = Actor("sec-other", (Grant(Role.SECRETARY, "750000000"),))
REGION = "M-10"


def test_workspace_demo_ran_the_real_primaries(world: World) -> None:
    r = world.report
    assert r.lists_formed == r.list_contests == 2 and r.lists_infeasible == 0  # Abai Region's list half, the Majilis
    assert r.ballots >= r.voters > 0
    assert {a.role for a in r.accounts} == {"central", "secretary", "observer", "keyholder", "control", "member"}
    # the accountability modules: control imported with flags and cases (one overdue), a programme for every council,
    # proposals answered by real commitments, deputies, appeals and awards
    m = r.modules
    assert m is not None and m.control.targets > 0 and m.control.flags > 0 and len(m.control.cases) >= 4
    assert m.programmes.programmes >= 3 and m.proposals.proposals >= 300 and m.proposals.answered > 0
    assert m.deputies.deputies > 0 and m.appeals.appeals >= 500 and m.awards.nominated > 0
    with world.Session() as s:
        assert audit.verify(s).ok
        stored = workspace_store.load_all(s)
        assert set(stored) >= {REGION, "KZ-MAJILIS"}
        # the primary votes behind every list are the published count of the real ballots
        assert sum(stored["KZ-MAJILIS"].votes.values()) > 0


def test_workspace_pin_recomputes_with_reasons_and_reset_restores(world: World) -> None:
    with world.Session() as s:
        before = workspace_lists.builder_view(s, CENTRAL, REGION)
        outsider = next(r for r in before.ranking if r.place is None and not r.excluded)
        after = workspace_lists.change_list(s, CENTRAL, REGION, pin=(outsider.person["id"], 1))
        first = after.result["entries"][0]
        assert first["id"] == outsider.person["id"] and first["move"] == "pin"
        assert all(c["ok"] for c in after.result["checks"])
        assert any(e["move"] == "down" and e["reason"] for e in after.result["entries"])
        excluded = after.result["entries"][1]["id"]
        later = workspace_lists.change_list(s, CENTRAL, REGION, exclude=excluded)
        assert excluded not in {e["id"] for e in later.result["entries"]}
        assert excluded in later.exclude
        reset = workspace_lists.change_list(s, CENTRAL, REGION, reset=True)
        assert [e["id"] for e in reset.result["entries"]] == [e["id"] for e in before.stored.result["entries"]]
        assert reset.pins == () and reset.exclude == ()
        actions = [e.action for e in audit.entries(s)]
        assert actions.count("list.change") >= 2 and "list.reset" in actions


def test_workspace_changes_are_authorised_and_validated(world: World) -> None:
    with world.Session() as s:
        with pytest.raises(PermissionDeniedError):
            workspace_lists.change_list(s, OTHER_SECRETARY, REGION, reset=True)
        with pytest.raises(InputError, match="not a candidate"):
            workspace_lists.change_list(s, CENTRAL, REGION, pin=("nobody", 1))
        cid = workspace_lists.builder_view(s, CENTRAL, REGION).ranking[0].person["id"]
        with pytest.raises(InputError, match="place must lie"):
            workspace_lists.change_list(s, CENTRAL, REGION, pin=(cid, 999))
        assert not workspace_lists.builder_view(s, OTHER_SECRETARY, REGION).editable


def test_workspace_overview_filters(world: World) -> None:
    with world.Session() as s:
        everything = workspace.national_overview(s)
        assert len(everything.rows) == world.report.list_contests
        assert everything.rules and all(len(r.compliance) == len(everything.rules) for r in everything.rows)
        region = everything.regions[0]
        some = workspace.national_overview(s, region=region)
        assert some.rows and all(r.region == region for r in some.rows)
        districts = workspace.national_overview(s, level="district")
        assert all(r.level == "district" for r in districts.rows)
        national = sum(r.level == "national" for r in everything.rows)
        assert sum(a["councils"] for a in everything.by_region()) == len(everything.rows) - national
        assert {a["region"] for a in everything.by_region()} == set(everything.regions)
        with pytest.raises(InputError, match="level"):
            workspace.national_overview(s, level="galactic")
        with pytest.raises(InputError, match="region"):
            workspace.national_overview(s, region="Atlantis")


def test_workspace_simulator(world: World) -> None:
    with world.Session() as s:
        sim = workspace.simulate_council(s, REGION, draws=500, seed=3)
        chances = [p["probability"] for p in sim.positions]
        assert chances == sorted(chances, reverse=True)  # a lower place never has a better chance
        assert sum(sim.seats_mean.values()) == pytest.approx(sim.seats, abs=1e-9)
        assert 0 <= sim.women_share <= 1 and 0 <= sim.youth_share <= 1
        assert sim.expected_women == pytest.approx(sum(p["probability"] for p in sim.positions if p["woman"]))
        with pytest.raises(InputError, match="method"):
            workspace.simulate_council(s, REGION, method="coin-toss")


def test_workspace_primaries_turnout_adds_up(world: World) -> None:
    with world.Session() as s:
        view = workspace.primaries_view(s, CENTRAL, "KZ-MAJILIS")
        assert sum(t.voted for t in view.turnout) == view.voted
        assert sum(t.eligible for t in view.turnout) == view.eligible
        assert view.ranking[0]["rank"] == 1 and view.ballots == view.voted
        votes = [r["votes"] for r in view.ranking]
        assert votes == sorted(votes, reverse=True)


def test_workspace_exports(world: World) -> None:
    with world.Session() as s:
        stored = workspace_store.load(s, REGION)
        assert stored is not None
        n = len(stored.result["entries"])
        out = exports.export_list(s, REGION, "csv", {"name": "ФИО"})
        rows = list(csv.reader(io.StringIO(out.content.decode("utf-8-sig"))))
        assert rows[0][1] == "ФИО" and len(rows) == n + 1 and rows[1][0] == "1"
        book = load_workbook(io.BytesIO(exports.export_list(s, REGION, "xlsx").content))
        assert book.active is not None and book.active.max_row == n + 2
        pdf = exports.export_list(s, REGION, "pdf")
        assert pdf.content.startswith(b"%PDF") and pdf.media_type == "application/pdf"
        with pytest.raises(Exception, match="export format"):
            exports.export_list(s, REGION, "docx")


def test_workspace_infeasible_change_is_refused_and_list_kept(world: World) -> None:
    with world.Session() as s:
        women = [r.person["id"] for r in workspace_lists.builder_view(s, CENTRAL, REGION).ranking
                 if r.person["sex"] == "F"]
        refused = None
        for cid in women:  # exclude women one by one until the 30% quota cannot be met
            before = workspace_store.load(s, REGION)
            try:
                workspace_lists.change_list(s, CENTRAL, REGION, exclude=cid)
            except InfeasibleError as exc:
                refused = exc
                break
        assert refused is not None and before is not None
        s.rollback()
        kept = workspace_store.load(s, REGION)
        assert kept is not None and kept.exclude == before.exclude and kept.result == before.result
        workspace_lists.change_list(s, CENTRAL, REGION, reset=True)
