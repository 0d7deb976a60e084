"""Claims that ended in a team transfer: handoff_transfers

Revision ID: 0013
Revises: 0012

A transfer to another team puts the handoff back in the queue and the next claim overwrites
claimed_by/claimed_at; the earlier claim is kept here so the agents' report counts it for the agent
who made it. Transfers before this revision were not recorded and stay lost.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("to_team", sa.String(length=40), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("transferred_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handoff_transfers_handoff", "handoff_transfers", ["handoff_id"])
    op.create_index("ix_handoff_transfers_claimed", "handoff_transfers", ["claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_handoff_transfers_claimed", table_name="handoff_transfers")
    op.drop_index("ix_handoff_transfers_handoff", table_name="handoff_transfers")
    op.drop_table("handoff_transfers")
