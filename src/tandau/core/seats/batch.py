"""Many allocations at once, columnar: the engine behind ``tandau seats allocate --batch``.

Cases arrive as columns (:class:`BatchCases`, built and validated by :mod:`tandau.io.votes`). Cases with a
method id and no "against all" votes are grouped by method; their thresholds (a share of the party votes,
``votes·den ≥ num·total`` in int64, exact) are applied to the whole group at once and the seats computed by
:func:`tandau.core.seats.vectorised.allocate_arrays` (exact integer largest remainders, certified divisor
methods); rows it cannot settle, and values too large for int64, are recomputed by the exact scalar method.
Cases with a rules preset or "against all" votes go through :func:`tandau.core.seats.allocate`. Results are
identical to calling :func:`tandau.core.seats.allocate_fast` case by case.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from tandau.core.seats.apportion import allocate, allocate_fast
from tandau.core.seats.registry import get_method
from tandau.errors import InputError, TandauError, UnknownIdError

_INT_SAFE = 2**62
#: below this many cases the batch runs case by case, without importing numpy (start-up matters more)
SMALL_BATCH = 200


@dataclass(frozen=True)
class BatchCases:
    """Validated cases, one entry per case in every column; ``votes`` is flat (``lengths`` entries per case)."""

    rows: list[int]
    parties: list[tuple[str, ...]]
    lengths: list[int]
    votes: list[int]
    seats: list[int]
    method: list[str | None]
    rules: list[str | None]
    threshold: list[int]  # index into ``shares`` (the distinct thresholds, ``None`` for none)
    shares: list[Fraction | None]
    other: list[int]


@dataclass(frozen=True)
class BatchOutcome:
    """Seats flat and aligned with ``BatchCases.votes`` (0 for a failed case) and a message for each failed case."""

    seats: list[int]
    errors: dict[int, str]


def _no_list_message(votes: list[int], share: Fraction | None) -> str:
    if share is None:  # pragma: no cover - only a threshold can leave no list
        return "no list takes part"
    needed = share.numerator * sum(votes)
    return f"no list reached the threshold ({needed / share.denominator:.2f} votes needed)"


def allocate_batch(cases: BatchCases, file: str | None = None) -> BatchOutcome:
    """Seats for every case; an input error names ``file``, the case's row and the column.

    >>> c = BatchCases([1, 2], [("A", "B", "C"), ("A", "B")], [3, 2], [100, 80, 30, 10, 10], [5, 3],
    ...                ["dhondt", "hare"], [None, None], [0, 1], [None, Fraction(3, 5)], [0, 0])
    >>> out = allocate_batch(c)
    >>> out.seats, out.errors
    ([3, 2, 0, 0, 0], {1: 'no list reached the threshold (12.00 votes needed)'})
    """
    n = len(cases.seats)
    if n < SMALL_BATCH:
        return _allocate_small(cases, file)
    import numpy as np

    from tandau.core.seats.vectorised import allocate_arrays

    starts = np.concatenate(([0], np.cumsum(cases.lengths, dtype=np.int64)))
    lengths = np.asarray(cases.lengths, dtype=np.int64)
    width = int(lengths.max(initial=1))
    real = np.arange(width)[None, :] < lengths[:, None]
    flat = cases.votes
    scalar = np.array([m is None or o != 0 for m, o in zip(cases.method, cases.other, strict=True)], dtype=bool)
    if flat and max(flat) >= _INT_SAFE:  # rare: leave such cases to the exact scalar path
        big = [max(flat[starts[i]:starts[i + 1]]) >= _INT_SAFE for i in range(n)]
        scalar |= np.array(big, dtype=bool)
        flat = [min(v, 0) if v >= _INT_SAFE else v for v in flat]
    votes = np.zeros((n, width), dtype=np.int64)
    votes[real] = np.fromiter(flat, dtype=np.int64, count=len(flat))
    house = np.asarray(cases.seats, dtype=np.int64)
    out = np.zeros_like(votes)
    errors: dict[int, str] = {}

    def fail(i: int, problem: str, column: str | None) -> InputError:
        return InputError(problem, file=file, row=cases.rows[i], column=column)

    # thresholds: one (num, den) per case, 0/1 for none
    share_code = np.asarray(cases.threshold, dtype=np.int64)
    pairs = [(t.numerator, t.denominator) if t else (0, 1) for t in cases.shares]
    huge = np.array([d >= _INT_SAFE for _, d in pairs], dtype=bool)  # shares with huge denominators: scalar path
    scalar |= huge[share_code]
    num = np.array([0 if d >= _INT_SAFE else n for n, d in pairs], dtype=np.int64)[share_code]
    den = np.array([1 if d >= _INT_SAFE else d for _, d in pairs], dtype=np.int64)[share_code]
    total = votes.sum(axis=1)
    unsafe = (num.astype(float) * total >= _INT_SAFE) | (den.astype(float) * votes.max(axis=1) >= _INT_SAFE)
    scalar |= unsafe
    has = num > 0
    admitted = real & ~(has[:, None] & ((votes * den[:, None] < (num * total)[:, None]) | (votes == 0)))
    admitted[scalar] = False
    count = admitted.sum(axis=1)
    for i in np.flatnonzero(~scalar & (count == 0)).tolist():
        errors[i] = _no_list_message(flat[starts[i]:starts[i + 1]], cases.shares[cases.threshold[i]])
    taking = np.where(admitted, votes, 0)
    live = ~scalar & (count > 0)
    zero = np.flatnonzero(live & (taking.sum(axis=1) == 0))
    if zero.size:
        raise fail(int(zero[0]), "the parties taking part have no votes at all", "votes")

    codes: dict[str | None, int] = {}
    for i, m in enumerate(cases.method):
        if m not in codes:
            codes[m] = len(codes)
            if m is not None:
                try:
                    get_method(m)
                except UnknownIdError as exc:
                    raise fail(i, str(exc), "method") from None
    code = np.fromiter(map(codes.__getitem__, cases.method), dtype=np.int64, count=n)
    for m, c in codes.items():
        if m is None:
            continue
        idx = np.flatnonzero(live & (code == c))
        if not idx.size:
            continue
        seats, unsettled = allocate_arrays(m, taking[idx], house[idx], admitted[idx])
        out[idx] = seats
        fast = get_method(m).fast
        for r in np.flatnonzero(unsettled).tolist():
            i = int(idx[r])
            sel = np.flatnonzero(admitted[i]).tolist()
            out[i] = 0
            out[i, sel] = fast(taking[i, sel].tolist(), int(house[i]))

    for i in np.flatnonzero(scalar).tolist():
        a, b = int(starts[i]), int(starts[i + 1])
        one = _one(cases, i, a, b, file, errors)
        if one is not None:
            out[i, : b - a] = one
    if errors:
        out[list(errors)] = 0
    seats_flat: list[int] = out[real].tolist()
    return BatchOutcome(seats_flat, errors)


def _one(cases: BatchCases, i: int, a: int, b: int, file: str | None, errors: dict[int, str]) -> list[int] | None:
    """Case ``i`` (votes ``a:b`` of the flat column) by the exact scalar path; None (and a message) if it fails."""
    method, share = cases.method[i], cases.shares[cases.threshold[i]]
    votes = cases.votes[a:b]
    try:
        if method is not None and cases.other[i] == 0 and cases.rules[i] is None:
            if not share and sum(votes) == 0:
                raise InputError("the parties taking part have no votes at all", parameter="votes")
            return allocate_fast(votes, cases.seats[i], method, share)
        res = allocate(list(zip(cases.parties[i], votes, strict=True)), cases.seats[i], method=method,
                       rules=cases.rules[i], threshold=share, other_valid_votes=cases.other[i])
    except InputError as exc:
        if exc.parameter == "threshold":  # no list reached the threshold: an error line, not a failed batch
            errors[i] = exc.problem
            return None
        raise InputError(exc.problem, file=file, row=cases.rows[i], column=exc.parameter) from None
    except UnknownIdError as exc:
        raise InputError(str(exc), file=file, row=cases.rows[i],
                         column="rules" if cases.rules[i] is not None else "method") from None
    except TandauError as exc:
        errors[i] = str(exc)
        return None
    return [s for _, s in res.seats]


def _allocate_small(cases: BatchCases, file: str | None) -> BatchOutcome:
    """A short batch case by case (same results and messages as the vectorised path, no numpy start-up)."""
    errors: dict[int, str] = {}
    seats: list[int] = []
    a = 0
    for i, k in enumerate(cases.lengths):
        got = _one(cases, i, a, a + k, file, errors)
        seats.extend(got if got is not None else [0] * k)
        a += k
    return BatchOutcome(seats, errors)
