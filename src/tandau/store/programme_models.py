"""Tables of election programmes (issue 13, items 1, 5 and 7; migration 0012).

- :class:`ProgrammeRow`: one programme per council and cycle (a maslikhat, the Majilis) or a national programme of
  a wing of the party (the youth wing), its territory (9-digit KATO, ``KZ`` for the Majilis and the wings), its
  titles in Kazakh and Russian, where it stands in the workflow and its current version number.
- :class:`ProgrammeVersion`: an immutable snapshot of the commitments (JSON), with the lint findings of that
  snapshot, its author and note. Every save is a new version; nothing is ever updated in place.
- :class:`ProgrammeComment`: a comment on a programme (optionally on one commitment of one version).
- :class:`ProgrammeStep`: a workflow step (create, submit, return with reasons, approve, publish): the history
  shown on the programme's page; each is also an entry of the hash-chained audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class ProgrammeRow(Base):
    """An election programme and where it stands."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("cycle_id", "owner", name="uq_programmes_cycle_id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # council | wing
    owner: Mapped[str] = mapped_column(String(64))  # the council id (M-5910, KZ-MAJILIS) or the wing id (youth)
    kato: Mapped[str] = mapped_column(String(9), index=True)  # 9-digit KATO, or KZ: the whole country
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft|submitted|returned|approved|published
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProgrammeVersion(Base):
    """One saved version of a programme's commitments, never changed once written."""

    __tablename__ = "programme_versions"
    __table_args__ = (UniqueConstraint("programme_id", "number", name="uq_programme_versions_programme_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    commitments: Mapped[str] = mapped_column(Text)  # JSON list of commitment records
    findings: Mapped[str] = mapped_column(Text)  # JSON list of the lint findings of this version
    errors: Mapped[int] = mapped_column(Integer)
    notices: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProgrammeComment(Base):
    """A comment on a programme, on the version it was written against (and one commitment, if named)."""

    __tablename__ = "programme_comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    commitment: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProgrammeStep(Base):
    """One workflow step: from, to, on which version, who, when, and the reasons (a return) or note."""

    __tablename__ = "programme_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
