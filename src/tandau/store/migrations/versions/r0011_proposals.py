"""Citizens' proposals (issue 13, item 6): proposals, their moderation and linking acts, their links to programme
commitments, and the per-address counters of the public form.

The tables are in :mod:`tandau.store.proposals_models`.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("receipt_hash", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kato", sa.String(9), nullable=False),
        sa.Column("age_group", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("theme", sa.String(32), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("theme_by_person", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("hidden_reason", sa.String(16), nullable=True),
        sa.Column("merged_into", sa.String(40), nullable=True),
        sa.Column("not_taken_reason", sa.Text(), nullable=True),
        sa.Column("duplicate_group", sa.String(40), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
        sa.UniqueConstraint("external_id", name="uq_proposals_external_id"),
        sa.UniqueConstraint("receipt_hash", name="uq_proposals_receipt_hash"),
    )
    op.create_index("ix_proposals_kato", "proposals", ["kato"])
    op.create_index("ix_proposals_theme", "proposals", ["theme"])
    op.create_index("ix_proposals_status", "proposals", ["status"])
    op.create_index("ix_proposals_duplicate_group", "proposals", ["duplicate_group"])
    op.create_table(
        "proposal_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.String(40), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name="fk_proposal_actions_proposal_id_proposals"),
        sa.PrimaryKeyConstraint("id", name="pk_proposal_actions"),
    )
    op.create_index("ix_proposal_actions_proposal_id", "proposal_actions", ["proposal_id"])
    op.create_table(
        "proposal_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.String(40), nullable=False),
        sa.Column("commitment_id", sa.String(100), nullable=False),
        sa.Column("linked_at", UTCDateTime(), nullable=False),
        sa.Column("linked_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name="fk_proposal_links_proposal_id_proposals"),
        sa.PrimaryKeyConstraint("id", name="pk_proposal_links"),
    )
    op.create_index("ix_proposal_links_proposal_id", "proposal_links", ["proposal_id"])
    op.create_index("ix_proposal_links_commitment_id", "proposal_links", ["commitment_id"])
    op.create_table(
        "proposal_rates",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_proposal_rates"),
    )


def downgrade() -> None:
    op.drop_table("proposal_rates")
    op.drop_index("ix_proposal_links_commitment_id", table_name="proposal_links")
    op.drop_index("ix_proposal_links_proposal_id", table_name="proposal_links")
    op.drop_table("proposal_links")
    op.drop_index("ix_proposal_actions_proposal_id", table_name="proposal_actions")
    op.drop_table("proposal_actions")
    op.drop_index("ix_proposals_duplicate_group", table_name="proposals")
    op.drop_index("ix_proposals_status", table_name="proposals")
    op.drop_index("ix_proposals_theme", table_name="proposals")
    op.drop_index("ix_proposals_kato", table_name="proposals")
    op.drop_table("proposals")
