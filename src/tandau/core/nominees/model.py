"""Requests and results of nominee selection (frozen data that explains itself).

A *set* of single-member districts (a council, a region, the country) nominates one candidate per district.
Each district's primary ranks its candidates by votes, equal votes by nomination order (``Candidate.order``,
the row order of the file), so rank 1 is the district's primary winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.nominees.reasons import NomineeReason
from tandau.core.rules.check import Check
from tandau.core.rules.model import Rule


@dataclass(frozen=True, slots=True)
class District:
    """A single-member district and the candidates of its primary, in nomination order."""

    id: str
    candidates: tuple[Candidate, ...]

    def ranking(self) -> tuple[Candidate, ...]:
        """The primary ranking: most votes first, equal votes by nomination order.

        >>> votes = [("a", 5), ("b", 9), ("c", 5)]
        >>> a, b, c = (Candidate(i, i, "F", None, v, order=k) for k, (i, v) in enumerate(votes))
        >>> [x.id for x in District("1", (a, b, c)).ranking()]
        ['b', 'a', 'c']
        """
        return tuple(sorted(self.candidates, key=lambda c: (-c.votes, c.order)))


@dataclass(frozen=True, slots=True)
class NomineeRequest:
    """What to select: the districts in their order, the rules (whole-set shares and counts), the leadership's
    choices and, for a mixed council, the list candidates counted with the nominees.

    ``pins`` maps a district id to the candidate the leadership nominates there; ``exclude`` holds candidate
    ids that may not be nominated. ``also_counted`` (optional) are the council's list candidates: the rules then
    apply to the list and the nominees together ("the party's candidates for this council"), the list fixed.
    ``set_label`` names the set in explanations ("the council's nominees").
    """

    districts: tuple[District, ...]
    rules: tuple[Rule, ...]
    election_date: date | None = None
    pins: tuple[tuple[str, str], ...] = ()
    exclude: frozenset[str] = frozenset()
    also_counted: tuple[Candidate, ...] = ()
    set_label: str = "council"


@dataclass(frozen=True, slots=True)
class Nominee:
    """The nominee of one district: ``primary_rank`` in the district's primary (1: the winner), and for a
    departure from the winner the reason in English (``reason``) and structured (``why``)."""

    district: str
    candidate: Candidate
    primary_rank: int
    winner: Candidate
    votes_share: str
    reason: str | None = None
    why: NomineeReason | None = None
    pinned: bool = False

    @property
    def departure(self) -> bool:
        return self.primary_rank != 1


@dataclass(frozen=True, slots=True)
class NomineeResult:
    """The nominees in district order, the independent check of every rule over the chosen set, the objective's
    three terms and the size of the search (``states``: need vectors examined by the dynamic programme)."""

    nominees: tuple[Nominee, ...]
    checks: tuple[Check, ...]
    rules: tuple[Rule, ...]
    departures: int
    rank_sum: int
    states: int = 0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks if c.enforced)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(n.candidate.id for n in self.nominees)

    @property
    def ranks(self) -> tuple[int, ...]:
        return tuple(n.primary_rank for n in self.nominees)
