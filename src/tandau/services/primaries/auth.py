"""Sign-in: argon2id password hashes and one-time codes (RFC 9106 via argon2-cffi), and role lookup.

Only hashes are stored. A one-time code is 8 digits from :mod:`secrets`, valid ``otp_ttl_seconds``, usable
once, and void after ``otp_max_attempts`` wrong tries. Failures raise one undifferentiated
:class:`AuthenticationError`, and an unknown subject costs the same hashing work as a known one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from math import ceil

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, Grant, Role, require
from tandau.services.primaries.errors import AuthenticationError, TooManyCodesError
from tandau.store.models import Credential, Member, Nomination, OneTimeCode, RoleGrant

CODE_DIGITS = 8
MIN_PASSWORD = 10
_DEFAULT_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against when the subject is unknown, so timing does not tell."""
    return _DEFAULT_HASHER.hash("tandau-dummy-password")


def _ok(hasher: PasswordHasher, stored: str, secret: str) -> bool:
    try:
        return hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, subject_id: str, password: str, *, hasher: PasswordHasher | None = None) -> None:
    """Store an argon2id hash of ``password`` for ``subject_id`` (member id or staff login)."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", parameter="password")
    digest = (hasher or _DEFAULT_HASHER).hash(password)
    cred = session.get(Credential, subject_id)
    if cred is None:
        session.add(Credential(subject_id=subject_id, password_hash=digest))
    else:
        cred.password_hash = digest
    session.commit()


def sign_in_password(
    session: Session, subject_id: str, password: str, *, hasher: PasswordHasher | None = None
) -> Actor:
    """The signed-in actor, or :class:`AuthenticationError`; rehashes when the parameters were raised."""
    h = hasher or _DEFAULT_HASHER
    cred = session.get(Credential, subject_id)
    if not _ok(h, cred.password_hash if cred else _dummy_hash(), password) or cred is None:
        session.rollback()
        raise AuthenticationError()
    if h.check_needs_rehash(cred.password_hash):
        cred.password_hash = h.hash(password)
    session.commit()
    return actor_for(session, subject_id)


def issue_code(
    session: Session,
    subject_id: str,
    *,
    ttl_seconds: int = 600,
    now: datetime | None = None,
    hasher: PasswordHasher | None = None,
    deliver: Callable[[str], None] | None = None,
    max_live: int = 3,
) -> str:
    """A fresh one-time code for a member on the roll (to be sent to their contact); only its hash is kept.

    With ``deliver`` the code is stored and committed first, then handed to ``deliver`` outside any
    transaction; if that raises, the stored code is deleted before the error goes on, so no undelivered code
    stays valid (and a crash in between leaves only a code nobody knows, which expires).

    At most ``max_live`` unexpired, unused codes per member: one more raises :class:`TooManyCodesError`
    (nothing stored or sent) until the oldest expires."""
    member = session.get(Member, subject_id)
    if member is None or member.status != "active":
        session.rollback()
        raise AuthenticationError()
    moment = now or datetime.now(UTC)
    live = sorted(session.scalars(
        select(OneTimeCode.expires_at)
        .where(OneTimeCode.subject_id == subject_id, OneTimeCode.used == 0, OneTimeCode.expires_at > moment)
    ))
    if len(live) >= max_live:
        session.rollback()
        wait = live[len(live) - max_live] - moment
        raise TooManyCodesError(max(1, ceil(wait.total_seconds())))
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    row_id = secrets.token_hex(16)
    session.add(
        OneTimeCode(
            id=row_id,
            subject_id=subject_id,
            code_hash=(hasher or _DEFAULT_HASHER).hash(code),
            expires_at=moment + timedelta(seconds=ttl_seconds),
            attempts=0,
            used=0,
        )
    )
    session.commit()
    if deliver is not None:
        try:
            deliver(code)
        except BaseException:
            session.rollback()
            session.execute(delete(OneTimeCode).where(OneTimeCode.id == row_id))
            session.commit()
            raise
    return code


def sign_in_code(
    session: Session,
    subject_id: str,
    code: str,
    *,
    max_attempts: int = 5,
    now: datetime | None = None,
    hasher: PasswordHasher | None = None,
) -> Actor:
    """Spend a one-time code: valid, unexpired, unused and not over its attempt limit."""
    h = hasher or _DEFAULT_HASHER
    moment = now or datetime.now(UTC)
    rows = session.scalars(
        select(OneTimeCode).where(
            OneTimeCode.subject_id == subject_id,
            OneTimeCode.used == 0,
            OneTimeCode.expires_at > moment,
            OneTimeCode.attempts < max_attempts,
        )
    ).all()
    for row in rows:
        if _ok(h, row.code_hash, code):
            row.used = 1
            session.commit()
            return actor_for(session, subject_id)
    for row in rows:
        row.attempts += 1
    if not rows:
        _ok(h, _dummy_hash(), code)
    session.commit()
    raise AuthenticationError()


def actor_for(session: Session, subject_id: str) -> Actor:
    """Every grant of ``subject_id``: roles granted explicitly, member (an active roll entry, scoped to the
    member's territory) and candidate (a registered nomination)."""
    grants = [
        Grant(Role(g.role), g.kato)
        for g in session.scalars(select(RoleGrant).where(RoleGrant.subject_id == subject_id))
    ]
    member = session.get(Member, subject_id)
    if member is not None and member.status == "active":
        grants.append(Grant(Role.MEMBER, member.kato))
        nominated = session.scalar(
            select(Nomination.id).where(Nomination.member_id == subject_id, Nomination.status == "registered").limit(1)
        )
        if nominated is not None:
            grants.append(Grant(Role.CANDIDATE, member.kato))
    return Actor(subject_id, tuple(dict.fromkeys(grants)))


def grant_role(session: Session, actor: Actor, subject_id: str, role: Role, kato: str | None = None) -> None:
    """Give ``role`` to ``subject_id`` (secretaries need a territory); central office only."""
    require(actor, Action.ROLE_GRANT, kato)
    if role in (Role.MEMBER, Role.CANDIDATE):
        raise InputError("member and candidate follow from the roll and the nominations", parameter="role")
    if (role == Role.SECRETARY) != (kato is not None):
        raise InputError("a secretary needs a territory; other roles take none", parameter="kato")
    session.add(RoleGrant(subject_id=subject_id, role=role.value, kato=kato))
    audit.append(
        session,
        actor=actor.subject_id,
        action="role.grant",
        target=subject_id,
        details={"role": role.value, "kato": kato},
    )
    session.commit()
