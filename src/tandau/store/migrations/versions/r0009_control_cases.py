"""Control cases (issue 12, scope 6): the cases, their steps and their evidence files (bytes in the database).

The tables are in :mod:`tandau.store.control_models`.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_cases",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kato", sa.String(9), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("flag_kind", sa.String(16), nullable=True),
        sa.Column("flag_code", sa.String(16), nullable=True),
        sa.Column("flag_ref", sa.String(200), nullable=True),
        sa.Column("owner_kind", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("opened_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_cases"),
    )
    op.create_index("ix_control_cases_kato", "control_cases", ["kato"])
    op.create_index("ix_control_cases_status", "control_cases", ["status"])
    op.create_table(
        "control_case_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("step", sa.String(24), nullable=False),
        sa.Column("from_status", sa.String(24), nullable=True),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["control_cases.id"],
                                name="fk_control_case_steps_case_id_control_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_control_case_steps"),
    )
    op.create_index("ix_control_case_steps_case_id", "control_case_steps", ["case_id"])
    op.create_table(
        "control_case_files",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["control_cases.id"],
                                name="fk_control_case_files_case_id_control_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_control_case_files"),
    )
    op.create_index("ix_control_case_files_case_id", "control_case_files", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_control_case_files_case_id", table_name="control_case_files")
    op.drop_table("control_case_files")
    op.drop_index("ix_control_case_steps_case_id", table_name="control_case_steps")
    op.drop_table("control_case_steps")
    op.drop_index("ix_control_cases_status", table_name="control_cases")
    op.drop_index("ix_control_cases_kato", table_name="control_cases")
    op.drop_table("control_cases")
