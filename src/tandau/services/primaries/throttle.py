"""The sign-in throttle: failed password and one-time-code sign-ins limited per (address, submitted id) and
per address, with a back-off that doubles, shared by every app process through the database.

The order of a sign-in (:func:`tandau.services.primaries.auth.sign_in_throttled`): :func:`check` first, a
read of at most two rows and no hashing, so a blocked client costs no argon2 work; below the limits the
attempt is hashed in full (a dummy hash for an unknown id, so the answer and its timing do not tell whether a
member exists); a failure is then :func:`record_failure`; a success :func:`forget` the (address, id) pair.

Only failures count, never attempts: a branch office behind one address signs in all day; a block lasts
``signin_backoff_seconds`` once a limit is reached and doubles with every failure after it (up to
``signin_backoff_max_seconds``); failures are forgotten after ``signin_failure_window_seconds`` without one.
A successful sign-in does not clear the address counter (a spray with one known password would reset it).
Keys are SHA-256 digests of the address and of the address with the id: the table names no one.

Concurrent attempts that pass :func:`check` together are all hashed before their failures are recorded, so
a client with N requests in flight can go N-1 past a limit, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.errors import TandauError
from tandau.settings import Settings
from tandau.store.auth_models import SigninFailure


class ThrottledError(TandauError):
    """Too many failed sign-ins from this address (for this id, or for any): try again in ``retry_after`` s.
    The same for a member that exists and for one that does not."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed sign-ins from this address; try again in {retry_after} s")


@dataclass(frozen=True, slots=True)
class Limits:
    """The throttle's settings (``TANDAU_SIGNIN_*``, see :class:`tandau.settings.Settings`)."""

    per_id: int = 5
    per_address: int = 100
    window_seconds: int = 900
    backoff_seconds: int = 30
    backoff_max_seconds: int = 3600

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            per_id=settings.signin_max_failures_per_id,
            per_address=settings.signin_max_failures_per_address,
            window_seconds=settings.signin_failure_window_seconds,
            backoff_seconds=settings.signin_backoff_seconds,
            backoff_max_seconds=settings.signin_backoff_max_seconds,
        )

    def backoff(self, failures: int, limit: int) -> int:
        """Seconds of block after ``failures`` (0 below ``limit``; then doubling from ``backoff_seconds``).

        >>> [Limits().backoff(n, 5) for n in (4, 5, 6, 7, 30)]
        [0, 30, 60, 120, 3600]
        """
        if failures < limit:
            return 0
        return int(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** min(failures - limit, 30)))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(("tandau.signin", *parts)).encode("utf-8", "surrogatepass")).hexdigest()


def keys(address: str, subject_id: str) -> tuple[str, str]:
    """The two throttle keys of an attempt: (address, id) and address."""
    return _digest("id", address, subject_id.strip().casefold()), _digest("address", address)


def check(session: Session, address: str, subject_id: str, *, now: datetime | None = None) -> None:
    """Raise :class:`ThrottledError` when (address, id) or the address is blocked now. Reads only."""
    moment = now or datetime.now(UTC)
    rows = session.scalars(select(SigninFailure).where(SigninFailure.key_hash.in_(keys(address, subject_id)))).all()
    session.rollback()
    waits = [(r.blocked_until - moment).total_seconds() for r in rows
             if r.blocked_until is not None and r.blocked_until > moment]
    if waits:
        raise ThrottledError(max(1, ceil(max(waits))))


def record_failure(session: Session, address: str, subject_id: str, limits: Limits, *,
                   now: datetime | None = None) -> int:
    """Count one failure under both keys (one transaction); the longest block it earned, in seconds (0: none)."""
    moment = now or datetime.now(UTC)
    pair, whole = keys(address, subject_id)
    for attempt in range(3):  # a concurrent first failure may insert the same key: count again
        try:
            block = max(_count(session, pair, limits.per_id, limits, moment),
                        _count(session, whole, limits.per_address, limits, moment))
            session.commit()
            return block
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _count(session: Session, key: str, limit: int, limits: Limits, moment: datetime) -> int:
    row = session.scalars(select(SigninFailure).where(SigninFailure.key_hash == key).with_for_update()).first()
    if row is None:
        row = SigninFailure(key_hash=key, failures=0, last_failure_at=moment, blocked_until=None)
        session.add(row)
    elif (moment - row.last_failure_at).total_seconds() > limits.window_seconds and (
            row.blocked_until is None or row.blocked_until <= moment):
        row.failures = 0  # a quiet period: start again
    row.failures += 1
    row.last_failure_at = moment
    block = limits.backoff(row.failures, limit)
    row.blocked_until = moment + timedelta(seconds=block) if block else None
    session.flush()
    return block


def forget(session: Session, address: str, subject_id: str) -> None:
    """After a successful sign-in: clear the (address, id) pair (the address counter stays)."""
    pair, _whole = keys(address, subject_id)
    row = session.get(SigninFailure, pair)
    if row is not None:
        session.delete(row)
        session.commit()
    else:
        session.rollback()


def prune(session: Session, limits: Limits, *, now: datetime | None = None) -> int:
    """Delete counters that are neither blocking nor within the window (housekeeping); how many."""
    moment = now or datetime.now(UTC)
    stale = moment - timedelta(seconds=limits.window_seconds)
    rows: Iterable[SigninFailure] = session.scalars(select(SigninFailure).where(
        SigninFailure.last_failure_at < stale,
        (SigninFailure.blocked_until.is_(None)) | (SigninFailure.blocked_until < moment),
    )).all()
    count = 0
    for row in rows:
        session.delete(row)
        count += 1
    session.commit()
    return count
