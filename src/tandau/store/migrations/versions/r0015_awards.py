"""The party's awards (issue 14, item 5): nominations, their review and status. The table is in
:mod:`tandau.store.awards_models`.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "award_nominations",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("member_name", sa.String(200), nullable=False),
        sa.Column("award", sa.String(40), nullable=False),
        sa.Column("branch_kato", sa.String(9), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("nominated_by", sa.String(64), nullable=False),
        sa.Column("nominated_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(64), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_award_nominations"),
    )
    op.create_index("ix_award_nominations_member_id", "award_nominations", ["member_id"])
    op.create_index("ix_award_nominations_branch_kato", "award_nominations", ["branch_kato"])
    op.create_index("ix_award_nominations_status", "award_nominations", ["status"])


def downgrade() -> None:
    op.drop_table("award_nominations")
