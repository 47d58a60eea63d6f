"""A bulletin published by the voting service is recounted by `tandau verify`, and tampering is caught."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.primaries import contests, nominations, publish, voting
from tandau.services.primaries.auth import actor_for

from .conftest import CENTRAL, DURING, World

VOTES = {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]}


def _publish(world: World, out: Path) -> dict[str, str]:
    trackers = {}
    for member, marks in VOTES.items():
        with world.session() as s:
            trackers[member] = voting.cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING).tracker
    world.close("almaty-city")  # closed, then decrypted by two of the three key holders
    with world.session() as s:
        publish.publish_contest(s, CENTRAL, "almaty-city", out)
    return trackers


def test_published_bulletin_verifies_and_tampering_fails(world: World, tmp_path: Path) -> None:
    out = tmp_path / "almaty-city.jsonl"
    trackers = _publish(world, out)
    with world.session() as s:
        commitment = contests.get_contest(s, "almaty-city").seed_commitment  # published when voting opened
        pid = nominations.public_ids(s, "almaty-city")
    assert commitment is not None
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(out)])
    assert ok.exit_code == 0, ok.output
    mine = runner.invoke(app, ["verify", str(out), "--tracker", trackers["m4"]])
    assert mine.exit_code == 0, mine.output
    assert trackers["m4"] in mine.output
    committed = runner.invoke(app, ["verify", str(out), "--commitment", commitment])
    assert committed.exit_code == 0, committed.output
    other = runner.invoke(app, ["verify", str(out), "--commitment", "0" * 64])  # not what was published
    assert other.exit_code == 1, other.output

    lines = out.read_text(encoding="utf-8").splitlines()

    def tampered(was: list[str], now: list[str], name: str) -> Path:
        """The bulletin with the first ballot marked ``was`` changed to ``now``."""
        at = next(i for i, line in enumerate(lines) if i and json.loads(line)["marks"] == was)
        ballot = json.loads(lines[at]) | {"marks": now}
        path = tmp_path / name
        path.write_text("\n".join([*lines[:at], json.dumps(ballot), *lines[at + 1:]]) + "\n", encoding="utf-8")
        return path

    # m7's [m1] made [m4]: the recount elects m2 and m4, not the declared m2 and m1
    bad = runner.invoke(app, ["verify", str(tampered([pid["m1"]], [pid["m4"]], "tampered.jsonl"))])
    assert bad.exit_code == 1, bad.output
    # m2's [m2] made [m4]: three tied at 2 for the second seat, which the declared policy (refuse) leaves
    # undecided; still a mismatch (exit 1), not malformed input (exit 2)
    tie = runner.invoke(app, ["verify", str(tampered([pid["m2"]], [pid["m4"]], "tie.jsonl"))])
    assert tie.exit_code == 1, tie.output
    assert "FAIL recount under the declared tie policy (refuse)" in tie.output
