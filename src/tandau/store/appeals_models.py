"""Tables of public reception appeals (issue 14, item 3; migration 0014).

- :class:`Appeal`: one appeal: how it came (channel), when (``received_at`` and its local date in Asia/Almaty,
  from which working-day deadlines run), where (9-digit KATO), its theme (the proposals' taxonomy, with the
  classifier's confidence), its text, the applicant's name and contact (personal data: shown only to the case's
  handler, its territory's secretary and the central office; removed by the retention purge), a keyed hash of the
  applicant (repeat detection and pseudonymised exports), where it was routed (a deputy, a branch or a state body)
  and to whom (``handler``), its status, due date and extension, outcome and the applicant's satisfaction, the
  appeal it repeats and whether it was escalated. The receipt code is never stored: only its HMAC.
- :class:`AppealStep`: every act on an appeal (who, when, what, why); each is also an audit-log entry.
- :class:`AppealRate`: appeals sent from one address (keyed hash) in the current hour (the public form's limit).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime
from tandau.store.proposals_models import RateWindow


class Appeal(Base):
    """A public reception appeal and where it stands."""

    __tablename__ = "appeals"
    __table_args__ = (Index("ix_appeals_status_due", "status", "due_on"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_on: Mapped[date] = mapped_column(Date, index=True)
    kato: Mapped[str] = mapped_column(String(9), index=True)
    theme: Mapped[str | None] = mapped_column(String(32), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    applicant_name: Mapped[str | None] = mapped_column(String(200))
    applicant_contact: Mapped[str | None] = mapped_column(String(200))
    applicant_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    route_kind: Mapped[str | None] = mapped_column(String(16))  # deputy | branch | state_body
    route_to: Mapped[str | None] = mapped_column(String(200))
    handler: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    repeat_of: Mapped[str | None] = mapped_column(String(40), index=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AppealStep(Base):
    """One act on an appeal."""

    __tablename__ = "appeal_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appeal_id: Mapped[str] = mapped_column(ForeignKey("appeals.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))


class AppealRate(RateWindow, Base):
    """Appeals sent from one address (keyed SHA-256) in the hour that began at ``window_start``."""

    __tablename__ = "appeal_rates"
