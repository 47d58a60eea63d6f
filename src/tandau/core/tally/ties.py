"""Tie-break policies of a count: never silent, always recorded in the result (vocabulary: :mod:`tandau.core.ties`).

- ``nomination-order`` (alias ``nomination``): the candidate nominated earlier (lower index) is favoured: elected
  first, ranked higher, excluded last.
- ``lot``: a drawing of lots from an explicit seed (an integer of at most 256 bits), recorded in the result and
  replayable by :class:`tandau.core.ties.Lot` (statutory fallback of SSI 2007/42 rules 49(3) and 51(2)(b));
  refused without a seed.
- ``refuse``: raise :class:`tandau.errors.TieError` and let a human decide.

``registration-order`` is the party-list policy of seat allocation; a count refuses it and names
``nomination-order``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tandau.core.ties import CANDIDATE_TIE_POLICIES, Lot, normalise_tie_policy, require_seed
from tandau.errors import TieError

TiePolicyId = Literal["nomination-order", "lot", "refuse"]
#: The canonical ids a count accepts (aliases such as ``nomination`` pass :func:`normalise_tie_policy` too).
TIE_POLICIES: tuple[str, ...] = CANDIDATE_TIE_POLICIES


@dataclass(frozen=True, slots=True)
class TieRecord:
    """One tie met during a count: what was decided, who was tied, who was chosen and how."""

    what: str
    tied: tuple[str, ...]
    chosen: str
    method: str


@dataclass(slots=True)
class TieBreaker:
    """Breaks ties among candidate indices by the chosen policy and records each one.

    >>> tb = TieBreaker("nomination-order", names=("a", "b", "c"))
    >>> tb.pick([2, 1], "exclusion", favour=False)
    2
    >>> tb.records[0].method
    'nomination-order'
    """

    policy: str
    names: tuple[str, ...] = ()
    seed: int | None = None
    records: list[TieRecord] = field(default_factory=list)
    _lot: Lot | None = None

    def __post_init__(self) -> None:
        self.policy = normalise_tie_policy(self.policy, CANDIDATE_TIE_POLICIES)
        self.seed = require_seed(self.policy, self.seed)
        if self.policy == "lot" and self.seed is not None:
            self._lot = Lot(self.seed)

    def name(self, i: int) -> str:
        return self.names[i] if i < len(self.names) else str(i)

    def pick(self, tied: Sequence[int], what: str, *, favour: bool, method_prefix: str = "") -> int:
        """Choose one of ``tied``: the favoured one (``favour=True``) or the disfavoured one (to exclude)."""
        cands = sorted(set(tied))
        if len(cands) == 1:
            return cands[0]
        if self.policy == "refuse":
            raise TieError(what, [self.name(i) for i in cands])
        if self._lot is not None:
            chosen = self._lot.choice(cands)
            method = f"lot (seed {self.seed})"
        else:
            chosen = cands[0] if favour else cands[-1]
            method = "nomination-order"
        self.records.append(TieRecord(what, tuple(self.name(i) for i in cands), self.name(chosen),
                                      method_prefix + method))
        return chosen

    def note(self, what: str, tied: Sequence[int], chosen: int, method: str) -> None:
        """Record a tie resolved by the rule itself (e.g. by earlier stages), not by the policy."""
        self.records.append(TieRecord(what, tuple(self.name(i) for i in sorted(tied)), self.name(chosen), method))

    def order(self, items: Sequence[int], key: Sequence[object], what: str) -> list[int]:
        """Sort ``items`` by ``key`` descending, breaking equal keys by the policy (recorded)."""
        groups: dict[object, list[int]] = {}
        for i in items:
            groups.setdefault(key[i], []).append(i)
        out: list[int] = []
        for k in sorted(groups, key=lambda v: v, reverse=True):  # type: ignore[arg-type, return-value]
            rest = list(groups[k])
            while rest:
                chosen = self.pick(rest, f"{what} (equal {k})", favour=True) if len(rest) > 1 else rest[0]
                out.append(chosen)
                rest.remove(chosen)
        return out
