"""Initial schema of the primaries: cycles, councils, contests, members, nominations, ballots, audit log.

Revision ID: 0001
Revises: (none)

The audit-log triggers are copied here as literals: a revision is history and must not change when
``tandau.store.models`` does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def _triggers() -> tuple[str, ...]:
    name = op.get_bind().dialect.name
    return SQLITE_TRIGGERS if name == "sqlite" else POSTGRES_TRIGGERS if name == "postgresql" else ()


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "councils",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("kato", sa.String(length=9), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councils")),
    )
    op.create_index(op.f("ix_councils_kato"), "councils", ["kato"], unique=False)
    op.create_table(
        "credentials",
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_credentials")),
    )
    op.create_table(
        "cycles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("election_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("kato", sa.String(length=9), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_index(op.f("ix_members_kato"), "members", ["kato"], unique=False)
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_codes")),
    )
    op.create_index(op.f("ix_one_time_codes_subject_id"), "one_time_codes", ["subject_id"], unique=False)
    op.create_table(
        "role_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kato", sa.String(length=9), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grants")),
        sa.UniqueConstraint("subject_id", "role", "kato", name=op.f("uq_role_grants_subject_id")),
    )
    op.create_index(op.f("ix_role_grants_subject_id"), "role_grants", ["subject_id"], unique=False)
    op.create_table(
        "contests",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("cycle_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("kato", sa.String(length=9), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("ballot_form", sa.String(length=16), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("max_marks", sa.Integer(), nullable=True),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tie_policy", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_contests_council_id_councils")),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_contests_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contests")),
        sa.UniqueConstraint("cycle_id", "council_id", name=op.f("uq_contests_cycle_id")),
    )
    op.create_index(op.f("ix_contests_cycle_id"), "contests", ["cycle_id"], unique=False)
    op.create_table(
        "ballots",
        sa.Column("id", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("contest_id", sa.String(length=64), nullable=False),
        sa.Column("tracker", sa.String(length=19), nullable=False),
        sa.Column("selection", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"], name=op.f("fk_ballots_contest_id_contests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("tracker", name=op.f("uq_ballots_tracker")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_ballots_contest_id"), "ballots", ["contest_id"], unique=False)
    op.create_table(
        "nominations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contest_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("nominated_by", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("tags", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"], name=op.f("fk_nominations_contest_id_contests")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_nominations_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nominations")),
        sa.UniqueConstraint("contest_id", "member_id", name=op.f("uq_nominations_contest_id")),
    )
    op.create_index(op.f("ix_nominations_contest_id"), "nominations", ["contest_id"], unique=False)
    op.create_table(
        "participation",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("contest_id", sa.String(length=64), nullable=False),
        sa.Column("voted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"], name=op.f("fk_participation_contest_id_contests")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_participation_member_id_members")),
        sa.PrimaryKeyConstraint("member_id", "contest_id", name=op.f("pk_participation")),
    )
    op.create_table(
        "publications",
        sa.Column("contest_id", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("bulletin_sha256", sa.String(length=64), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"], name=op.f("fk_publications_contest_id_contests")),
        sa.PrimaryKeyConstraint("contest_id", name=op.f("pk_publications")),
    )
    for sql in _triggers():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")
    op.drop_table("publications")
    op.drop_table("participation")
    op.drop_index(op.f("ix_nominations_contest_id"), table_name="nominations")
    op.drop_table("nominations")
    op.drop_index(op.f("ix_ballots_contest_id"), table_name="ballots")
    op.drop_table("ballots")
    op.drop_index(op.f("ix_contests_cycle_id"), table_name="contests")
    op.drop_table("contests")
    op.drop_index(op.f("ix_role_grants_subject_id"), table_name="role_grants")
    op.drop_table("role_grants")
    op.drop_index(op.f("ix_one_time_codes_subject_id"), table_name="one_time_codes")
    op.drop_table("one_time_codes")
    op.drop_index(op.f("ix_members_kato"), table_name="members")
    op.drop_table("members")
    op.drop_table("cycles")
    op.drop_table("credentials")
    op.drop_index(op.f("ix_councils_kato"), table_name="councils")
    op.drop_table("councils")
    op.drop_table("audit_log")
