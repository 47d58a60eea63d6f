"""The staff workspace's single-member nominees: the leadership's pins and exclusions per cycle and council.

Only the choices are stored; the nominees are recomputed from the published district primaries on every read
(:mod:`tandau.services.council_nominees`).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_nominees",
        sa.Column("cycle_id", sa.String(64), nullable=False),
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("rules", sa.String(200), nullable=False),
        sa.Column("pins", sa.Text(), nullable=False),
        sa.Column("exclude", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("cycle_id", "council_id", name=op.f("pk_workspace_nominees")),
    )


def downgrade() -> None:
    op.drop_table("workspace_nominees")
