"""Tables of deputies and akims (issue 14; migration 0013).

- :class:`DeputyCouncil`: a council's imported official result (list votes, the party's registered list, the
  mandate rule and the term): what vacancies are later filled from.
- :class:`DeputyRow`: one mandate of the party's faction: the person (a member id, or only a name), the council,
  how elected (``list`` with the list position, or ``district`` with the district id), the term, the status
  (``active`` | ``vacated`` with the reason and the day) and whom it succeeded.
- :class:`SeatDecision`: every decision on a seat (list seats allocated, mandates assigned, district winners,
  vacancies, successions, by-elections) with its data; each is also an entry of the hash-chained audit log.
- :class:`Akim`: an akim (a party member) of a territory with their appointment dates.
- :class:`DeputyActivity`: one activity record (session, vote, inquiry, reception, report to voters).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class DeputyCouncil(Base):
    """The official result of a council as imported, for later vacancies."""

    __tablename__ = "deputy_councils"
    council_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kato: Mapped[str | None] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(200))
    system: Mapped[str] = mapped_column(String(32))
    party: Mapped[str] = mapped_column(String(200))
    election_day: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    seats: Mapped[int] = mapped_column(Integer)
    list_seats: Mapped[int] = mapped_column(Integer)
    party_list_seats: Mapped[int] = mapped_column(Integer)
    mandate_rule: Mapped[str] = mapped_column(String(32))
    votes: Mapped[str] = mapped_column(Text)  # JSON [[party, votes], ...] in registration order
    other_valid_votes: Mapped[int] = mapped_column(Integer)
    party_list: Mapped[str] = mapped_column(Text)  # JSON: the party's registered list in list order
    list_source: Mapped[str] = mapped_column(String(16))  # workspace | file | none
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))


class DeputyRow(Base):
    """A mandate of the party's faction and who holds (or held) it."""

    __tablename__ = "deputies"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    council_id: Mapped[str] = mapped_column(ForeignKey("deputy_councils.council_id"), index=True)
    kato: Mapped[str | None] = mapped_column(String(9), index=True)
    person_id: Mapped[str] = mapped_column(String(64), default="")  # the member or list id ("" when unknown)
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    mandate: Mapped[str] = mapped_column(String(16))  # list | district
    district_id: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int | None] = mapped_column(Integer)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)  # active | vacated
    vacated_on: Mapped[date | None] = mapped_column(Date)
    vacated_reason: Mapped[str | None] = mapped_column(Text)
    succeeds: Mapped[str | None] = mapped_column(String(32))  # the deputy row this one succeeded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SeatDecision(Base):
    """A decision on a seat of a council, with its data (JSON) and who took it."""

    __tablename__ = "seat_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    council_id: Mapped[str] = mapped_column(String(64), index=True)
    deputy_id: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))


class Akim(Base):
    """An akim of a territory (a party member) with the day appointed and the day they left (None: in office)."""

    __tablename__ = "akims"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kato: Mapped[str] = mapped_column(String(9), index=True)
    person_id: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    appointed_at: Mapped[date] = mapped_column(Date)
    left_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))


class DeputyActivity(Base):
    """One activity record of a deputy; ``source`` is the SHA-256 of the file it was imported from."""

    __tablename__ = "deputy_activity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deputy_id: Mapped[str] = mapped_column(ForeignKey("deputies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text, default="")
    attended: Mapped[bool | None] = mapped_column(Boolean)
    choice: Mapped[str | None] = mapped_column(String(16))
    answered_on: Mapped[date | None] = mapped_column(Date)
    people: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))
