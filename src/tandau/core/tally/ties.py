"""Tie-break policies: never silent, always recorded in the result.

- ``nomination-order``: the candidate nominated earlier (lower index) is favoured: elected first, ranked higher,
  excluded last.
- ``lot``: a drawing of lots with a recorded seed (statutory fallback of SSI 2007/42 rules 49(3) and 51(2)(b)).
- ``refuse``: raise :class:`tandau.errors.TieError` and let a human decide.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tandau.errors import InputError, TieError, UnknownIdError

TiePolicyId = Literal["nomination-order", "lot", "refuse"]
TIE_POLICIES: tuple[str, ...] = ("nomination-order", "lot", "refuse")


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
    _rng: random.Random | None = None

    def __post_init__(self) -> None:
        if self.policy not in TIE_POLICIES:
            raise UnknownIdError("tie policy", self.policy, TIE_POLICIES)
        if self.policy == "lot":
            if self.seed is None:
                raise InputError("the 'lot' tie policy needs a seed, recorded in the result", parameter="seed")
            self._rng = random.Random(self.seed)

    def name(self, i: int) -> str:
        return self.names[i] if i < len(self.names) else str(i)

    def pick(self, tied: Sequence[int], what: str, *, favour: bool, method_prefix: str = "") -> int:
        """Choose one of ``tied``: the favoured one (``favour=True``) or the disfavoured one (to exclude)."""
        cands = sorted(set(tied))
        if len(cands) == 1:
            return cands[0]
        if self.policy == "refuse":
            raise TieError(what, [self.name(i) for i in cands])
        if self.policy == "lot":
            rng = self._rng if self._rng is not None else random.Random(self.seed)
            chosen = rng.choice(cands)
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
