"""CHECK constraints on every state column (values from kundendialog.core.states)

Existing rows keep their values: a value outside the list (there should be none)
is mapped to the closest meaning first, so the upgrade cannot fail on old data.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from kundendialog.core.states import (
    AgentRole,
    AgentStatus,
    ConversationState,
    Delivery,
    HandoffState,
    Sender,
    TicketStatus,
    values,
)

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

CHECKS = [
    ("conversations", "ck_conversations_state", "state", ConversationState, "bot"),
    ("messages", "ck_messages_sender", "sender", Sender, "system"),
    ("messages", "ck_messages_delivery", "delivery", Delivery, "done"),
    ("agents", "ck_agents_role", "role", AgentRole, "agent"),
    ("agents", "ck_agents_status", "status", AgentStatus, "offline"),
    ("handoffs", "ck_handoffs_state", "state", HandoffState, "done"),
    ("tickets", "ck_tickets_status", "status", TicketStatus, "open"),
]


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values(enum))})"


def upgrade() -> None:
    for table, _name, column, enum, fallback in CHECKS:
        op.execute(f"UPDATE {table} SET {column} = '{fallback}' WHERE NOT ({_in(column, enum)})")
    for table in dict.fromkeys(t for t, *_ in CHECKS):
        with op.batch_alter_table(table) as batch:  # SQLite: copy-and-move keeps the rows
            for t, name, column, enum, _fallback in CHECKS:
                if t == table:
                    batch.create_check_constraint(name, _in(column, enum))


def downgrade() -> None:
    for table in dict.fromkeys(t for t, *_ in CHECKS):
        with op.batch_alter_table(table) as batch:
            for t, name, *_rest in CHECKS:
                if t == table:
                    batch.drop_constraint(name, type_="check")
