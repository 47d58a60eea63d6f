"""Errors of the primaries services; each is a :class:`~tandau.errors.TandauError` with structured fields."""

from __future__ import annotations

from collections.abc import Sequence

from tandau.errors import InputError, TandauError


class NotFoundError(TandauError):
    """A cycle, contest, member or nomination that does not exist."""

    def __init__(self, kind: str, given: str) -> None:
        self.kind = kind
        self.given = given
        super().__init__(f"no {kind} {given!r}")


class PermissionDeniedError(TandauError):
    """The actor's roles do not allow the action on this territory."""

    def __init__(self, subject: str, action: str, territory: str | None) -> None:
        self.subject = subject
        self.action = action
        self.territory = territory
        where = "the whole country" if territory is None else f"territory {territory}"
        super().__init__(f"{subject!r} may not {action} on {where}")


class FrozenError(PermissionDeniedError):
    """A change to the roll or the nominations of a contest that is open or closed (frozen from opening until
    publication), by someone other than the central office; names the contest that freezes it."""

    def __init__(self, subject: str, action: str, contest_id: str, status: str, territory: str | None) -> None:
        super().__init__(subject, action, territory)
        self.contest_id = contest_id
        self.status = status
        self.args = (
            f"{subject!r} may not {action}: contest {contest_id!r} is {status}, and its roll and nominations are "
            "frozen from opening until publication; only the central office may change them, with a reason",
        )


class AuthenticationError(TandauError):
    """Sign-in failed; deliberately says nothing about which part was wrong."""

    def __init__(self) -> None:
        super().__init__("sign-in failed: unknown member, wrong password or wrong/expired code")


class StateError(TandauError):
    """An action that the contest's status or voting window does not allow now."""


class AlreadyVotedError(StateError):
    """The member has already voted in this contest (no revoting)."""

    def __init__(self, contest_id: str) -> None:
        self.contest_id = contest_id
        super().__init__(f"you have already voted in contest {contest_id!r}; a ballot cannot be changed")


class NotEligibleError(TandauError):
    """A voter or a candidate that the eligibility rules exclude; ``reasons`` lists every failed rule."""

    def __init__(self, who: str, what: str, reasons: Sequence[str]) -> None:
        self.who = who
        self.reasons = tuple(reasons)
        super().__init__(f"{who} is not eligible for {what}: {'; '.join(self.reasons)}")


class ImportRejectedError(InputError):
    """A whole import refused: every problem found, each naming file, row and column; nothing was written."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        if not errors:
            raise ValueError("ImportRejectedError needs at least one error")
        self.errors = tuple(errors)
        first = self.errors[0]
        super().__init__(first.problem, file=first.file, row=first.row, column=first.column)
        lines = [f"{len(self.errors)} problem(s); nothing was imported:"] + [f"  {e}" for e in self.errors]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


class TooManyCodesError(TandauError):
    """A member already holds the most unexpired one-time codes allowed; a new one is refused until the
    oldest expires (``retry_after`` seconds), so nobody can flood a member with messages."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many one-time codes requested; try again in {retry_after} s")
