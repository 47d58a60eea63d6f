"""Sign-in: argon2id password hashes and one-time codes (RFC 9106 via argon2-cffi), and role lookup.

Only hashes are stored. A one-time code is 8 digits from :mod:`secrets`, valid ``otp_ttl_seconds``, usable
once, and void after ``otp_max_attempts`` wrong tries. Failures raise one undifferentiated
:class:`AuthenticationError`, and an unknown subject costs the same hashing work as a known one.

The web layer signs in through :func:`sign_in_throttled`: the throttle
(:mod:`~tandau.services.primaries.throttle`) is asked before any argon2 work, and every failure is counted.
:data:`VERIFICATIONS` counts argon2 verifications in this process (tests and the brute-force benchmark read
it to prove that a blocked attempt costs no hash). Members change their own password with
:func:`change_password`, which revokes their other sessions.
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
from tandau.services.primaries import audit, throttle
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


class _Counter:
    """How many argon2 verifications this process has run (read ``VERIFICATIONS.count``)."""

    count = 0


VERIFICATIONS = _Counter()


def _ok(hasher: PasswordHasher, stored: str, secret: str) -> bool:
    VERIFICATIONS.count += 1
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
    queue: Callable[[Session, str, str], None] | None = None,
    max_live: int = 3,
) -> str:
    """A fresh one-time code for a member on the roll (to be sent to their contact); only its hash is kept.

    With ``deliver`` the code is stored and committed first, then handed to ``deliver`` outside any
    transaction; if that raises, the stored code is deleted before the error goes on, so no undelivered code
    stays valid (and a crash in between leaves only a code nobody knows, which expires). With ``queue`` the
    code goes to a background job instead: ``queue(session, row id, code)`` is called before the commit and adds
    the job in the same transaction, which it commits (:func:`tandau.services.jobs.kinds.otp.submit_delivery`), so
    the code is stored only with its delivery queued; the job voids it if it cannot be delivered.

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
    if queue is not None:
        try:
            queue(session, row_id, code)
        except BaseException:
            session.rollback()
            raise
        return code
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


def looks_like_code(secret: str) -> bool:
    """Whether a submitted secret is a one-time code (8 digits) rather than a password (at least 10 characters).

    >>> looks_like_code("12345678"), looks_like_code("correct horse")
    (True, False)
    """
    return secret.isdigit() and len(secret) == CODE_DIGITS


def sign_in_throttled(
    session: Session,
    subject_id: str,
    secret: str,
    *,
    address: str,
    limits: throttle.Limits,
    max_attempts: int = 5,
    hasher: PasswordHasher | None = None,
) -> Actor:
    """Sign in with a password or a one-time code (told apart by shape), throttled per (address, id) and per
    address: :class:`~tandau.services.primaries.throttle.ThrottledError` before any hashing when blocked;
    otherwise the full check (dummy hash for an unknown id), a failure counted, a success clearing the pair."""
    subject_id, secret = subject_id.strip(), secret.strip()
    throttle.check(session, address, subject_id)
    try:
        if looks_like_code(secret):
            actor = sign_in_code(session, subject_id, secret, max_attempts=max_attempts, hasher=hasher)
        else:
            actor = sign_in_password(session, subject_id, secret, hasher=hasher)
            if not actor.grants:  # a password left for someone off the roll and without a role: not a sign-in
                raise AuthenticationError()
    except AuthenticationError:
        session.rollback()
        throttle.record_failure(session, address, subject_id, limits)
        raise
    throttle.forget(session, address, subject_id)
    return actor


def change_password(
    session: Session,
    subject_id: str,
    current: str,
    new: str,
    *,
    address: str,
    limits: throttle.Limits,
    keep_session: str | None = None,
    hasher: PasswordHasher | None = None,
) -> int:
    """A member (or staff) changes their own password: the current one is checked like a sign-in (throttled,
    failures counted), the new one stored, every other session of the subject revoked and the change audited
    (no secret in the entry). ``keep_session``: the id hash of the session making the change. Returns how
    many sessions were revoked."""
    from tandau.services.primaries import sessions

    throttle.check(session, address, subject_id)
    h = hasher or _DEFAULT_HASHER
    cred = session.get(Credential, subject_id)
    if cred is None or not _ok(h, cred.password_hash, current):
        session.rollback()
        throttle.record_failure(session, address, subject_id, limits)
        raise AuthenticationError()
    if len(new) < MIN_PASSWORD:
        session.rollback()
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", parameter="new_password")
    if new == current:
        session.rollback()
        raise InputError("the new password is the current one", parameter="new_password")
    cred.password_hash = h.hash(new)  # one transaction with the revocation and the audit entry
    revoked = sessions.revoke_subject(session, subject_id, keep=keep_session, commit=False)
    audit.append(session, actor=subject_id, action="password.change", target=subject_id,
                 details={"sessions_revoked": revoked})
    session.commit()
    return revoked


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


# roles granted with a territory (their grants reach everything under it); the others reach everywhere or follow
# from the roll
TERRITORIAL_ROLES = frozenset({Role.SECRETARY, Role.CONTROL, Role.MODERATOR, Role.DEPUTY, Role.APPEAL_HANDLER})


def grant_role(session: Session, actor: Actor, subject_id: str, role: Role, kato: str | None = None) -> None:
    """Give ``role`` to ``subject_id`` (:data:`TERRITORIAL_ROLES` need a territory); central office only."""
    require(actor, Action.ROLE_GRANT, kato)
    if role in (Role.MEMBER, Role.CANDIDATE):
        raise InputError("member and candidate follow from the roll and the nominations", parameter="role")
    if (role in TERRITORIAL_ROLES) != (kato is not None):
        raise InputError("a secretary, a control-commission member, a moderator, a deputy or an appeal handler needs "
                         "a territory; other roles take none", parameter="kato")
    session.add(RoleGrant(subject_id=subject_id, role=role.value, kato=kato))
    audit.append(
        session,
        actor=actor.subject_id,
        action="role.grant",
        target=subject_id,
        details={"role": role.value, "kato": kato},
    )
    session.commit()
