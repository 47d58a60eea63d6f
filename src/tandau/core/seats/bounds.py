"""Per-party minimum and maximum seats.

Divisor methods honour bounds exactly as in Pukelsheim 2017, ch. 7 (divisor methods with restrictions): a party
below its minimum has an infinite quotient, a party at its maximum drops out, so the surplus passes on to the
others by the same divisor. Largest-remainder methods fix a violating party at its bound and re-run among the
rest with the seats left (repeated until no bound is violated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tandau.errors import InputError


def resolve_bounds(names: Sequence[str], house: int, minimum: Mapping[str, int] | None,
                   maximum: Mapping[str, int] | None) -> tuple[list[int], list[int]]:
    """Bounds as lists in ``names`` order, checked for consistency.

    >>> resolve_bounds(["a", "b"], 5, {"a": 1}, {"b": 2})
    ([1, 0], [5, 2])
    """
    minimum = minimum or {}
    maximum = maximum or {}
    for given in (minimum, maximum):
        for party in given:
            if party not in names:
                raise InputError(f"seat bound for unknown or non-admitted party {party!r}", parameter="bounds")
    lo = [int(minimum.get(n, 0)) for n in names]
    hi = [int(maximum.get(n, house)) for n in names]
    for n, a, b in zip(names, lo, hi, strict=True):
        if a < 0 or b < a:
            raise InputError(f"party {n!r}: need 0 <= minimum <= maximum, got {a}..{b}", parameter="bounds")
    if sum(lo) > house:
        raise InputError(f"the minimums add up to {sum(lo)} seats, more than the {house} available",
                         parameter="bounds")
    if sum(min(b, house) for b in hi) < house:
        raise InputError(f"the maximums add up to fewer than the {house} seats available", parameter="bounds")
    return lo, hi
