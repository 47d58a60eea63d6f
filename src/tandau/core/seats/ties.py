"""Tie policies: ties are surfaced in the result and broken only by an explicit, recorded policy.

Policies (stable ids, the vocabulary of :mod:`tandau.core.ties`): ``registration-order`` (the list registered
earlier wins, as Art. 97-1 of Kazakhstan's Constitutional Law on Elections prescribes for equal remainders), ``lot``
(a draw from an explicit seed, an integer of at most 256 bits, recorded in the result and replayable with
:class:`tandau.core.ties.Lot`; refused without a seed), ``refuse`` (raise :class:`tandau.errors.TieError`).
``nomination-order`` is the candidates' policy; seat allocation refuses it and names ``registration-order``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tandau.core.ties import PARTY_TIE_POLICIES, Lot, normalise_tie_policy, require_seed
from tandau.errors import TieError

TIE_POLICIES: dict[str, str] = {
    "refuse": "Refuse to decide: raise TieError naming the tied lists.",
    "lot": "Drawing of lots from an explicit seed (at most 256 bits), recorded in the result; refused without one.",
    "registration-order": "The list registered earlier wins (Kazakhstan, Constitutional Law on Elections, Art. 97-1).",
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

    __slots__ = ("_lot", "policy", "seed", "ties")

    def __init__(self, policy: str = "registration-order", seed: int | None = None) -> None:
        self.policy: str = normalise_tie_policy(policy, PARTY_TIE_POLICIES)
        self.seed = require_seed(self.policy, seed)
        self._lot = Lot(self.seed) if self.policy == "lot" and self.seed is not None else None
        self.ties: list[Tie] = []

    def pick(self, tied: Sequence[int], places: int, names: Sequence[str], stage: str) -> list[int]:
        """Choose ``places`` of the ``tied`` indices (indices are registration order)."""
        ordered = sorted(tied)
        if self.policy == "refuse":
            raise TieError(stage, [names[i] for i in ordered])
        winners = sorted(self._lot.sample(ordered, places)) if self._lot is not None else ordered[:places]
        self.ties.append(Tie(stage, tuple(names[i] for i in ordered), places, tuple(names[i] for i in winners),
                             self.policy))
        return winners
