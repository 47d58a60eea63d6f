"""Territorial development programmes (issue 13, item 2): their imports and their indicators' values, each value
versioned. The tables are in :mod:`tandau.store.development_models`.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "development_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_development_imports"),
    )
    op.create_table(
        "development_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("territory", sa.String(9), nullable=False),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(60), nullable=False),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["development_imports.id"],
                                name="fk_development_values_import_id_development_imports"),
        sa.ForeignKeyConstraint(["superseded_by"], ["development_imports.id"],
                                name="fk_development_values_superseded_by_development_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_development_values"),
        sa.UniqueConstraint("territory", "programme", "indicator", "year", "kind", "version",
                            name="uq_development_values_territory"),
    )
    for column in ("import_id", "territory", "superseded_by"):
        op.create_index(f"ix_development_values_{column}", "development_values", [column])


def downgrade() -> None:
    for column in ("superseded_by", "territory", "import_id"):
        op.drop_index(f"ix_development_values_{column}", table_name="development_values")
    op.drop_table("development_values")
    op.drop_table("development_imports")
