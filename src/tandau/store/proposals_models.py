"""Tables of citizens' proposals (issue 13, item 6; migration 0011).

- :class:`Proposal`: one proposal: its text, territory (9-digit KATO), age group, channel, language, theme (with
  the classifier's confidence, or set by a person), status (``new``, ``hidden`` with a reason, ``merged`` into
  another, ``answered`` by commitments, ``not_taken`` with a reason), its near-duplicate group, and an optional
  contact (shown only to moderators and the central office). The proposer's receipt code is never stored: only
  its keyed hash (HMAC-SHA256 under a key derived from ``TANDAU_SECRET_KEY``), unique, so the code finds the
  proposal and a copy of the table finds nobody's code (:mod:`tandau.services.proposals.receipts`).
- :class:`ProposalAction`: every moderation and linking act (who, when, what, why): the history shown to staff;
  each is also an entry of the hash-chained audit log.
- :class:`ProposalLink`: a proposal answered by a programme commitment (its id as text: programmes are stored
  elsewhere).
- :class:`ProposalRate`: how many proposals one client address sent in the current hour, under the SHA-256 of the
  address keyed like the receipts (no address is stored); shared by every app process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class Proposal(Base):
    """A citizen's proposal and where it stands."""

    __tablename__ = "proposals"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # the id of an imported row
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    kato: Mapped[str] = mapped_column(String(9), index=True)
    age_group: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    theme: Mapped[str | None] = mapped_column(String(32), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    theme_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    hidden_reason: Mapped[str | None] = mapped_column(String(16))
    merged_into: Mapped[str | None] = mapped_column(String(40))
    not_taken_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_group: Mapped[str | None] = mapped_column(String(40), index=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProposalAction(Base):
    """One act of moderation or linking on a proposal."""

    __tablename__ = "proposal_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # hide | restore | merge | theme | answer | not_taken
    detail: Mapped[str] = mapped_column(String(200), default="")  # the reason, target id, theme or commitments
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))


class ProposalLink(Base):
    """A proposal answered by a programme commitment."""

    __tablename__ = "proposal_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), index=True)
    commitment_id: Mapped[str] = mapped_column(String(100), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    linked_by: Mapped[str] = mapped_column(String(64))


class RateWindow:
    """The columns of a public form's per-address counter (proposals, appeals): the keyed SHA-256 of the address,
    the start of its hour and how many were sent in it (:func:`tandau.services.proposals.receipts.count_in`)."""

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer)


class ProposalRate(RateWindow, Base):
    """Proposals sent from one address (keyed SHA-256) in the hour that began at ``window_start``."""

    __tablename__ = "proposal_rates"
