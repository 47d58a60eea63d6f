"""Roles and the authorization matrix: who may do what, where.

Roles: member, candidate, branch secretary (scoped to a territory and everything under it, see
:func:`~tandau.services.primaries.kato.covers`), central office (everywhere), observer (read-only,
everywhere). Every service action consults :func:`require` with the territory it touches; ``None`` is the
whole country (the national list), which only national-scope grants cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import covers


class Role(StrEnum):
    MEMBER = "member"
    CANDIDATE = "candidate"
    SECRETARY = "secretary"
    CENTRAL = "central"
    OBSERVER = "observer"


class Action(StrEnum):
    CYCLE_CREATE = "create a cycle"
    CONTEST_CREATE = "create a contest"
    CONTEST_OPEN = "open a contest"
    CONTEST_EXTEND = "extend a contest"
    CONTEST_CLOSE = "close a contest"
    CONTEST_PUBLISH = "publish results"
    ROLL_IMPORT = "import the member roll"
    ROLE_GRANT = "grant a role"
    NOMINATION_REGISTER = "register a nomination"
    NOMINATION_WITHDRAW = "withdraw a nomination"
    NOMINATION_DISQUALIFY = "disqualify a candidate"
    TURNOUT_VIEW = "view turnout"
    AUDIT_VERIFY = "verify the audit log"
    RESULTS_VIEW = "view published results"
    TRACKER_CHECK = "check a tracking code"
    BALLOT_CAST = "cast a ballot"


Scope = Literal["anywhere", "territory", "self"]

# action -> role -> how far the grant reaches. Missing role: not allowed at all.
POLICY: dict[Action, dict[Role, Scope]] = {
    Action.CYCLE_CREATE: {Role.CENTRAL: "anywhere"},
    Action.CONTEST_CREATE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_OPEN: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_EXTEND: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_CLOSE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_PUBLISH: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.ROLL_IMPORT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.ROLE_GRANT: {Role.CENTRAL: "anywhere"},
    Action.NOMINATION_REGISTER: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.NOMINATION_WITHDRAW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CANDIDATE: "self"},
    Action.NOMINATION_DISQUALIFY: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.TURNOUT_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.AUDIT_VERIFY: {Role.CENTRAL: "anywhere", Role.OBSERVER: "anywhere"},
    Action.RESULTS_VIEW: dict.fromkeys(Role, "anywhere"),
    Action.TRACKER_CHECK: dict.fromkeys(Role, "anywhere"),
    Action.BALLOT_CAST: {Role.MEMBER: "self", Role.CANDIDATE: "self"},
}


@dataclass(frozen=True, slots=True)
class Grant:
    """One role of a subject; ``kato`` limits a secretary (``None``: no territorial limit)."""

    role: Role
    kato: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a subject id (member id or staff login) and its grants."""

    subject_id: str
    grants: tuple[Grant, ...]

    @staticmethod
    def central(subject_id: str = "central-office") -> Actor:
        """An actor with the central office role (the CLI acts as one)."""
        return Actor(subject_id, (Grant(Role.CENTRAL),))


def is_allowed(actor: Actor, action: Action, territory: str | None, *, subject: str | None = None) -> bool:
    """Whether ``actor`` may perform ``action`` on ``territory`` (``subject``: whose record, for "self").

    >>> sec = Actor("s1", (Grant(Role.SECRETARY, "750000000"),))
    >>> is_allowed(sec, Action.CONTEST_CLOSE, "751110000"), is_allowed(sec, Action.CONTEST_CLOSE, "710000000")
    (True, False)
    """
    rules = POLICY[action]
    for grant in actor.grants:
        scope = rules.get(grant.role)
        if scope == "anywhere":
            return True
        if scope == "territory" and grant.kato is not None and covers(grant.kato, territory):
            return True
        if scope == "self" and subject is not None and subject == actor.subject_id:
            return True
    return False


def require(actor: Actor, action: Action, territory: str | None, *, subject: str | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless :func:`is_allowed`."""
    if not is_allowed(actor, action, territory, subject=subject):
        raise PermissionDeniedError(actor.subject_id, action.value, territory)
