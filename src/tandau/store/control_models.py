"""Tables of control cases (issue 12, scope 6; migration 0009).

- :class:`ControlCase`: one case, opened from a flag (programme or procurement: its code and the series or
  process it fired on, kept as reference data), a citizen's signal or a deputy; its territory (KATO, ``None``:
  the whole country), owner (a branch's control commission or a deputy), status, the deadline of the current
  step, and the outcome and resolution note once resolved.
- :class:`ControlCaseStep`: every step taken (from, to, who, when, the note, the deadline it set): the history
  shown on the case page; each step is also an entry of the hash-chained audit log.
- :class:`ControlCaseFile`: an evidence file, its bytes in the database (every app process reads them; never
  only one host's disk), with its SHA-256, size and media type checked on arrival.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class ControlCase(Base):
    """A control case and where it stands."""

    __tablename__ = "control_cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kato: Mapped[str | None] = mapped_column(String(9), index=True)
    source: Mapped[str] = mapped_column(String(16))  # flag | signal | deputy
    flag_kind: Mapped[str | None] = mapped_column(String(16))  # programme | procurement
    flag_code: Mapped[str | None] = mapped_column(String(16))
    flag_ref: Mapped[str | None] = mapped_column(String(200))  # the series or the process (ocid) it fired on
    owner_kind: Mapped[str] = mapped_column(String(16))  # commission | deputy
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(24), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # confirmed | not_confirmed
    resolution: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ControlCaseStep(Base):
    """One step of a case: the workflow's move, who made it, when, with what note and next deadline."""

    __tablename__ = "control_case_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("control_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))


class ControlCaseFile(Base):
    """An evidence file of a case, stored in the database with its SHA-256, size and checked media type."""

    __tablename__ = "control_case_files"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("control_cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(64))
