"""Indexes for the national run (issue 15, item 1): who voted in a contest, by contest.

``participation``'s primary key leads with the member, so turnout by territory (the staff results page) and the
counts by contest read every participation row of the country — 3.2 million at the national run's size. An index
on (contest, member) reads one contest's voters.

Revision ID: 0020
Revises: 0018
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_participation_contest_id", "participation", ["contest_id", "member_id"])


def downgrade() -> None:
    op.drop_index("ix_participation_contest_id", table_name="participation")
