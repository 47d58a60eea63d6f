"""Indexes for the national run (issue 15, item 1): who voted in a contest, and who lives in a territory.

``participation``'s primary key leads with the member, so turnout by territory (the staff results page) and the
counts by contest read every participation row of the country — 3.2 million at the national run's size. An index
on (contest, member) reads one contest's voters. Turnout counts a territory's active members on the roll when
voting opened, and joins the voters to where they live: an index on members (kato, status, on_roll_since, id)
answers both from the index alone (800,000 members: the region's count 157 ms -> 22 ms, its voters 328 -> 150 ms
under load; EXPLAIN ANALYZE).

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
    op.create_index("ix_members_kato_status_since", "members", ["kato", "status", "on_roll_since", "id"])


def downgrade() -> None:
    op.drop_index("ix_members_kato_status_since", table_name="members")
    op.drop_index("ix_participation_contest_id", table_name="participation")
