"""The registry of apportionment methods: stable ids, display names, families and sources.

Methods register themselves with :func:`register` (never an if/elif chain); :func:`get_method` raises
:class:`tandau.errors.UnknownIdError` listing the valid ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from tandau.core.seats.result import MethodResult
from tandau.core.seats.ties import TieBreaker
from tandau.errors import UnknownIdError

Family = Literal["divisor", "largest-remainder"]

#: ``run(votes, house, names, tie_breaker, minimum, maximum) -> MethodResult``
Runner = Callable[[Sequence[int], int, Sequence[str], TieBreaker, Sequence[int], Sequence[int]], MethodResult]
#: ``fast(votes, house) -> seats`` without trace; ties broken by registration order
FastRunner = Callable[[Sequence[int], int], list[int]]


@dataclass(frozen=True, slots=True)
class Method:
    """A registered apportionment method."""

    id: str
    name: str
    family: Family
    source: str
    run: Runner
    fast: FastRunner


METHODS: dict[str, Method] = {}


def register(method: Method) -> Method:
    """Add ``method`` to the registry under its id (ids are unique)."""
    if method.id in METHODS:
        raise ValueError(f"duplicate method id {method.id!r}")
    METHODS[method.id] = method
    return method


def get_method(method_id: str) -> Method:
    """The method registered under ``method_id``.

    >>> get_method("dhondt").family
    'divisor'
    >>> get_method("nope")
    Traceback (most recent call last):
    ...
    tandau.errors.UnknownIdError: unknown seat allocation method 'nope'; valid: adams, danish, ...
    """
    try:
        return METHODS[method_id]
    except KeyError:
        raise UnknownIdError("seat allocation method", method_id, sorted(METHODS)) from None


def method_ids() -> list[str]:
    """Every registered id, sorted."""
    return sorted(METHODS)
