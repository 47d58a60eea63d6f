"""Close and publish: the bulletin board, the declared result, women and youth rankings, tracking-code checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import contests, nominations, publish, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import StateError

from .conftest import AFTER, CENTRAL, DURING, World

VOTES = {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]}


def _vote_all(world: World) -> dict[str, str]:
    trackers = {}
    for member, marks in VOTES.items():
        with world.session() as s:
            trackers[member] = voting.cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING).tracker
    return trackers


def test_publish_writes_a_bulletin_board_sorted_by_tracker(world: World, tmp_path: Path) -> None:
    trackers = _vote_all(world)
    out = tmp_path / "pub" / "almaty-city.jsonl"
    with world.session() as s:
        with pytest.raises(StateError):
            publish.publish_contest(s, CENTRAL, "almaty-city", out)  # still open
        assert not publish.tracker_published(s, "almaty-city", trackers["m1"])
        contests.close_contest(s, CENTRAL, "almaty-city", now=AFTER)
        result = publish.publish_contest(s, CENTRAL, "almaty-city", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    header, ballots = lines[0], lines[1:]
    assert header["format"] == "tandau-bulletin/1"
    assert header["contest"] == {"id": "almaty-city", "name": "Almaty city maslikhat"}
    assert (header["rule"], header["seats"], header["max_marks"], header["ballot_count"]) == ("approval", 2, 2, 4)
    assert [c["id"] for c in header["candidates"]] == ["m1", "m2", "m4"]
    assert header["candidates"][0] == {"id": "m1", "name": "Aigerim", "sex": "F", "birth_date": "1990-05-01",
                                       "tags": []}
    assert header["election_date"] == "2026-03-15"
    assert header["declared"] == {"elected": ["m2", "m1"], "ranking": ["m2", "m1", "m4"],
                                  "counts": {"m1": 2, "m2": 3, "m4": 1}}
    assert [b["tracker"] for b in ballots] == sorted(trackers.values())
    assert all(is_tracking_code(b["tracker"]) and set(b) == {"tracker", "marks"} for b in ballots)
    assert sorted(sorted(b["marks"]) for b in ballots) == sorted(sorted(v) for v in VOTES.values())
    assert result.women == ("m1",)
    assert result.youth == ("m4",)  # born 2004: 22 on election day
    with world.session() as s:
        assert all(publish.tracker_published(s, "almaty-city", t) for t in trackers.values())
        assert not publish.tracker_published(s, "almaty-city", "0000-0000-0000-0000")
        stored = publish.published_result(s, "almaty-city")
        assert stored is not None
        assert stored["women"] == ["m1"]
        assert len(stored["bulletin_sha256"]) == 64
        assert contests.get_contest(s, "almaty-city").status == "published"


def test_a_candidate_disqualified_during_voting_is_left_out(world: World, tmp_path: Path) -> None:
    _vote_all(world)
    with world.session() as s:
        nominations.disqualify(s, CENTRAL, "almaty-city", "m4", "found ineligible")
        contests.close_contest(s, CENTRAL, "almaty-city", now=AFTER)
        result = publish.count_contest(s, "almaty-city")
    header = json.loads(result.lines[0])
    assert [c["id"] for c in header["candidates"]] == ["m1", "m2"]
    assert all("m4" not in json.loads(line)["marks"] for line in result.lines[1:])
    assert header["declared"]["counts"] == {"m1": 2, "m2": 3}


def test_ranked_contest_and_cli_publish(world: World, tmp_path: Path) -> None:
    for member, ranking in (("m5", ["m5", "m6"]), ("m6", ["m6"])):
        with world.session() as s:
            voting.cast_ballot(s, actor_for(s, member), "almaty-region", ranking, now=DURING)
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "almaty-region", now=AFTER)
    out = tmp_path / "region.jsonl"
    if world.db.backend == "sqlite":
        from tandau.cli.primaries import app

        res = CliRunner().invoke(app, ["publish", "almaty-region", "--out", str(out), "--db", world.db.url])
        assert res.exit_code == 0, res.output
    else:
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, "almaty-region", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["rule"] == "stv-scottish"
    assert lines[0]["max_marks"] is None
    assert sorted(b["ranking"] for b in lines[1:]) == [["m5", "m6"], ["m6"]]
    assert lines[0]["declared"]["elected"] == ["m5"]  # 1-1 tie, broken by the contest's nomination-order policy
