"""Server-side sessions: created at sign-in, read by the web tier, revoked by sign-out, a password change or
an administrator.

The session cookie carries only a random token (256 bits from :mod:`secrets`, signed by the web layer); the
row (:class:`~tandau.store.auth_models.UserSession`) is keyed by the token's SHA-256 and holds the subject,
the CSRF token, when the session was created and last seen (to :data:`TOUCH_EVERY`), when it expires and
whether it was revoked. A copy of the table therefore opens no session, and a forged or stolen-then-revoked
cookie opens nothing. The web tier caches what it read for ``session_cache_seconds`` per process, so a
revocation reaches every process within that time (at once in the process that revoked).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.auth_models import UserSession

TOUCH_EVERY = timedelta(minutes=10)  # last_seen_at is kept to this precision (one write per session per period)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A live session as the web tier sees it."""

    id_hash: str
    subject_id: str
    csrf: str
    expires_at: datetime
    last_seen_at: datetime


def token_hash(token: str) -> str:
    """The key of a session row: SHA-256 of the cookie's token (hex).

    >>> len(token_hash("abc"))
    64
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def create(session: Session, subject_id: str, *, max_age_seconds: int, now: datetime | None = None,
           commit: bool = True) -> tuple[str, SessionInfo]:
    """A new session for ``subject_id``: the token for the cookie and what the row holds."""
    moment = now or datetime.now(UTC)
    token = new_token()
    row = UserSession(id_hash=token_hash(token), subject_id=subject_id, csrf=secrets.token_urlsafe(32),
                      created_at=moment, last_seen_at=moment,
                      expires_at=moment + timedelta(seconds=max_age_seconds), revoked_at=None)
    session.add(row)
    if commit:
        session.commit()
    return token, SessionInfo(row.id_hash, subject_id, row.csrf, row.expires_at, row.last_seen_at)


def lookup(session: Session, hashes: Iterable[str], *, now: datetime | None = None,
           touch: bool = True) -> dict[str, SessionInfo]:
    """The live sessions (unrevoked, unexpired) among ``hashes``; marks them seen when the mark is older than
    :data:`TOUCH_EVERY` (one UPDATE for all of them)."""
    moment = now or datetime.now(UTC)
    wanted = sorted(set(hashes))
    found: dict[str, SessionInfo] = {}
    if not wanted:
        return found
    rows = session.scalars(select(UserSession).where(
        UserSession.id_hash.in_(wanted), UserSession.revoked_at.is_(None), UserSession.expires_at > moment))
    for row in rows:
        found[row.id_hash] = SessionInfo(row.id_hash, row.subject_id, row.csrf, row.expires_at, row.last_seen_at)
    stale = [h for h, info in found.items() if moment - info.last_seen_at >= TOUCH_EVERY]
    if touch and stale:
        session.execute(update(UserSession).where(UserSession.id_hash.in_(stale)).values(last_seen_at=moment))
        session.commit()
    else:
        session.rollback()
    return found


def revoke(session: Session, id_hash: str, *, now: datetime | None = None) -> bool:
    """Revoke one session (sign-out); whether it was live."""
    moment = now or datetime.now(UTC)
    done = session.execute(update(UserSession).where(UserSession.id_hash == id_hash, UserSession.revoked_at.is_(None))
                           .values(revoked_at=moment))
    session.commit()
    return bool(getattr(done, "rowcount", 0))


def revoke_subject(session: Session, subject_id: str, *, keep: str | None = None, now: datetime | None = None,
                   commit: bool = True) -> int:
    """Revoke every live session of ``subject_id`` but ``keep`` (an id hash); how many."""
    moment = now or datetime.now(UTC)
    stmt = update(UserSession).where(UserSession.subject_id == subject_id, UserSession.revoked_at.is_(None),
                                     UserSession.expires_at > moment)
    if keep is not None:
        stmt = stmt.where(UserSession.id_hash != keep)
    done = session.execute(stmt.values(revoked_at=moment))
    if commit:
        session.commit()
    return int(getattr(done, "rowcount", 0) or 0)


def revoke_by_administrator(session: Session, actor: Actor, subject_id: str, *, reason: str | None = None) -> int:
    """Central office: revoke every session of ``subject_id`` (a stolen cookie, a lost phone), audited.
    Authorised as access management (the action of granting roles, central office only)."""
    require(actor, Action.ROLE_GRANT, None)
    count = revoke_subject(session, subject_id, commit=False)
    audit.append(session, actor=actor.subject_id, action="session.revoke", target=subject_id,
                 details={"sessions_revoked": count, "reason": reason})
    session.commit()
    return count


def prune(session: Session, *, now: datetime | None = None, keep_days: int = 30) -> int:
    """Delete sessions that expired or were revoked more than ``keep_days`` ago (housekeeping); how many."""
    moment = now or datetime.now(UTC)
    old = moment - timedelta(days=keep_days)
    done = session.execute(delete(UserSession).where(UserSession.expires_at < old))
    session.commit()
    return int(getattr(done, "rowcount", 0) or 0)
