"""Close and publish: the bulletin board, the declared result, women and youth rankings, tracking-code checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import contests, nominations, publish, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import StateError
from tandau.services.verify import verify_bulletin

from .conftest import AFTER, CENTRAL, DURING, World

VOTES = {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]}


def _vote_all(world: World) -> dict[str, str]:
    trackers = {}
    for member, marks in VOTES.items():
        with world.session() as s:
            trackers[member] = voting.cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING).tracker
    return trackers


def _public(world: World, contest_id: str) -> dict[str, str]:
    """Member id -> the candidate's public id in the contest (what bulletin format 2 names candidates by)."""
    with world.session() as s:
        return nominations.public_ids(s, contest_id)


def test_publish_writes_a_bulletin_board_sorted_by_tracker(world: World, tmp_path: Path) -> None:
    trackers = _vote_all(world)
    out = tmp_path / "pub" / "almaty-city.jsonl"
    with world.session() as s:
        with pytest.raises(StateError):
            publish.publish_contest(s, CENTRAL, "almaty-city", out)  # still open
        assert not publish.tracker_published(s, "almaty-city", trackers["m1"])
        contests.close_contest(s, CENTRAL, "almaty-city", now=AFTER)
        with pytest.raises(StateError, match="sealed"):
            publish.publish_contest(s, CENTRAL, "almaty-city", out)  # closed, but not decrypted yet
        assert not out.exists()
    world.decrypt("almaty-city")
    with world.session() as s:
        commitment = contests.get_contest(s, "almaty-city").seed_commitment
        result = publish.publish_contest(s, CENTRAL, "almaty-city", out)
    pid = _public(world, "almaty-city")
    assert len(set(pid.values())) == 3 and not set(pid.values()) & {"m1", "m2", "m4"}
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    header, ballots = lines[0], lines[1:]
    assert header["format"] == "tandau-bulletin/2"
    assert header["contest"] == {"id": "almaty-city", "name": "Almaty city maslikhat"}
    assert (header["rule"], header["seats"], header["max_marks"], header["ballot_count"]) == ("approval", 2, 2, 4)
    assert [c["id"] for c in header["candidates"]] == [pid["m1"], pid["m2"], pid["m4"]]
    # no birth date and no member id: the flags the rules need (Aigerim, born 1990-05-01, is 35 on election day)
    assert header["candidates"][0] == {"id": pid["m1"], "name": "Aigerim", "sex": "F", "under_29": False,
                                       "under_35": False, "tags": []}
    assert [(c["under_29"], c["under_35"]) for c in header["candidates"]] == [(False, False), (False, False),
                                                                              (True, True)]
    assert header["election_date"] == "2026-03-15"
    assert header["declared"] == {"elected": [pid["m2"], pid["m1"]], "ranking": [pid["m2"], pid["m1"], pid["m4"]],
                                  "counts": {pid["m1"]: 2, pid["m2"]: 3, pid["m4"]: 1}}
    assert (header["excluded"], header["replaced"]) == ([], [])
    assert header["seed_commitment"] == commitment and commitment is not None
    assert header["tie_policy"] == "refuse"
    assert hashlib.sha256(bytes.fromhex(header["seed"])).hexdigest() == commitment  # revealed, opens the commitment
    text = out.read_text(encoding="utf-8")
    assert '"m1"' not in text and '"m4"' not in text and "1990-05-01" not in text
    assert [b["tracker"] for b in ballots] == sorted(trackers.values())
    assert all(is_tracking_code(b["tracker"]) and set(b) == {"tracker", "marks"} for b in ballots)
    assert sorted(sorted(b["marks"]) for b in ballots) == sorted(sorted(pid[m] for m in v) for v in VOTES.values())
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
    """Left out of the count openly: the ballots stay as cast on the bulletin, which names the candidate as
    excluded with the reason, and ``tandau verify`` recounts without them."""
    _vote_all(world)
    with world.session() as s:
        nominations.disqualify(s, CENTRAL, "almaty-city", "m4", "found ineligible")
    world.close("almaty-city")
    with world.session() as s:
        result = publish.count_contest(s, "almaty-city")
    pid = _public(world, "almaty-city")
    header = json.loads(result.lines[0])
    assert [c["id"] for c in header["candidates"]] == [pid["m1"], pid["m2"], pid["m4"]]
    assert header["excluded"] == [{"id": pid["m4"], "reason": "candidate disqualified"}]
    marks = sorted(sorted(json.loads(line)["marks"]) for line in result.lines[1:])
    assert marks == sorted(sorted(pid[m] for m in v) for v in VOTES.values())  # as cast, m4's marks included
    assert header["declared"]["counts"] == {pid["m1"]: 2, pid["m2"]: 3}
    assert result.elected == ("m2", "m1") and "m4" not in result.tally.ranking
    out = tmp_path / "count.jsonl"
    out.write_text("\n".join(result.lines) + "\n", encoding="utf-8")
    report = verify_bulletin(out)
    assert report.exit_code == 0, report.checks


def test_ranked_contest_and_cli_publish(world: World, tmp_path: Path) -> None:
    for member, ranking in (("m5", ["m5", "m6"]), ("m6", ["m6"])):
        with world.session() as s:
            voting.cast_ballot(s, actor_for(s, member), "almaty-region", ranking, now=DURING)
    world.close("almaty-region")
    out = tmp_path / "region.jsonl"
    if world.db.backend == "sqlite":
        from tandau.cli.primaries import app

        res = CliRunner().invoke(app, ["publish", "almaty-region", "--out", str(out), "--db", world.db.url])
        assert res.exit_code == 0, res.output
    else:
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, "almaty-region", out)
    pid = _public(world, "almaty-region")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["rule"] == "stv-scottish"
    assert lines[0]["max_marks"] is None
    assert sorted(b["ranking"] for b in lines[1:]) == sorted([[pid["m5"], pid["m6"]], [pid["m6"]]])
    # 1-1 tie, broken by the contest's nomination-order policy
    assert lines[0]["declared"]["elected"] == [pid["m5"]]
    assert lines[0]["tie_policy"] == "nomination-order"
