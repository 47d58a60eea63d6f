"""Files where every app process reads them (issue 15, item 3): the ``files`` table
(:mod:`tandau.store.files_models`), and the evidence of control cases moved into it.

Each evidence file's bytes move from ``control_case_files.content`` to a ``files`` row keyed
``evidence/<file id>`` (owner ``case``/<case id>), then the column is dropped. Published bulletin boards written to
``TANDAU_BULLETIN_DIR`` before this revision are not read by a migration (they are on some host's disk, not in
the database): ``tandau files import-bulletins DIR`` stores them once; until then a published bulletin missing
from the store is rebuilt from the database on first request, checked against its published SHA-256, and
stored (docs/deployment.md).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tandau.store.models import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("owner_kind", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_files"),
    )
    op.create_index("ix_files_owner", "files", ["owner_kind", "owner_id"])
    op.execute(
        "INSERT INTO files (key, content_type, size, sha256, backend, content, created_at, owner_kind, owner_id) "
        "SELECT 'evidence/' || id, media_type, size, sha256, 'database', content, uploaded_at, 'case', case_id "
        "FROM control_case_files"
    )
    with op.batch_alter_table("control_case_files") as batch:
        batch.drop_column("content")


def downgrade() -> None:
    with op.batch_alter_table("control_case_files") as batch:
        batch.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
    # evidence kept in an S3 bucket cannot come back by SQL: those rows keep an empty content
    op.execute(
        "UPDATE control_case_files SET content = COALESCE((SELECT f.content FROM files f "
        "WHERE f.key = 'evidence/' || control_case_files.id), X'')" if op.get_bind().dialect.name == "sqlite" else
        "UPDATE control_case_files SET content = COALESCE((SELECT f.content FROM files f "
        "WHERE f.key = 'evidence/' || control_case_files.id), ''::bytea)"
    )
    with op.batch_alter_table("control_case_files") as batch:
        batch.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_index("ix_files_owner", table_name="files")
    op.drop_table("files")
