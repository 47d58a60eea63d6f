"""Tables of the party's awards (issue 14, item 5; migration 0015).

- :class:`AwardNomination`: a branch's nomination of an active member for an award of the registry
  (:data:`tandau.core.scorecards.awards.AWARDS`): the member (id and name), the branch's territory (KATO), the
  activity that supports it (text and links to records), its status (``nominated`` -> ``approved`` |
  ``rejected`` with the reason), who nominated and reviewed it and when. Each act is also an audit-log entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class AwardNomination(Base):
    """A nomination for a party award and where it stands."""

    __tablename__ = "award_nominations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), index=True)
    member_name: Mapped[str] = mapped_column(String(200))
    award: Mapped[str] = mapped_column(String(40))
    branch_kato: Mapped[str] = mapped_column(String(9), index=True)
    activity: Mapped[str] = mapped_column(Text)
    links: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of addresses of the supporting records
    status: Mapped[str] = mapped_column(String(16), index=True)  # nominated | approved | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    nominated_by: Mapped[str] = mapped_column(String(64))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
