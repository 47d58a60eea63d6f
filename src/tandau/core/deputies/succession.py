"""Who takes a vacated list mandate, with the 2022 mandate-level quota kept.

The Constitutional Law on Elections (Art. 89(4), as amended by Law 105-VII of 7 Feb 2022) asks that at least 30%
of a party's list mandates go to women, persons under 29 or persons with a disability (the group
:data:`~tandau.core.rules.presets.KZ_2022_GROUP`) and that a vacated list mandate passes to the next candidate of
the same list. The law does not say what happens when the next candidate would take the party below the quota;
**our rule**, documented in docs/deputies.md: the next name on the list succeeds unless the remaining holders plus
that name would hold fewer than ``ceil(0.3·S)`` group mandates; then the first group member below on the list
succeeds instead (the same correction as :func:`tandau.core.seats.mandates.assign_mandates` under ``kz-law-2022``).
A name that already held a mandate of this list, or declined one, is never offered again. Ages are counted on
election day, as for the first assignment.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.rules.presets import KZ_2022_GROUP
from tandau.errors import InputError


@dataclass(frozen=True, slots=True)
class Succession:
    """The successor (None: the list is exhausted), why, and the group count before and after."""

    vacating: str
    successor: Candidate | None
    reason: str  # next-on-list | quota | exhausted
    needed: int
    held_before: int
    held_after: int
    skipped: tuple[str, ...]

    @property
    def quota_met(self) -> bool:
        """Whether the party's list mandates keep the quota after the succession."""
        return self.held_after >= self.needed

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON and the audit log."""
        return {"vacating": self.vacating, "successor": None if self.successor is None else self.successor.id,
                "reason": self.reason, "quota_needed": self.needed, "quota_held_before": self.held_before,
                "quota_held_after": self.held_after, "quota_met": self.quota_met, "skipped": list(self.skipped)}


def quota_needed(seats: int) -> int:
    """``ceil(0.3·seats)``, in integers.

    >>> quota_needed(9), quota_needed(10), quota_needed(1)
    (3, 3, 1)
    """
    return math.ceil(seats * 3 / 10)


def _in_group(c: Candidate, day: date | None) -> bool:
    if c.birth_date is None or day is None:  # without an age only sex and tags decide (never guessed young)
        return c.sex == "F" or "disability" in c.tags
    return KZ_2022_GROUP.contains(c, day)


def successor(candidates: Sequence[Candidate], holders: Collection[str], vacating: str, *,
              used: Collection[str] = (), election_day: date | None = None) -> Succession:
    """The successor of ``vacating`` among ``candidates`` (the registered list in list order).

    ``holders``: the ids holding the party's list mandates now (``vacating`` among them); ``used``: ids that may
    not be offered the mandate (earlier holders, those who declined).

    >>> L = [Candidate(str(i), f"c{i}", "F" if i in (0, 5) else "M", None) for i in range(7)]
    >>> successor(L, ["0", "1", "2", "3"], "0").successor.id  # 0 of ceil(1.2) = 2 left: the next woman
    '5'
    >>> successor(L, ["0", "1", "2"], "1").successor.id  # the woman stays, 1 of ceil(0.9) = 1: the next name
    '3'
    """
    ids = [c.id for c in candidates]
    if vacating not in ids:
        raise InputError(f"{vacating!r} is not on the list", parameter="vacating")
    if vacating not in holders:
        raise InputError(f"{vacating!r} holds no mandate of this list", parameter="vacating")
    by_id = {c.id: c for c in candidates}
    seats = len(holders)
    needed = quota_needed(seats)
    remaining = [by_id[h] for h in holders if h != vacating and h in by_id]
    held_before = sum(_in_group(c, election_day) for c in [*remaining, by_id[vacating]])
    held_rest = sum(_in_group(c, election_day) for c in remaining)
    barred = set(holders) | set(used) | {vacating}
    free = [c for c in candidates if c.id not in barred]
    if not free:
        return Succession(vacating, None, "exhausted", needed, held_before, held_rest, ())
    nxt = free[0]
    if held_rest + _in_group(nxt, election_day) >= needed or _in_group(nxt, election_day):
        return Succession(vacating, nxt, "next-on-list", needed, held_before,
                          held_rest + _in_group(nxt, election_day), ())
    member = next((c for c in free if _in_group(c, election_day)), None)
    if member is None:  # no group member left: the next name, the quota not met
        return Succession(vacating, nxt, "next-on-list", needed, held_before, held_rest, ())
    skipped = tuple(c.id for c in free[:free.index(member)])
    return Succession(vacating, member, "quota", needed, held_before, held_rest + 1, skipped)
