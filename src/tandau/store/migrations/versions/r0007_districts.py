"""Primaries per single-member district (issue 11): districts, members' districts, a contest's district.

``contests.district_id`` is ``""`` for a council's list contest (and the national list), so the uniqueness of
(cycle, council, district) holds on every backend (SQL treats NULLs as distinct).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "districts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kato", sa.String(9), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_districts_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_districts")),
    )
    op.create_index(op.f("ix_districts_council_id"), "districts", ["council_id"])
    op.create_table(
        "member_districts",
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("council_id", sa.String(64), nullable=False),
        sa.Column("district_id", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_member_districts_member_id_members")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"],
                                name=op.f("fk_member_districts_council_id_councils")),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_member_districts_district_id_districts")),
        sa.PrimaryKeyConstraint("member_id", "council_id", name=op.f("pk_member_districts")),
    )
    op.create_index(op.f("ix_member_districts_district_id"), "member_districts", ["district_id"])
    with op.batch_alter_table("contests") as batch:
        batch.add_column(sa.Column("district_id", sa.String(32), nullable=False, server_default=""))
        batch.drop_constraint("uq_contests_cycle_id", type_="unique")
        batch.create_unique_constraint("uq_contests_cycle_id", ["cycle_id", "council_id", "district_id"])


def downgrade() -> None:
    with op.batch_alter_table("contests") as batch:
        batch.drop_constraint("uq_contests_cycle_id", type_="unique")
        batch.create_unique_constraint("uq_contests_cycle_id", ["cycle_id", "council_id"])
        batch.drop_column("district_id")
    op.drop_index(op.f("ix_member_districts_district_id"), table_name="member_districts")
    op.drop_table("member_districts")
    op.drop_index(op.f("ix_districts_council_id"), table_name="districts")
    op.drop_table("districts")
