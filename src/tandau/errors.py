"""The exception tree of Tandau.

Every error a user can cause derives from :class:`TandauError`. Subclasses carry structured fields and
build their own message, so that the CLI and the API can report them without tracebacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType


class TandauError(Exception):
    """Root of every error that Tandau raises on purpose."""


class InputError(TandauError):
    """Bad input: names the file, row and column (or the parameter) and what would be valid.

    ``problem`` is the English text. ``code`` and ``params``, when given, name the problem with a stable code
    and its parameters so that another face can say it in its own language (the import problems are registered
    in :mod:`tandau.services.primaries.problems`); without them the problem is known only by its text.

    >>> str(InputError("sex must be F or M, got 'X'", file="c.csv", row=3, column="sex"))
    "c.csv, row 3, column 'sex': sex must be F or M, got 'X'"
    >>> e = InputError("sex must be F or M, got 'X'", row=3, code="sex_invalid", params={"value": "X"})
    >>> e.code, dict(e.params), InputError("x").code
    ('sex_invalid', {'value': 'X'}, None)
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        parameter: str | None = None,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.parameter = parameter
        self.code = code
        self.params: Mapping[str, object] = MappingProxyType(dict(params or {}))
        super().__init__(self._message())

    def _message(self) -> str:
        where: list[str] = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.parameter is not None:
            where.append(f"parameter {self.parameter}")
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


class UnknownIdError(TandauError):
    """An id that is not in a registry; lists the valid ones."""

    def __init__(self, kind: str, given: str, valid: Sequence[str]) -> None:
        self.kind = kind
        self.given = given
        self.valid = tuple(valid)
        super().__init__(f"unknown {kind} {given!r}; valid: {', '.join(self.valid)}")


class InfeasibleError(TandauError):
    """No result satisfies every rule; carries the diagnosis as data."""

    def __init__(self, message: str, *, details: Sequence[str] = ()) -> None:
        self.details = tuple(details)
        text = message if not self.details else message + "\n" + "\n".join(f"  - {d}" for d in self.details)
        super().__init__(text)


class TieError(TandauError):
    """A tie that the chosen policy refuses to break."""

    def __init__(self, what: str, tied: Sequence[str]) -> None:
        self.what = what
        self.tied = tuple(tied)
        super().__init__(f"tie in {what} between {', '.join(self.tied)}; choose a tie-break policy")
