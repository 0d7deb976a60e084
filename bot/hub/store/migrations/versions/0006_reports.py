"""Reports and the learning loop: NLU reading per message, handoff outcome, reviewed examples, report indexes

Revision ID: 0006
Revises: 0004

Backfill: a finished handoff's outcome is "closed" when its conversation was closed in the same
transaction (closed_at equal to finished_at), else "bot" (handed back). Messages annotated while an
agent talked keep their intent; top_intent is copied from it where it was understood. Readings of
earlier bot turns come from Rasa's tracker store: `python -m bot backfill-nlu`.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None

OUTCOMES = "outcome IN ('bot', 'closed')"
TYPED = "sender = 'customer' AND payload IS NULL"  # customer messages the NLU had to read (no button taps)
# Report indexes on messages, per database. SQLite groups by the stored timestamp's hour prefix
# (bot/hub/reports/sql.py) and only avoids sorting a period's million rows when an index
# has that expression first; PostgreSQL aggregates by hashing and needs plain ranges.
SQLITE_INDEXES = {
    "ix_messages_hour": "ON messages (substr(created_at, 1, 13), sender, conversation_id)",
    "ix_messages_typed_hour": "ON messages (substr(created_at, 1, 13), intent, confidence, conversation_id, created_at) "
                              f"WHERE {TYPED}",
}
POSTGRESQL_INDEXES = {
    "ix_messages_created": "ON messages (created_at, sender, conversation_id)",
    "ix_messages_typed": f"ON messages (created_at, intent, confidence, conversation_id) WHERE {TYPED}",
}


def message_indexes() -> dict:
    return SQLITE_INDEXES if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_INDEXES


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("top_intent", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))
    for name, definition in message_indexes().items():
        op.execute(f"CREATE INDEX {name} {definition}")
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=10), nullable=True))
        batch.create_check_constraint("ck_handoffs_outcome", OUTCOMES)
        batch.create_index("ix_handoffs_conversation", ["conversation_id"])
        batch.create_index("ix_handoffs_queued", ["queued_at"])
        batch.create_index("ix_handoffs_claimed", ["claimed_at"])
    op.create_index("ix_conversations_created", "conversations", ["created_at"])
    op.create_table(
        "nlu_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_seq", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=80), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["message_seq"], ["messages.seq"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_seq"),
    )
    op.create_index("ix_nlu_reviews_intent", "nlu_reviews", ["intent"])
    op.execute("UPDATE handoffs SET outcome = CASE WHEN EXISTS (SELECT 1 FROM conversations c "
               "WHERE c.id = handoffs.conversation_id AND c.closed_at = handoffs.finished_at) "
               "THEN 'closed' ELSE 'bot' END WHERE state = 'done' AND finished_at IS NOT NULL")
    op.execute("UPDATE messages SET top_intent = intent WHERE intent IS NOT NULL AND intent <> 'nlu_fallback'")


def downgrade() -> None:
    op.drop_index("ix_nlu_reviews_intent", table_name="nlu_reviews")
    op.drop_table("nlu_reviews")
    op.drop_index("ix_conversations_created", table_name="conversations")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_claimed")
        batch.drop_index("ix_handoffs_queued")
        batch.drop_index("ix_handoffs_conversation")
        batch.drop_constraint("ck_handoffs_outcome", type_="check")
        batch.drop_column("outcome")
    for name in message_indexes():
        op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("confidence")
        batch.drop_column("top_intent")
