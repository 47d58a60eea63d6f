"""Ballots and profiles for counting: contestants with attributes, ranked and approval profiles.

Ballots are kept aggregated: identical ballots form one group with a count, as in the BLT format
(Hill, Wichmann & Woodall, "Algorithm 123", Computer Journal 30(3), 1987) and PrefLib (Mattei & Walsh 2013).
Candidates are referred to by their index in ``candidates`` (0-based), which is also the nomination order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tandau.errors import InputError


@dataclass(frozen=True, slots=True)
class Contestant:
    """A candidate in a primary: id, display name and the attributes that groups look at.

    >>> Contestant("c1", "Aigerim", sex="F").sex
    'F'
    """

    id: str
    name: str
    sex: str | None = None
    birth_date: date | None = None
    tags: frozenset[str] = frozenset()


def _check_candidates(candidates: Sequence[Contestant]) -> None:
    seen: set[str] = set()
    for c in candidates:
        if c.id in seen:
            raise InputError(f"duplicate candidate id {c.id!r}", parameter="candidates")
        seen.add(c.id)


@dataclass(frozen=True, slots=True)
class RankedProfile:
    """Ranked ballots: each group is ``(ranking, count)``; a ranking lists candidate indices, best first.

    >>> p = RankedProfile.build([Contestant("a", "A"), Contestant("b", "B")], [((0, 1), 2), ((1,), 1)])
    >>> p.total, p.n_candidates
    (3, 2)
    """

    candidates: tuple[Contestant, ...]
    ballots: tuple[tuple[tuple[int, ...], int], ...]
    election_date: date | None = None
    title: str = ""

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    @property
    def total(self) -> int:
        """Number of ballot papers (sum of counts)."""
        return sum(count for _, count in self.ballots)

    @staticmethod
    def build(
        candidates: Sequence[Contestant],
        ballots: Iterable[tuple[Sequence[int], int]],
        *,
        election_date: date | None = None,
        title: str = "",
        merge: bool = True,
    ) -> RankedProfile:
        """Validate (indices in range, no repeated candidate, positive count) and merge identical rankings."""
        _check_candidates(candidates)
        n = len(candidates)
        merged: Counter[tuple[int, ...]] = Counter()
        order: list[tuple[tuple[int, ...], int]] = []
        for ranking, count in ballots:
            r = tuple(ranking)
            if count <= 0:
                raise InputError(f"ballot count must be positive, got {count}", parameter="ballots")
            if len(set(r)) != len(r) or any(not 0 <= i < n for i in r):
                raise InputError(f"invalid ranking {r!r} for {n} candidates", parameter="ballots")
            if not r:
                continue
            if merge:
                merged[r] += count
            else:
                order.append((r, count))
        groups = tuple(merged.items()) if merge else tuple(order)
        return RankedProfile(tuple(candidates), groups, election_date, title)


@dataclass(frozen=True, slots=True)
class ApprovalProfile:
    """Approval (or plurality) ballots: each group is ``(approved indices, count)``.

    ``max_marks`` is the most marks a ballot may carry (``None``: unlimited); plurality is ``max_marks=1``.
    ``scores`` may be given pre-computed (a vectorised reader does so); otherwise it is derived from ``ballots``.

    >>> p = ApprovalProfile.build([Contestant("a", "A"), Contestant("b", "B")], [((0, 1), 2), ((1,), 1)])
    >>> p.approvals()
    (2, 3)
    """

    candidates: tuple[Contestant, ...]
    ballots: tuple[tuple[tuple[int, ...], int], ...]
    max_marks: int | None = None
    election_date: date | None = None
    title: str = ""
    scores: tuple[int, ...] | None = field(default=None, compare=False)
    ballot_total: int | None = field(default=None, compare=False)

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    @property
    def total(self) -> int:
        """Number of ballots, blank ballots included."""
        if self.ballot_total is not None:
            return self.ballot_total
        return sum(count for _, count in self.ballots)

    def approvals(self) -> tuple[int, ...]:
        """Approvals per candidate, in candidate order."""
        if self.scores is not None:
            return self.scores
        tally = [0] * self.n_candidates
        for marks, count in self.ballots:
            for i in marks:
                tally[i] += count
        return tuple(tally)

    @staticmethod
    def build(
        candidates: Sequence[Contestant],
        ballots: Iterable[tuple[Sequence[int], int]],
        *,
        max_marks: int | None = None,
        election_date: date | None = None,
        title: str = "",
    ) -> ApprovalProfile:
        """Validate (indices in range, no repeats, at most ``max_marks``) and merge identical ballots."""
        _check_candidates(candidates)
        n = len(candidates)
        merged: Counter[tuple[int, ...]] = Counter()
        for marks, count in ballots:
            m = tuple(sorted(marks))
            if count <= 0:
                raise InputError(f"ballot count must be positive, got {count}", parameter="ballots")
            if len(set(m)) != len(m) or any(not 0 <= i < n for i in m):
                raise InputError(f"invalid marks {m!r} for {n} candidates", parameter="ballots")
            if max_marks is not None and len(m) > max_marks:
                raise InputError(f"overvote: {len(m)} marks, at most {max_marks} allowed", parameter="ballots")
            merged[m] += count
        return ApprovalProfile(tuple(candidates), tuple(merged.items()), max_marks, election_date, title)


Profile = RankedProfile | ApprovalProfile


def ranked_to_approval(profile: RankedProfile, depth: int | None = None) -> ApprovalProfile:
    """Read a ranked profile as approval ballots: the first ``depth`` preferences count as marks (all if None).

    ``depth=1`` gives first-preference (plurality) ballots.
    """
    groups = [(r if depth is None else r[:depth], c) for r, c in profile.ballots]
    return ApprovalProfile.build(profile.candidates, groups, max_marks=depth, election_date=profile.election_date,
                                 title=profile.title)
