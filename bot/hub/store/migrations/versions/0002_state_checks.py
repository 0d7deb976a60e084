"""CHECK constraints on every state column (the values of bot.hub.states at this revision)

Existing rows keep their values: a value outside the list (there should be none)
is mapped to the closest meaning first, so the upgrade cannot fail on old data.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Frozen here (not imported from bot.hub.states): later revisions change some lists.
CHECKS = [
    ("conversations", "ck_conversations_state", "state", ("bot", "queued", "agent", "closed"), "bot"),
    ("messages", "ck_messages_sender", "sender", ("customer", "bot", "agent", "system"), "system"),
    ("messages", "ck_messages_delivery", "delivery", ("pending", "done", "failed"), "done"),
    ("agents", "ck_agents_role", "role", ("agent", "admin"), "agent"),
    ("agents", "ck_agents_status", "status", ("online", "away", "offline"), "offline"),
    ("handoffs", "ck_handoffs_state", "state", ("queued", "claimed", "done", "ticket", "left"), "done"),
    ("tickets", "ck_tickets_status", "status", ("open", "done"), "open"),
]


def _in(column: str, allowed) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def upgrade() -> None:
    for table, _name, column, allowed, fallback in CHECKS:
        op.execute(f"UPDATE {table} SET {column} = '{fallback}' WHERE NOT ({_in(column, allowed)})")
    for table in dict.fromkeys(t for t, *_ in CHECKS):
        with op.batch_alter_table(table) as batch:  # SQLite: copy-and-move keeps the rows
            for t, name, column, allowed, _fallback in CHECKS:
                if t == table:
                    batch.create_check_constraint(name, _in(column, allowed))


def downgrade() -> None:
    for table in dict.fromkeys(t for t, *_ in CHECKS):
        with op.batch_alter_table(table) as batch:
            for t, name, *_rest in CHECKS:
                if t == table:
                    batch.drop_constraint(name, type_="check")
