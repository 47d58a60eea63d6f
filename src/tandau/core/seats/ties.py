"""Tie policies: ties are surfaced in the result and broken only by an explicit, recorded policy.

Policies (stable ids): ``registration-order`` (the list registered earlier wins, as Art. 97-1 of Kazakhstan's
Constitutional Law on Elections prescribes for equal remainders), ``lot`` (a seeded draw; the seed is recorded in
the result), ``refuse`` (raise :class:`tandau.errors.TieError`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from tandau.errors import InputError, TieError

TIE_POLICIES: dict[str, str] = {
    "registration-order": "The list registered earlier wins (Kazakhstan, Constitutional Law on Elections, Art. 97-1).",
    "lot": "Drawing of lots with a seeded generator; the seed is recorded in the result.",
    "refuse": "Refuse to decide: raise TieError naming the tied lists.",
}


@dataclass(frozen=True, slots=True)
class Tie:
    """One tie: ``places`` of the ``tied`` parties take what is at stake; ``winners`` did by ``policy``."""

    stage: str
    tied: tuple[str, ...]
    places: int
    winners: tuple[str, ...]
    policy: str


class TieBreaker:
    """Applies one policy to every tie of an allocation and records the ties it broke.

    >>> tb = TieBreaker("registration-order")
    >>> tb.pick([3, 1], 1, ("a", "b", "c", "d"), "remainder")
    [1]
    >>> tb.ties[0].winners
    ('b',)
    """

    __slots__ = ("_rng", "policy", "seed", "ties")

    def __init__(self, policy: str = "registration-order", seed: int | None = None) -> None:
        if policy not in TIE_POLICIES:
            from tandau.errors import UnknownIdError

            raise UnknownIdError("tie policy", policy, sorted(TIE_POLICIES))
        if policy == "lot" and seed is None:
            raise InputError("the 'lot' tie policy needs a seed (it is recorded in the result)", parameter="seed")
        self.policy = policy
        self.seed = seed
        self._rng = random.Random(seed) if policy == "lot" else None
        self.ties: list[Tie] = []

    def pick(self, tied: Sequence[int], places: int, names: Sequence[str], stage: str) -> list[int]:
        """Choose ``places`` of the ``tied`` indices (indices are registration order)."""
        ordered = sorted(tied)
        if self.policy == "refuse":
            raise TieError(stage, [names[i] for i in ordered])
        winners = sorted(self._rng.sample(ordered, places)) if self._rng is not None else ordered[:places]
        self.ties.append(Tie(stage, tuple(names[i] for i in ordered), places, tuple(names[i] for i in winners),
                             self.policy))
        return winners
