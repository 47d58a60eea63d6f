"""Tables of sign-in: server-side sessions and the failure counters of the sign-in throttle (migration 0004).

- :class:`UserSession`: one row per signed-in session. The cookie carries a random token (signed); the row
  is keyed by the token's SHA-256, so a copy of the table gives nobody a usable cookie. Sign-out, a password
  change or an administrator sets ``revoked_at``.
- :class:`SigninFailure`: failed sign-ins per key (the SHA-256 of the client address, or of the address and
  the submitted id), shared by every app process; see :mod:`tandau.services.primaries.throttle`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class UserSession(Base):
    """A signed-in session: whose, its CSRF token, when it was created and last seen, whether it was revoked."""

    __tablename__ = "user_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SigninFailure(Base):
    """Failed sign-ins under one throttle key since the last quiet period, and the block they earned."""

    __tablename__ = "signin_failures"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
