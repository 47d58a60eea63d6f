"""Glasgow 2007, 21 wards: stv-scottish against an independent stage-by-stage reference count.

source: Glasgow City Council election, 3 May 2007, ballots and Droop v0.11 "Scottish STV" counts
(tests/vectors/glasgow/README.md; shared/data/stv/glasgow-2007).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tandau.core.tally.registry import count
from tandau.core.tally.result import TallyResult
from tandau.io.blt import read_blt

DATA = Path(__file__).parent / "data"
WARDS = sorted(p.stem for p in DATA.glob("*.blt"))
SNAPSHOT_ACTIONS = ("Begin Count", "Surplus transferred", "Transfer defeated")


def _norm(name: str) -> str:
    return " ".join(name.split())


def _parse_reference(text: str) -> tuple[list[dict[str, object]], list[str], Decimal]:
    """Reference snapshots after each stage: votes of non-defeated candidates, non-transferable, residual."""
    quota = Decimal(re.search(r"Quota: ([\d.]+)", text).group(1))  # type: ignore[union-attr]
    blocks = re.split(r"^Action: ", text, flags=re.M)[1:]
    snaps: list[dict[str, object]] = []
    elected: list[str] = []
    for block in blocks:
        head, *body = block.splitlines()
        votes: dict[str, Decimal] = {}
        nontransferable = residual = Decimal(0)
        for line in body:
            m = re.match(r"\t(Hopeful|Elected|Pending):\s+(.*) \(([\d.]+)\)$", line)
            if m:
                votes[_norm(m.group(2))] = Decimal(m.group(3))
            elif line.startswith("\tNontransferable votes:"):
                nontransferable = Decimal(line.split(":")[1])
            elif line.startswith("\tResidual:"):
                residual = Decimal(line.split(":")[1])
        if head.startswith(SNAPSHOT_ACTIONS):
            snaps.append({"action": head, "votes": votes, "nt": nontransferable, "residual": residual})
        if head.startswith("Count Complete"):
            elected = sorted(_norm(ln.split(":", 1)[1].rsplit("(", 1)[0]) for ln in body
                             if ln.startswith("\tElected:"))
    return snaps, elected, quota


def _dec(x: Fraction) -> Decimal:
    assert (x * 100_000).denominator == 1, "Scottish values are multiples of 1/100000"
    return Decimal(int(x * 100_000)) / Decimal(100_000)


@pytest.fixture(scope="module", params=WARDS)
def ward(request: pytest.FixtureRequest) -> tuple[TallyResult, tuple[list[dict[str, object]], list[str], Decimal]]:
    election = read_blt(DATA / f"{request.param}.blt")
    result = count("stv-scottish", election.profile, election.seats, tie_policy="refuse")
    reference = _parse_reference((DATA / "reference" / f"{request.param}.txt").read_text(encoding="utf-8"))
    return result, reference


def test_glasgow_winners(ward: tuple[TallyResult, tuple[list[dict[str, object]], list[str], Decimal]]) -> None:
    result, (_, elected, quota) = ward
    assert sorted(_norm(result.name_of(c)) for c in result.elected) == elected
    assert result.quota is not None
    assert _dec(result.quota) == quota
    assert not result.ties


def test_glasgow_stage_by_stage(
    ward: tuple[TallyResult, tuple[list[dict[str, object]], list[str], Decimal]],
) -> None:
    result, (snaps, _, _) = ward
    stages = [s for s in result.stages if s.action != "elect-remaining"]
    assert len(stages) == len(snaps)
    for stage, snap in zip(stages, snaps, strict=True):
        mine = {_norm(result.name_of(c)): _dec(v) for c, v in stage.votes.items()}
        assert mine == snap["votes"], f"stage {stage.number} ({snap['action']})"
        assert _dec(stage.exhausted) == snap["nt"], f"stage {stage.number} non-transferable"
        assert _dec(stage.residual) == snap["residual"], f"stage {stage.number} residual"
        assert stage.total() == result.ballots
