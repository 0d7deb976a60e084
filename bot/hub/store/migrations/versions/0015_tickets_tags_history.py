"""Ticket handling, tags and merged conversations (issue 27.7, 27.9, 27.12)

Revision ID: 0015
Revises: 0014

tickets: an assignee, when the status last changed, and two more statuses (waiting for the
customer, reopened); existing requests keep theirs (open or done).
tags, conversation_tags, ticket_tags: labels on conversations and requests (agent_id NULL: the bot).
conversation_merges: two conversations of one customer shown as one; both transcripts stay.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

STATUSES_BEFORE = "status IN ('open', 'done')"
STATUSES_AFTER = "status IN ('open', 'waiting', 'done', 'reopened')"


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status_changed_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key("fk_tickets_assignee", "agents", ["assignee_id"], ["id"])
        batch.drop_constraint("ck_tickets_status", type_="check")
        batch.create_check_constraint("ck_tickets_status", STATUSES_AFTER)
        batch.create_index("ix_tickets_status_created", ["status", "created_at"])
        batch.create_index("ix_tickets_conversation", ["conversation_id"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "conversation_tags",
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("conversation_id", "tag_id"),
    )
    op.create_index("ix_conversation_tags_tag", "conversation_tags", ["tag_id"])
    op.create_table(
        "ticket_tags",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("ticket_id", "tag_id"),
    )
    op.create_index("ix_ticket_tags_tag", "ticket_tags", ["tag_id"])
    op.create_table(
        "conversation_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("into_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["into_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    op.create_index("ix_conversation_merges_into", "conversation_merges", ["into_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_merges_into", table_name="conversation_merges")
    op.drop_table("conversation_merges")
    op.drop_index("ix_ticket_tags_tag", table_name="ticket_tags")
    op.drop_table("ticket_tags")
    op.drop_index("ix_conversation_tags_tag", table_name="conversation_tags")
    op.drop_table("conversation_tags")
    op.drop_table("tags")
    # statuses the old code does not know become the nearest it does
    op.execute("UPDATE tickets SET status = 'open' WHERE status IN ('waiting', 'reopened')")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_conversation")
        batch.drop_index("ix_tickets_status_created")
        batch.drop_constraint("ck_tickets_status", type_="check")
        batch.create_check_constraint("ck_tickets_status", STATUSES_BEFORE)
        batch.drop_constraint("fk_tickets_assignee", type_="foreignkey")
        batch.drop_column("status_changed_at")
        batch.drop_column("assignee_id")
