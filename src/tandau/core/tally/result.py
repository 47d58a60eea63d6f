"""Results of a count: the outcome with its trace (STV stages or selection rounds) and its ties."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from tandau.core.tally.ballots import Contestant
from tandau.core.tally.ties import TieRecord


@dataclass(frozen=True, slots=True)
class StvStage:
    """One stage of an STV count, in votes (exact fractions; Scottish values are multiples of 1/100000).

    ``votes`` holds every candidate not excluded at the end of the stage (an elected candidate whose surplus was
    transferred shows the quota); ``transfers`` the change during the stage; ``exhausted`` and ``residual`` are
    cumulative (non-transferable papers; value lost by truncation); ``surplus`` is the surplus transferred here.
    """

    number: int
    action: str
    subject: str | None
    votes: Mapping[str, Fraction]
    transfers: Mapping[str, Fraction]
    exhausted: Fraction
    residual: Fraction
    surplus: Fraction
    elected: tuple[str, ...]
    excluded: tuple[str, ...]
    reason: str

    def total(self) -> Fraction:
        """Votes held plus non-transferable plus rounding residual: equals the ballots at every stage."""
        return sum(self.votes.values(), Fraction(0)) + self.exhausted + self.residual


@dataclass(frozen=True, slots=True)
class SelectionRound:
    """One round of a sequential rule: who was chosen, by which value, and the values of all contenders.

    For approval rules ``values`` are approval counts; for seq-Phragmén the maximal load if elected
    (lower is better); for MES the price per supporter ``rho`` (lower is better).
    """

    number: int
    chosen: str
    value: Fraction
    values: Mapping[str, Fraction]
    reason: str


@dataclass(frozen=True, slots=True)
class TallyResult:
    """Outcome of a count: ``elected`` in order of election and the full ``ranking`` of candidate ids."""

    method: str
    seats: int
    candidates: tuple[Contestant, ...]
    elected: tuple[str, ...]
    ranking: tuple[str, ...]
    ballots: int
    scores: Mapping[str, Fraction] | None = None
    quota: Fraction | None = None
    stages: tuple[StvStage, ...] = ()
    rounds: tuple[SelectionRound, ...] = ()
    ties: tuple[TieRecord, ...] = ()
    tie_policy: str = "nomination-order"
    seed: int | None = None
    notes: tuple[str, ...] = field(default=())

    def name_of(self, cid: str) -> str:
        """Display name of a candidate id."""
        for c in self.candidates:
            if c.id == cid:
                return c.name
        return cid
