"""Frozen rolls: when a member joined the roll (issue 10).

``members.on_roll_since`` (UTC): a member votes in a contest only if on the roll when it opens. Members already
on the roll get 1970-01-01 (on the roll since always), so nobody who could vote before the upgrade loses it.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("on_roll_since", sa.DateTime(), nullable=False, server_default=sa.text("'1970-01-01 00:00:00'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("on_roll_since")
