"""Public reception appeals (issue 14, item 3): appeals, their steps and the per-address counters of the public
form. The tables are in :mod:`tandau.store.appeals_models`.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("receipt_hash", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("kato", sa.String(9), nullable=False),
        sa.Column("theme", sa.String(32), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=True),
        sa.Column("applicant_contact", sa.String(200), nullable=True),
        sa.Column("applicant_hash", sa.String(64), nullable=True),
        sa.Column("route_kind", sa.String(16), nullable=True),
        sa.Column("route_to", sa.String(200), nullable=True),
        sa.Column("handler", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.Column("repeat_of", sa.String(40), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appeals"),
        sa.UniqueConstraint("external_id", name="uq_appeals_external_id"),
        sa.UniqueConstraint("receipt_hash", name="uq_appeals_receipt_hash"),
    )
    for column in ("received_on", "kato", "theme", "applicant_hash", "handler", "repeat_of", "closed_at"):
        op.create_index(f"ix_appeals_{column}", "appeals", [column])
    op.create_index("ix_appeals_status_due", "appeals", ["status", "due_on"])
    op.create_table(
        "appeal_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("appeal_id", sa.String(40), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"], name="fk_appeal_steps_appeal_id_appeals"),
        sa.PrimaryKeyConstraint("id", name="pk_appeal_steps"),
    )
    op.create_index("ix_appeal_steps_appeal_id", "appeal_steps", ["appeal_id"])
    op.create_table(
        "appeal_rates",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_appeal_rates"),
    )


def downgrade() -> None:
    op.drop_table("appeal_rates")
    op.drop_index("ix_appeal_steps_appeal_id", table_name="appeal_steps")
    op.drop_table("appeal_steps")
    op.drop_index("ix_appeals_status_due", table_name="appeals")
    for column in ("closed_at", "repeat_of", "handler", "applicant_hash", "theme", "kato", "received_on"):
        op.drop_index(f"ix_appeals_{column}", table_name="appeals")
    op.drop_table("appeals")
