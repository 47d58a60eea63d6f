"""Voting: eligibility by territory, tracking codes, no revoting, windows by server time, concurrency, secrecy.

Ballots are sealed on arrival (``sealed_ballots``) and reach the ``ballots`` table only when the key holders
decrypt the closed contest: the tests open the sealed rows with the cycle's key, then decrypt and read the
anonymous rows."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import contests, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import AlreadyVotedError, NotEligibleError, StateError
from tandau.store import Ballot, Participation
from tandau.store.models import SealedBallot

from .conftest import AFTER, CENTRAL, CLOSES, DURING, OPENS, World


def _vote(world: World, member: str, contest: str, selection: list[str], **kw: object) -> voting.Receipt:
    with world.session() as s:
        return voting.cast_ballot(s, actor_for(s, member), contest, selection, now=kw.get("now", DURING))  # type: ignore[arg-type]


def test_members_see_their_district_region_and_national_contests(world: World) -> None:
    with world.session() as s:
        seen = {m: [v.contest.id for v in voting.contests_for_member(s, m, now=DURING)] for m in ("m1", "m5")}
    assert seen["m1"] == ["almaty-city", "national"]
    assert seen["m5"] == ["almaty-region", "national"]


def test_cast_returns_a_tracking_code_and_records_participation(world: World) -> None:
    receipt = _vote(world, "m1", "almaty-city", ["m2", "m1"])
    assert is_tracking_code(receipt.tracker)
    with world.session() as s:
        assert s.scalars(select(Ballot)).all() == []  # nothing in clear while voting runs
        assert s.get(Participation, ("m1", "almaty-city")) is not None
        assert [v.has_voted for v in voting.contests_for_member(s, "m1", now=DURING)] == [True, False]
    [sealed] = world.sealed()
    assert (sealed.contest_id, sealed.member_id, sealed.cast_no) == ("almaty-city", "m1", 1)
    assert sealed.tracker == receipt.tracker
    assert sealed.selection == '["m1", "m2"]'  # approval marks are stored sorted: no click order
    assert receipt.tracker.encode() not in sealed.box and b'["m1","m2"]' not in sealed.box  # not in clear
    world.close("almaty-city")
    with world.session() as s:
        ballot = s.scalars(select(Ballot)).one()
        assert ballot.tracker == receipt.tracker
        assert ballot.selection == '["m1", "m2"]'
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 0  # the outer envelopes are gone


def test_no_revoting(world: World) -> None:
    first = _vote(world, "m2", "national", ["m1"])
    with pytest.raises(AlreadyVotedError):
        _vote(world, "m2", "national", ["m3"])
    assert [(b.member_id, b.cast_no, b.tracker, b.selection) for b in world.sealed()] == [
        ("m2", 1, first.tracker, '["m1"]')]
    world.close("national")
    with world.session() as s:
        assert s.execute(select(Ballot.tracker, Ballot.selection)).all() == [(first.tracker, '["m1"]')]


def test_invalid_ballots_are_refused(world: World) -> None:
    for selection in (["m1", "m2", "m4"], ["m1", "m1"], ["m5"], []):
        with pytest.raises(Exception, match=r"marks|twice|not a candidate|empty"):
            _vote(world, "m1", "almaty-city", selection)
    with pytest.raises(NotEligibleError):
        _vote(world, "m5", "almaty-city", ["m1"])  # lives in Almaty region, not the city


def test_window_is_enforced_and_can_be_extended(world: World) -> None:
    with pytest.raises(StateError):
        _vote(world, "m1", "national", ["m1"], now=OPENS - timedelta(seconds=1))
    with pytest.raises(StateError):
        _vote(world, "m1", "national", ["m1"], now=AFTER)
    with world.session() as s:
        contests.extend_contest(s, CENTRAL, "national", CLOSES + timedelta(days=1), reason="site overloaded")
    assert is_tracking_code(_vote(world, "m1", "national", ["m1"], now=AFTER).tracker)
    with world.session() as s, pytest.raises(StateError):
        contests.close_contest(s, CENTRAL, "national", now=AFTER)  # the extended window still runs


def test_ranked_ballot_keeps_its_order(world: World) -> None:
    _vote(world, "m6", "almaty-region", ["m6", "m5"])
    assert [b.selection for b in world.sealed()] == ['["m6", "m5"]']
    world.close("almaty-region")
    with world.session() as s:
        assert s.scalars(select(Ballot.selection)).one() == '["m6", "m5"]'


def test_concurrent_double_submission_gives_exactly_one_ballot(world: World) -> None:
    members = ["m1", "m2", "m4", "m7"]
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(members) * 2)

    def submit(member: str) -> None:
        barrier.wait()
        try:
            _vote(world, member, "almaty-city", ["m1"])
            result = "ok"
        except AlreadyVotedError:
            result = "dup"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(m,)) for m in members for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["dup"] * 4 + ["ok"] * 4
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 4
        assert s.scalar(select(func.count()).select_from(Participation)) == 4
    assert sorted(b.member_id for b in world.sealed()) == members
    world.close("almaty-city")
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(Ballot)) == 4


def test_logs_hold_no_selection_next_to_an_identity(world: World, caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # as if SQL echo were on
    try:
        with caplog.at_level(logging.DEBUG):
            receipt = _vote(world, "m4", "almaty-city", ["m2"])
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert any("INSERT" in r.getMessage() for r in caplog.records), "SQL logging was not captured"
    text = "\n".join(r.getMessage() + " " + repr(getattr(r, "args", "")) for r in caplog.records)
    assert "m4" not in text
    assert receipt.tracker not in text
    assert '"m2"' not in text
