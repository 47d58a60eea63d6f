"""One entry point: threshold, then the method among the admitted lists; every input party appears in the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from tandau.core.seats.bounds import resolve_bounds
from tandau.core.seats.presets import get_preset
from tandau.core.seats.registry import get_method
from tandau.core.seats.result import MethodResult
from tandau.core.seats.threshold import Threshold, ThresholdReport, apply_threshold
from tandau.core.seats.ties import TieBreaker
from tandau.errors import InputError


@dataclass(frozen=True)
class Allocation:
    """Seats for every party given (0 for those not admitted), the method result and the threshold report."""

    seats: tuple[tuple[str, int], ...]
    method: MethodResult
    threshold: ThresholdReport | None
    rules: str | None

    def as_dict(self) -> dict[str, int]:
        """Seats by party, in input order."""
        return dict(self.seats)

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON: seats, method, rules, threshold, ties and the trace."""
        m = self.method
        return {
            "seats": self.as_dict(),
            "method": m.method,
            "rules": self.rules,
            "house": m.house,
            "tie_policy": m.tie_policy,
            "seed": m.seed,
            "ties": [{"stage": t.stage, "tied": list(t.tied), "places": t.places, "winners": list(t.winners)}
                     for t in m.ties],
            "threshold": None if self.threshold is None else self.threshold.as_data(),
            "trace": m.trace.as_data(),
        }


def _check(votes: Mapping[str, int] | Sequence[tuple[str, int]], house: int) -> tuple[list[str], list[int]]:
    items = list(votes.items()) if isinstance(votes, Mapping) else list(votes)
    names = [str(n) for n, _ in items]
    counts = [v for _, v in items]
    if len(set(names)) != len(names):
        raise InputError("party names must be unique", parameter="votes")
    if not names:
        raise InputError("no parties given", parameter="votes")
    for n, v in zip(names, counts, strict=True):
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise InputError(f"votes of {n!r} must be a non-negative integer, got {v!r}", parameter="votes")
    if not isinstance(house, int) or house < 1:
        raise InputError(f"seats must be a positive integer, got {house!r}", parameter="seats")
    return names, counts


def allocate(votes: Mapping[str, int] | Sequence[tuple[str, int]], house: int, *, method: str | None = None,
             rules: str | None = None, threshold: Threshold | Fraction | None = None, other_valid_votes: int = 0,
             invalid_ballots: int = 0, seats_elsewhere: Mapping[str, int] | None = None,
             minimum: Mapping[str, int] | None = None, maximum: Mapping[str, int] | None = None,
             tie_policy: str | None = None, seed: int | None = None) -> Allocation:
    """Allocate ``house`` seats; parties in registration order (earlier first).

    Give ``method`` or ``rules`` (a preset id); an explicit ``threshold`` or ``tie_policy`` overrides the preset's.
    ``tie_policy`` is ``registration-order`` (the default), ``lot`` or ``refuse``; ``lot`` needs ``seed`` (an integer
    of at most 256 bits, recorded in the result): the same seed always draws the same seats
    (:class:`tandau.core.ties.Lot`), and ``lot`` without a seed is refused.

    >>> a = allocate({"A": 5148074, "B": 792828, "C": 659019, "D": 383023, "E": 258618}, 98,
    ...              rules="kz-majilis-2021")
    >>> a.as_dict()
    {'A': 76, 'B': 12, 'C': 10, 'D': 0, 'E': 0}
    >>> allocate({"A": 3, "B": 3}, 1, method="dhondt", tie_policy="lot", seed=7).method.ties[0].tied
    ('A', 'B')
    """
    names, counts = _check(votes, house)
    if (method is None) == (rules is None):
        raise InputError("give exactly one of a method and a rules preset", parameter="method/rules")
    policy = tie_policy
    if rules is not None:
        preset = get_preset(rules)
        method = preset.method
        threshold = preset.threshold if threshold is None else threshold
        policy = policy or preset.tie_policy
    runner = get_method(str(method))
    if other_valid_votes < 0 or invalid_ballots < 0:
        raise InputError("other valid votes and invalid ballots must be non-negative", parameter="other-valid-votes")
    tb = TieBreaker(policy or "registration-order", seed)
    report = None
    if isinstance(threshold, Fraction):  # a bare share: base = party votes + other valid votes (issue 3, §7)
        threshold = Threshold(threshold, "valid-votes")
    if threshold is not None:
        report = apply_threshold(threshold, names, counts, other_valid_votes=other_valid_votes,
                                 invalid_ballots=invalid_ballots, seats_elsewhere=seats_elsewhere, tie_breaker=tb)
        keep = set(report.admitted)
        sel = [i for i, n in enumerate(names) if n in keep]
    else:
        sel = list(range(len(names)))
    sub_names = [names[i] for i in sel]
    sub_votes = [counts[i] for i in sel]
    if sum(sub_votes) == 0:
        raise InputError("the parties taking part have no votes at all", parameter="votes")
    lo, hi = resolve_bounds(sub_names, house, minimum, maximum)
    result = runner.run(sub_votes, house, sub_names, tb, lo, hi)
    got = result.as_dict()
    return Allocation(tuple((n, got.get(n, 0)) for n in names), result, report, rules)


def allocate_fast(votes: Sequence[int], house: int, method: str, threshold: Fraction | None = None,
                  other_valid_votes: int = 0) -> list[int]:
    """Seats only, for bulk runs: ties by registration order, no trace, threshold on party or valid votes.

    >>> allocate_fast([60, 30, 10], 10, "dhondt", Fraction(1, 5))
    [7, 3, 0]
    """
    m = get_method(method)
    if threshold is None or threshold == 0:
        return m.fast(votes, house)
    num, den = threshold.numerator, threshold.denominator
    needed = num * (sum(votes) + other_valid_votes)
    sel = [i for i, v in enumerate(votes) if v * den >= needed and v > 0]
    if not sel:
        raise InputError(f"no list reached the threshold ({needed / den:.2f} votes needed)", parameter="threshold")
    sub = m.fast([votes[i] for i in sel], house)
    out = [0] * len(votes)
    for i, s in zip(sel, sub, strict=True):
        out[i] = s
    return out
