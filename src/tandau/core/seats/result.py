"""Result and trace dataclasses of the apportionment methods.

Every result carries the seats per party, the ties met (and how each was broken) and its trace as data: the
quotient table and the order of awards for divisor methods; the quota, whole parts and remainders for
largest-remainder methods. The trace is computed on first access, so bulk runs that need only seats stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from tandau.core.seats.ties import Tie


@dataclass(frozen=True, slots=True)
class SeatAward:
    """The ``seat``-th award went to ``party`` with ``quotient`` = votes ÷ ``divisor``.

    ``reason`` is ``"quotient"`` or ``"minimum"`` (a seat owed to a per-party minimum). For Huntington-Hill the
    divisor is irrational, so ``divisor`` and ``quotient`` hold their exact squares (``squared`` is true).
    ``quotient`` is None when the divisor is zero (an infinite quotient).
    """

    seat: int
    party: str
    divisor: Fraction
    quotient: Fraction | None
    reason: str = "quotient"
    squared: bool = False


@dataclass(frozen=True, slots=True)
class DivisorTrace:
    """Quotient table of a divisor method: every winning quotient in award order and each party's first losing one."""

    awards: tuple[SeatAward, ...]
    first_losing: tuple[tuple[str, Fraction | None], ...]
    squared: bool = False

    def as_data(self) -> dict[str, object]:
        """Plain data (numbers as strings of exact fractions) for JSON."""
        return {
            "kind": "divisor",
            "squared_quotients": self.squared,
            "awards": [
                {"seat": a.seat, "party": a.party, "divisor": str(a.divisor),
                 "quotient": None if a.quotient is None else str(a.quotient),
                 "reason": a.reason}
                for a in self.awards
            ],
            "first_losing": {p: (None if q is None else str(q)) for p, q in self.first_losing},
        }


@dataclass(frozen=True, slots=True)
class QuotaTrace:
    """Largest-remainder trace: the quota, whole parts, remainders (in votes), who took the remainder seats.

    ``removed`` lists the parties that lost a whole-part seat when the quota over-allocated (Imperiali,
    Hagenbach-Bischoff); they are those with the smallest remainders, as in votelib's ``subtract``.
    """

    quota: Fraction
    whole: tuple[tuple[str, int], ...]
    remainders: tuple[tuple[str, Fraction], ...]
    remainder_seats: tuple[str, ...]
    removed: tuple[str, ...] = ()

    def as_data(self) -> dict[str, object]:
        """Plain data (exact fractions as strings) for JSON."""
        return {
            "kind": "largest-remainder",
            "quota": str(self.quota),
            "whole": dict(self.whole),
            "remainders": {p: str(r) for p, r in self.remainders},
            "remainder_seats": list(self.remainder_seats),
            "removed_for_over_allocation": list(self.removed),
        }


Trace = DivisorTrace | QuotaTrace


@dataclass(frozen=True)
class MethodResult:
    """Seats by one method among the parties that take part (registration order)."""

    method: str
    parties: tuple[str, ...]
    votes: tuple[int, ...]
    house: int
    seats: tuple[int, ...]
    ties: tuple[Tie, ...]
    tie_policy: str
    seed: int | None
    trace_fn: Callable[[MethodResult], Trace] = field(repr=False, compare=False)

    @cached_property
    def trace(self) -> Trace:
        """The trace, computed exactly on first access."""
        return self.trace_fn(self)

    def as_dict(self) -> dict[str, int]:
        """Seats by party name."""
        return dict(zip(self.parties, self.seats, strict=True))
