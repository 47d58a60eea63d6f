"""Election programmes (issue 13, items 1, 5 and 7): programmes, their versions, comments and workflow steps.

The tables are in :mod:`tandau.store.programme_models`.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.schema.SchemaItem) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("programme_id", sa.String(64), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=f"fk_{name}_programme_id_programmes"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_programme_id", name, ["programme_id"])


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("cycle_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("kato", sa.String(9), nullable=False),
        sa.Column("title_kk", sa.String(300), nullable=False),
        sa.Column("title_ru", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_programmes"),
        sa.UniqueConstraint("cycle_id", "owner", name="uq_programmes_cycle_id"),
    )
    op.create_index("ix_programmes_cycle_id", "programmes", ["cycle_id"])
    op.create_index("ix_programmes_kato", "programmes", ["kato"])
    op.create_index("ix_programmes_status", "programmes", ["status"])
    _child("programme_versions",
           sa.Column("number", sa.Integer(), nullable=False),
           sa.Column("commitments", sa.Text(), nullable=False),
           sa.Column("findings", sa.Text(), nullable=False),
           sa.Column("errors", sa.Integer(), nullable=False),
           sa.Column("notices", sa.Integer(), nullable=False),
           sa.Column("note", sa.Text(), nullable=False),
           sa.Column("author", sa.String(64), nullable=False),
           sa.Column("created_at", UTCDateTime(), nullable=False),
           sa.UniqueConstraint("programme_id", "number", name="uq_programme_versions_programme_id"))
    _child("programme_comments",
           sa.Column("version", sa.Integer(), nullable=False),
           sa.Column("commitment", sa.String(64), nullable=True),
           sa.Column("body", sa.Text(), nullable=False),
           sa.Column("author", sa.String(64), nullable=False),
           sa.Column("created_at", UTCDateTime(), nullable=False))
    _child("programme_steps",
           sa.Column("step", sa.String(16), nullable=False),
           sa.Column("from_status", sa.String(16), nullable=True),
           sa.Column("to_status", sa.String(16), nullable=False),
           sa.Column("version", sa.Integer(), nullable=False),
           sa.Column("reason", sa.Text(), nullable=False),
           sa.Column("actor", sa.String(64), nullable=False),
           sa.Column("at", UTCDateTime(), nullable=False))


def downgrade() -> None:
    for name in ("programme_steps", "programme_comments", "programme_versions"):
        op.drop_index(f"ix_{name}_programme_id", table_name=name)
        op.drop_table(name)
    for column in ("status", "kato", "cycle_id"):
        op.drop_index(f"ix_programmes_{column}", table_name="programmes")
    op.drop_table("programmes")
