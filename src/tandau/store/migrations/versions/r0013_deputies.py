"""Deputies and akims (issue 14): councils' imported results, the faction's mandates, seat decisions, akims and
deputies' activity records.

The tables are in :mod:`tandau.store.deputies_models`.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deputy_councils",
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("kato", sa.String(9), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("system", sa.String(32), nullable=False),
        sa.Column("party", sa.String(200), nullable=False),
        sa.Column("election_day", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("list_seats", sa.Integer(), nullable=False),
        sa.Column("party_list_seats", sa.Integer(), nullable=False),
        sa.Column("mandate_rule", sa.String(32), nullable=False),
        sa.Column("votes", sa.Text(), nullable=False),
        sa.Column("other_valid_votes", sa.Integer(), nullable=False),
        sa.Column("party_list", sa.Text(), nullable=False),
        sa.Column("list_source", sa.String(16), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("council_id", name="pk_deputy_councils"),
    )
    op.create_index("ix_deputy_councils_kato", "deputy_councils", ["kato"])
    op.create_table(
        "deputies",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("kato", sa.String(9), nullable=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sex", sa.String(1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("mandate", sa.String(16), nullable=False),
        sa.Column("district_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("vacated_on", sa.Date(), nullable=True),
        sa.Column("vacated_reason", sa.Text(), nullable=True),
        sa.Column("succeeds", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["deputy_councils.council_id"],
                                name="fk_deputies_council_id_deputy_councils"),
        sa.PrimaryKeyConstraint("id", name="pk_deputies"),
    )
    for column in ("council_id", "kato", "status"):
        op.create_index(f"ix_deputies_{column}", "deputies", [column])
    op.create_table(
        "seat_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("deputy_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seat_decisions"),
    )
    op.create_index("ix_seat_decisions_council_id", "seat_decisions", ["council_id"])
    op.create_index("ix_seat_decisions_deputy_id", "seat_decisions", ["deputy_id"])
    op.create_table(
        "akims",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kato", sa.String(9), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("appointed_at", sa.Date(), nullable=False),
        sa.Column("left_at", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_akims"),
    )
    op.create_index("ix_akims_kato", "akims", ["kato"])
    op.create_table(
        "deputy_activity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("deputy_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("choice", sa.String(16), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["deputy_id"], ["deputies.id"], name="fk_deputy_activity_deputy_id_deputies"),
        sa.PrimaryKeyConstraint("id", name="pk_deputy_activity"),
    )
    op.create_index("ix_deputy_activity_deputy_id", "deputy_activity", ["deputy_id"])


def downgrade() -> None:
    op.drop_index("ix_deputy_activity_deputy_id", table_name="deputy_activity")
    op.drop_table("deputy_activity")
    op.drop_index("ix_akims_kato", table_name="akims")
    op.drop_table("akims")
    op.drop_index("ix_seat_decisions_deputy_id", table_name="seat_decisions")
    op.drop_index("ix_seat_decisions_council_id", table_name="seat_decisions")
    op.drop_table("seat_decisions")
    for column in ("status", "kato", "council_id"):
        op.drop_index(f"ix_deputies_{column}", table_name="deputies")
    op.drop_table("deputies")
    op.drop_index("ix_deputy_councils_kato", table_name="deputy_councils")
    op.drop_table("deputy_councils")
