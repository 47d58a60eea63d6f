"""The relational model of the primaries (SQLAlchemy 2 typed ORM).

Secrecy is a property of this schema: :class:`Ballot` has no column or foreign key that leads to a member,
no time and no sequential key (random hex ids; on SQLite the table is ``WITHOUT ROWID`` so even the hidden
row id is gone and rows are clustered by the random key). Who voted is recorded apart in
:class:`Participation`, with at most the day. The audit log is a plain table, not an ORM class, so the ORM
offers no update or delete path for it; database triggers refuse UPDATE and DELETE as well.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored as naive UTC on every backend and returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Council(Base):
    """A council (maslikhat) or the Majilis; ``kato`` is the territory it serves (None: the whole country)."""

    __tablename__ = "councils"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # national | regional | city | district
    region: Mapped[str] = mapped_column(String(200))
    kato: Mapped[str | None] = mapped_column(String(9), index=True)


class Cycle(Base):
    """An election cycle: the election day against which candidates' ages are measured, and the electoral system
    it is held under (an id of :data:`tandau.core.systems.SYSTEMS`; migration 0006 gives rows created before it
    ``kz-2021``, the all-list system every existing primary was run for)."""

    __tablename__ = "cycles"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    election_date: Mapped[date | None] = mapped_column(Date)
    system: Mapped[str] = mapped_column(String(32), default="kz-2021", server_default="kz-2021")


class Contest(Base):
    """One primary: a council of a cycle (or the national list), its counting rule and voting window."""

    __tablename__ = "contests"
    __table_args__ = (UniqueConstraint("cycle_id", "council_id", "district_id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id"), index=True)
    council_id: Mapped[str | None] = mapped_column(ForeignKey("councils.id"))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(200))
    kato: Mapped[str | None] = mapped_column(String(9))
    rule: Mapped[str] = mapped_column(String(32))
    ballot_form: Mapped[str] = mapped_column(String(16))  # approval | ranked
    seats: Mapped[int] = mapped_column(Integer)
    max_marks: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | open | closed | published
    tie_policy: Mapped[str] = mapped_column(String(32), default="refuse")
    # the single-member district of the council this primary selects a nominee for ("" for the council's list
    # contest or the national list; migration 0007); its voters are the members assigned to the district
    district_id: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Ballot secrecy at rest (migration 0003): the election key ballots are sealed to (None: a contest opened
    # before the upgrade, finishing under the plain scheme), whether a member may vote again (the last ballot
    # counts), the SHA-256 commitment to the tie-break seed made at opening, the seed sealed to the election
    # key until decryption, the seed revealed at decryption, when the ballots were decrypted, and candidates
    # excluded from the count after close (JSON list of {"candidate", "reason"}), shown on the bulletin.
    key_id: Mapped[str | None] = mapped_column(ForeignKey("election_keys.id"))
    revote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    seed_commitment: Mapped[str | None] = mapped_column(String(64))
    seed_box: Mapped[bytes | None] = mapped_column(LargeBinary)
    seed: Mapped[str | None] = mapped_column(String(64))
    decrypted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    excluded: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class ElectionKey(Base):
    """The public half of an election key made at a key ceremony (for one contest, or for every contest of a
    cycle). The private half exists only as ``threshold``-of-``len(holders)`` Shamir shares held by people; it
    is never stored. ``fingerprint``: the first 16 hex digits of the public key's SHA-256."""

    __tablename__ = "election_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    cycle_id: Mapped[str | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    contest_id: Mapped[str | None] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[int] = mapped_column(Integer)
    holders: Mapped[str] = mapped_column(Text)  # JSON list of holder names, share i+1 belongs to holders[i]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# the on-roll time of rows that predate migration 0005, or that were written without it: "always"
ON_ROLL_SINCE_ALWAYS = datetime(1970, 1, 1, tzinfo=UTC)


class Member(Base):
    """A party member on the roll; ``kato`` is the territory of residence.

    ``on_roll_since`` is when the entry was added (server time, set by the roll import): a member votes in a
    contest only if on the roll when it opens (``on_roll_since <= contests.opens_at``,
    :func:`tandau.services.primaries.roll.eligible_at_opening`). Rows from before migration 0005, and rows
    inserted without a value, carry 1970-01-01 UTC.
    """

    __tablename__ = "members"
    # turnout: a territory's members from the index alone (migration 0020)
    __table_args__ = (Index("ix_members_kato_status_since", "kato", "status", "on_roll_since", "id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    kato: Mapped[str] = mapped_column(String(9), index=True)
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended | expelled
    on_roll_since: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=text("'1970-01-01 00:00:00'"))


class District(Base):
    """A single-member district of a council (derived from the territory data or loaded from an official
    table: :mod:`tandau.core.systems.districts`); ``kato`` is the unit it lies in."""

    __tablename__ = "districts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    council_id: Mapped[str] = mapped_column(ForeignKey("councils.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), default="")
    kato: Mapped[str] = mapped_column(String(9), default="")


class MemberDistrict(Base):
    """The single-member district a member votes in, for one council (one per member and council): from the
    roll's district column or a mapping of territorial units to districts (migration 0007)."""

    __tablename__ = "member_districts"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    council_id: Mapped[str] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("districts.id"), index=True)


class Credential(Base):
    """An argon2id password hash for a subject (a member id or a staff login)."""

    __tablename__ = "credentials"
    subject_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))


class OneTimeCode(Base):
    """A one-time sign-in code, stored only as an argon2id hash."""

    __tablename__ = "one_time_codes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[int] = mapped_column(Integer, default=0)


class RoleGrant(Base):
    """A role of a subject; secretaries carry the territory (KATO) their authority covers."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("subject_id", "role", "kato"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    kato: Mapped[str | None] = mapped_column(String(9))


class Nomination(Base):
    """A member nominated in a contest, by a primary organisation or by themself."""

    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    nominated_by: Mapped[str] = mapped_column(String(16))  # self | organisation
    organisation: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="registered")  # registered | withdrawn | disqualified
    reason: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)  # nomination order in the contest (tie-break "nomination-order")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Participation(Base):
    """Who has voted in which contest (the day at most): the primary key makes a second ballot impossible."""

    __tablename__ = "participation"
    # who voted in a contest (turnout, counting): the primary key leads with the member (migration 0020)
    __table_args__ = (Index("ix_participation_contest_id", "contest_id", "member_id"),)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    voted_on: Mapped[date] = mapped_column(Date)
    # ballots cast (more than 1 only with re-voting)
    casts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class SealedBallot(Base):
    """A ballot sealed on arrival to the contest's election key (an X25519 sealed box of the tracking code and
    the selection): the inner envelope. The outer envelope names the member and the cast number, so that
    re-voting keeps the last; at decryption the identities are stripped, the ballots shuffled and opened into
    fresh :class:`Ballot` rows, and these rows deleted. ``idem_hash``/``idem_box``: the retried submission's
    idempotency key (hashed) and the tracking code sealed under that key, so a retry gets its receipt back."""

    __tablename__ = "sealed_ballots"
    __table_args__ = (UniqueConstraint("contest_id", "member_id", "idem_hash"),)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cast_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    box: Mapped[bytes] = mapped_column(LargeBinary)
    idem_hash: Mapped[str | None] = mapped_column(String(64))
    idem_box: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReplacedTracker(Base):
    """The tracking code of a ballot that a later ballot of the same member replaced (re-voting)."""

    __tablename__ = "replaced_trackers"
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    tracker: Mapped[str] = mapped_column(String(19), primary_key=True)


class Ballot(Base):
    """An anonymous ballot: random id, contest, tracking code and the selection (JSON list of candidate ids)."""

    __tablename__ = "ballots"
    __table_args__ = ({"sqlite_with_rowid": False},)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, autoincrement=False)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    tracker: Mapped[str] = mapped_column(String(19), unique=True)
    selection: Mapped[str] = mapped_column(Text)


class Publication(Base):
    """The published result of a contest and the SHA-256 of its bulletin-board file."""

    __tablename__ = "publications"
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bulletin_sha256: Mapped[str] = mapped_column(String(64))
    result_json: Mapped[str] = mapped_column(Text)


audit_log = Table(
    "audit_log",
    Base.metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One formed list per contest in the staff workspace (tandau.services.workspace_store): the request it was
# formed from (rules, length, pins, exclusions, votes) and the result as JSON, so the national overview reads
# every council's compliance without re-forming every list. Migration 0002.
workspace_lists = Table(
    "workspace_lists",
    Base.metadata,
    Column("contest_id", String(64), primary_key=True),
    Column("rules", String(200), nullable=False),
    Column("length", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("pins", Text, nullable=False),
    Column("exclude", Text, nullable=False),
    Column("votes", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

# The leadership's choices for a council's single-member nominees in a cycle (tandau.services.council_nominees):
# pins (district -> member) and exclusions as JSON, and the rules. The nominees themselves are recomputed from
# the published district primaries on every read (milliseconds), so nothing derived is stored. Migration 0008.
workspace_nominees = Table(
    "workspace_nominees",
    Base.metadata,
    Column("cycle_id", String(64), primary_key=True),
    Column("council_id", String(64), primary_key=True),
    Column("rules", String(200), nullable=False),
    Column("pins", Text, nullable=False),
    Column("exclude", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

SQLITE_AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRES_AUDIT_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def _attach_triggers(target: Any) -> None:
    for sql in SQLITE_AUDIT_TRIGGERS:
        event.listen(target, "after_create", DDL(sql).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
    for sql in POSTGRES_AUDIT_TRIGGERS:
        event.listen(target, "after_create", DDL(sql).execute_if(dialect="postgresql"))  # type: ignore[no-untyped-call]


_attach_triggers(audit_log)
