"""Ballot secrecy at rest: election keys, sealed ballots, re-voting, seed commitments (issue 10).

Revision ID: 0003
Revises: 0002

Contests that are open when this revision runs keep ``key_id`` NULL and finish under the plain scheme
(docs/security.md); every contest opened afterwards is sealed to an election key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "election_keys",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("cycle_id", sa.String(64), nullable=True),
        sa.Column("contest_id", sa.String(64), nullable=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("holders", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_election_keys_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_keys")),
    )
    op.create_index(op.f("ix_election_keys_cycle_id"), "election_keys", ["cycle_id"])
    with op.batch_alter_table("contests") as batch:
        batch.add_column(sa.Column("key_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("revote", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("seed_commitment", sa.String(64), nullable=True))
        batch.add_column(sa.Column("seed_box", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("seed", sa.String(64), nullable=True))
        batch.add_column(sa.Column("decrypted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("excluded", sa.Text(), server_default="[]", nullable=False))
        batch.create_foreign_key(op.f("fk_contests_key_id_election_keys"), "election_keys", ["key_id"], ["id"])
    with op.batch_alter_table("participation") as batch:
        batch.add_column(sa.Column("casts", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "sealed_ballots",
        sa.Column("contest_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("cast_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("box", sa.LargeBinary(), nullable=False),
        sa.Column("idem_hash", sa.String(64), nullable=True),
        sa.Column("idem_box", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"], name=op.f("fk_sealed_ballots_contest_id_contests")),
        sa.PrimaryKeyConstraint("contest_id", "member_id", "cast_no", name=op.f("pk_sealed_ballots")),
        sa.UniqueConstraint("contest_id", "member_id", "idem_hash", name="uq_sealed_ballots_contest_id"),
    )
    op.create_table(
        "replaced_trackers",
        sa.Column("contest_id", sa.String(64), nullable=False),
        sa.Column("tracker", sa.String(19), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"],
                                name=op.f("fk_replaced_trackers_contest_id_contests")),
        sa.PrimaryKeyConstraint("contest_id", "tracker", name=op.f("pk_replaced_trackers")),
    )


def downgrade() -> None:
    op.drop_table("replaced_trackers")
    op.drop_table("sealed_ballots")
    with op.batch_alter_table("participation") as batch:
        batch.drop_column("casts")
    with op.batch_alter_table("contests") as batch:
        batch.drop_constraint(op.f("fk_contests_key_id_election_keys"), type_="foreignkey")
        for name in ("excluded", "decrypted_at", "seed", "seed_box", "seed_commitment", "revote", "key_id"):
            batch.drop_column(name)
    op.drop_index(op.f("ix_election_keys_cycle_id"), table_name="election_keys")
    op.drop_table("election_keys")
