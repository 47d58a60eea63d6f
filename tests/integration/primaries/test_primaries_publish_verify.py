"""A bulletin published by the voting service is recounted by `tandau verify`, and tampering is caught."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.primaries import contests, publish, voting
from tandau.services.primaries.auth import actor_for

from .conftest import AFTER, CENTRAL, DURING, World

VOTES = {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]}


def _publish(world: World, out: Path) -> dict[str, str]:
    trackers = {}
    for member, marks in VOTES.items():
        with world.session() as s:
            trackers[member] = voting.cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING).tracker
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "almaty-city", now=AFTER)
        publish.publish_contest(s, CENTRAL, "almaty-city", out)
    return trackers


def test_published_bulletin_verifies_and_tampering_fails(world: World, tmp_path: Path) -> None:
    out = tmp_path / "almaty-city.jsonl"
    trackers = _publish(world, out)
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(out)])
    assert ok.exit_code == 0, ok.output
    mine = runner.invoke(app, ["verify", str(out), "--tracker", trackers["m4"]])
    assert mine.exit_code == 0, mine.output
    assert trackers["m4"] in mine.output

    lines = out.read_text(encoding="utf-8").splitlines()
    ballot = json.loads(lines[1])
    ballot["marks"] = ["m4"] if ballot["marks"] != ["m4"] else ["m1"]  # change one published ballot
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join([lines[0], json.dumps(ballot), *lines[2:]]) + "\n", encoding="utf-8")
    bad = runner.invoke(app, ["verify", str(tampered)])
    assert bad.exit_code == 1, bad.output
