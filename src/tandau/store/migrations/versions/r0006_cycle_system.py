"""The electoral system of a cycle (issue 11): ``cycles.system``, an id of ``tandau.core.systems``.

Existing cycles get ``kz-2021``: every primary run so far is a list contest per council, as under the all-list
system of January 2021 (``kz-2023``, with single-member districts, is chosen explicitly: ``--system kz-2023``).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cycles") as batch:
        batch.add_column(sa.Column("system", sa.String(32), nullable=False, server_default="kz-2021"))


def downgrade() -> None:
    with op.batch_alter_table("cycles") as batch:
        batch.drop_column("system")
