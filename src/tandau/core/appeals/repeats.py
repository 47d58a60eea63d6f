"""Repeat appeals: an appeal on a matter already raised (issue 14, item 3).

An appeal **repeats** an earlier one (received no more than ``window`` days before it, not itself) when either

- the same applicant wrote it (equal keyed hashes of the normalised contact or name) and the texts are
  *similar*: Jaccard similarity of their character 5-shingles at least :data:`SAME_APPLICANT` (0.3), or
- anyone wrote a *near-duplicate* in the same territory (the same 9-digit KATO): Jaccard at least
  :data:`~tandau.core.proposal_groups.THRESHOLD` (0.6), the proposals' near-duplicate relation.

The shingles, normalisation and the MinHash grouping are those of :mod:`tandau.core.proposal_groups`. The match
names the earlier appeal (the most similar; the same applicant before the territory) and why.

>>> from datetime import date
>>> prior = [Prior("a1", "750000000", "h1", "Во дворе дома 5 по улице Абая не горят фонари", date(2026, 3, 2))]
>>> find_repeat(Prior("a2", "750000000", "h1", "Не горят фонари во дворе дома 5, ул. Абая", date(2026, 4, 1)),
...             prior, window=90)
RepeatMatch(of='a1', reason='same_applicant', score=0.44)
>>> find_repeat(Prior("a3", "750000000", "h9", "Постройте школу", date(2026, 4, 1)), prior, window=90) is None
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from tandau.core import proposal_groups

__all__ = ["SAME_APPLICANT", "Prior", "RepeatMatch", "find_repeat", "link_batch"]

SAME_APPLICANT = 0.3


@dataclass(frozen=True, slots=True)
class Prior:
    """An appeal as repeat detection sees it."""

    id: str
    kato: str
    applicant: str | None  # the keyed hash of the applicant (None: unknown applicant)
    text: str
    received: date


@dataclass(frozen=True, slots=True)
class RepeatMatch:
    """The earlier appeal that ``of`` names, why (``same_applicant`` or ``same_text``) and the similarity."""

    of: str
    reason: str
    score: float


def _in_window(new: Prior, old: Prior, window: int) -> bool:
    return old.id != new.id and new.received - timedelta(days=window) <= old.received <= new.received


def find_repeat(new: Prior, earlier: Iterable[Prior], *, window: int) -> RepeatMatch | None:
    """The appeal that ``new`` repeats among ``earlier`` (see the module), or None."""
    candidates = [p for p in earlier if _in_window(new, p, window)]
    if new.applicant is not None:
        mine = [(p.id, p.text) for p in candidates if p.applicant == new.applicant]
        found = proposal_groups.nearest(new.text, mine, threshold=SAME_APPLICANT)
        if found is not None:
            return RepeatMatch(found[0], "same_applicant", round(found[1], 2))
    near = proposal_groups.nearest(new.text, [(p.id, p.text) for p in candidates if p.kato == new.kato])
    return None if near is None else RepeatMatch(near[0], "same_text", round(near[1], 2))


def link_batch(items: Sequence[Prior], *, window: int) -> dict[str, RepeatMatch]:
    """Repeats among many appeals at once (an import): appeal id -> the match, for every appeal with an earlier one.

    Near-duplicates of a territory are found by :func:`~tandau.core.proposal_groups.group` (MinHash, exact Jaccard
    checked) and an appeal repeats the earlier member of its group within the window that is nearest to it (at
    least the threshold itself: single linkage alone does not make a repeat); appeals of one applicant are
    compared pairwise (an applicant writes a handful). Each text's shingles are computed once. ``items`` in any
    order; the result equals :func:`find_repeat` of each appeal against the appeals before it.
    """
    ordered = sorted(items, key=lambda p: (p.received, p.id))
    sets: dict[str, NDArray[np.uint64]] = {}

    def shingles_of(item: Prior) -> NDArray[np.uint64]:
        if item.id not in sets:
            sets[item.id] = proposal_groups.shingles(item.text)
        return sets[item.id]

    def best(new: Prior, earlier: Iterable[Prior], threshold: float) -> tuple[str, float] | None:
        mine, found = shingles_of(new), None
        for other in earlier:
            score = proposal_groups.jaccard(mine, shingles_of(other))
            if score >= threshold and (found is None or score > found[1]):
                found = (other.id, score)
        return found

    found: dict[str, RepeatMatch] = {}
    by_applicant: dict[str, list[Prior]] = defaultdict(list)
    for item in ordered:
        if item.applicant is not None:
            by_applicant[item.applicant].append(item)
    for same in by_applicant.values():
        for index in range(1, len(same)):
            new = same[index]
            match = best(new, [p for p in reversed(same[:index]) if _in_window(new, p, window)], SAME_APPLICANT)
            if match is not None:
                found[new.id] = RepeatMatch(match[0], "same_applicant", round(match[1], 2))
    groups = proposal_groups.group([proposal_groups.Item(p.id, p.kato, p.text) for p in ordered])
    members: dict[str, list[Prior]] = defaultdict(list)
    for item in ordered:
        if item.id in groups:
            members[groups[item.id]].append(item)
    for group in members.values():
        for index in range(1, len(group)):
            new = group[index]
            if new.id in found:
                continue
            near = best(new, [p for p in reversed(group[:index]) if _in_window(new, p, window)],
                        proposal_groups.THRESHOLD)
            if near is not None:
                found[new.id] = RepeatMatch(near[0], "same_text", round(near[1], 2))
    return found
