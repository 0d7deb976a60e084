"""E-mail only to an address its owner confirmed; replies from other senders parked for agents

Revision ID: 0012
Revises: 0011

tickets.contact_confirmed: the address whose owner clicked the confirmation link (double opt-in);
the hub mails a request's contact only when it is that address or the e-mail verified against an
order (the handoff summary). notes.agent_id may be NULL: an inbound mail from another address than
the request's contact is kept as an internal note for agents (never shown to the customer).
Existing requests keep contact_confirmed NULL, so their unverified addresses get no more mail until
confirmed.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("contact_confirmed", sa.String(length=200), nullable=True))
    with op.batch_alter_table("notes") as batch:
        batch.alter_column("agent_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM notes WHERE agent_id IS NULL")
    with op.batch_alter_table("notes") as batch:
        batch.alter_column("agent_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("contact_confirmed")
