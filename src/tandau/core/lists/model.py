"""Requests and results of list formation (frozen data that explains itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import Pin
from tandau.core.reasons import Reason
from tandau.core.rules.check import Check
from tandau.core.rules.model import Rule

Objective = Literal["lexicographic", "min-swaps", "min-max-demotion"]
OBJECTIVES: tuple[Objective, ...] = ("lexicographic", "min-swaps", "min-max-demotion")
TiePolicy = Literal["refuse", "lot", "nomination-order"]
#: The canonical ids list formation accepts (the alias ``nomination`` still works: :mod:`tandau.core.ties`).
TIE_POLICIES: tuple[TiePolicy, ...] = ("refuse", "lot", "nomination-order")


@dataclass(frozen=True, slots=True)
class ListRequest:
    """What to form: candidates (with primary votes), rules, list length and the leadership's choices.

    ``ties`` orders candidates with equal votes: ``nomination-order`` (earlier nomination first; alias
    ``nomination``), ``lot`` (a shuffle drawn from ``seed``, an integer of at most 256 bits, recorded in the result:
    the same seed always gives the same list, see :class:`tandau.core.ties.Lot`; refused without a seed) or
    ``refuse``. ``seat_safe`` applies every
    whole-list minimum share to every prefix from place ``seat_safe_from`` on.
    """

    candidates: tuple[Candidate, ...]
    rules: tuple[Rule, ...]
    length: int
    election_date: date | None = None
    pins: tuple[Pin, ...] = ()
    exclude: frozenset[str] = frozenset()
    objective: Objective = "lexicographic"
    ties: TiePolicy | Literal["nomination"] = "nomination-order"
    seed: int | None = None
    seat_safe: bool = False
    seat_safe_from: int = 2
    likely_seats: int | None = None
    explain: bool = True


@dataclass(frozen=True, slots=True)
class Entry:
    """One place on the formed list; ``why`` is ``reason`` as a structured reason (code and parameters)."""

    position: int
    candidate: Candidate
    vote_rank: int
    reason: str | None = None
    rule: str | None = None
    why: Reason | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    """Candidates with equal votes and the order the policy gave them."""

    votes: int
    ordered_ids: tuple[str, ...]
    policy: TiePolicy
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """Distance of the list from the vote order (the whole ranking: list, then the rest in vote order)."""

    kendall_tau: int
    max_demotion: int
    moved: int


@dataclass(frozen=True, slots=True)
class ListResult:
    """A formed list with its checks, explanations, ties and warnings (``warning_reasons``: the same, structured)."""

    entries: tuple[Entry, ...]
    checks: tuple[Check, ...]
    objective: Objective
    metrics: Metrics
    ties: tuple[Tie, ...] = ()
    warnings: tuple[str, ...] = ()
    left_off: tuple[Entry, ...] = ()
    rules: tuple[Rule, ...] = field(default=())
    search_nodes: int = 0
    warning_reasons: tuple[Reason, ...] = ()

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks if c.enforced)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.candidate.id for e in self.entries)
