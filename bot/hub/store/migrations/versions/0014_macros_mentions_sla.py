"""Macros, mentions and SLA targets (issue 27.10, 27.11, 27.13)

Revision ID: 0014
Revises: 0013

macros: replies in Sie and du with tags and an action, personal or shared per team; the canned replies
of company.yml are imported as shared macros when the hub starts (bot/hub/macros/canned.py), once.
mentions: `@Name` in an internal note, the named agent's "Für mich" list.
sla_targets: an admin's first-response and resolution targets per team (over company.yml's `sla`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "macros",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_du", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=True),
        sa.Column("action_team", sa.String(length=40), nullable=True),
        sa.Column("owner_agent_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("source_key", sa.String(length=160), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "action IS NULL OR action IN ('close', 'transfer_team', 'handback')",
            name="ck_macros_action",
        ),
        sa.ForeignKeyConstraint(["owner_agent_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_macros_owner", "macros", ["owner_agent_id"])
    op.create_index("ix_macros_team", "macros", ["team"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("by_agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["by_agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("note_id", "agent_id", name="uq_mentions_note_agent"),
    )
    op.create_index("ix_mentions_agent_read", "mentions", ["agent_id", "read_at"])
    op.create_table(
        "sla_targets",
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("first_response_seconds", sa.Integer(), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=True),
        sa.Column("warn_percent", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["agents.id"]),
        sa.PrimaryKeyConstraint("team"),
    )


def downgrade() -> None:
    op.drop_table("sla_targets")
    op.drop_index("ix_mentions_agent_read", table_name="mentions")
    op.drop_table("mentions")
    op.drop_index("ix_macros_team", table_name="macros")
    op.drop_index("ix_macros_owner", table_name="macros")
    op.drop_table("macros")
