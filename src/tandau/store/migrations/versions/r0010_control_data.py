"""Control data (issue 12, items 1, 2 and 5): imports, target versions, report rows, OCDS releases, link rules
and the links of contracting processes to programme items.

The tables are in :mod:`tandau.store.control_models`.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_SERIES = ("programme", "indicator", "region")


def _series_columns() -> list[sa.Column[str]]:
    return [sa.Column("programme", sa.String(100), nullable=False), sa.Column("indicator", sa.String(100),
                                                                                nullable=False),
            sa.Column("region", sa.String(9), nullable=False)]


def _import_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["import_id"], ["control_imports.id"])


def upgrade() -> None:
    op.create_table(
        "control_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "control_targets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        *_series_columns(),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("baseline", sa.String(40), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("budget_kzt", sa.String(40), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("weight", sa.String(40), nullable=True),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("revised_at", sa.Date(), nullable=True),
        _import_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_control_targets_series", "control_targets", list(_SERIES))
    op.create_table(
        "control_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        *_series_columns(),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("actual", sa.String(40), nullable=False),
        sa.Column("allocated_kzt", sa.String(40), nullable=True),
        sa.Column("adjusted_kzt", sa.String(40), nullable=True),
        sa.Column("contracted_kzt", sa.String(40), nullable=True),
        sa.Column("paid_kzt", sa.String(40), nullable=True),
        sa.Column("reported_at", sa.Date(), nullable=True),
        _import_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_control_reports_series", "control_reports", list(_SERIES))
    op.create_table(
        "control_releases",
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.String(200), nullable=True),
        sa.Column("region", sa.String(9), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        _import_fk(),
        sa.PrimaryKeyConstraint("ocid"),
    )
    op.create_index("ix_control_releases_buyer_id", "control_releases", ["buyer_id"])
    op.create_index("ix_control_releases_region", "control_releases", ["region"])
    op.create_table(
        "control_link_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("region", sa.String(9), nullable=False),
        sa.Column("buyer_id", sa.String(200), nullable=False),
        sa.Column("classification", sa.String(100), nullable=False),
        _import_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "control_links",
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("region", sa.String(9), nullable=False),
        sa.Column("buyer_id", sa.String(200), nullable=False),
        sa.Column("buyer_name", sa.String(300), nullable=False),
        sa.Column("amount_kzt", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("ocid"),
    )
    op.create_index("ix_control_links_region", "control_links", ["region"])


def downgrade() -> None:
    op.drop_index("ix_control_links_region", table_name="control_links")
    op.drop_table("control_links")
    op.drop_table("control_link_rules")
    op.drop_index("ix_control_releases_region", table_name="control_releases")
    op.drop_index("ix_control_releases_buyer_id", table_name="control_releases")
    op.drop_table("control_releases")
    op.drop_index("ix_control_reports_series", table_name="control_reports")
    op.drop_table("control_reports")
    op.drop_index("ix_control_targets_series", table_name="control_targets")
    op.drop_table("control_targets")
    op.drop_table("control_imports")
