"""Delivery leases: a customer message is claimed by one hub while it is forwarded to Rasa

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BEFORE = "delivery IN ('pending', 'done', 'failed')"
AFTER = "delivery IN ('pending', 'in_flight', 'done', 'failed')"


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch.drop_constraint("ck_messages_delivery", type_="check")
        batch.create_check_constraint("ck_messages_delivery", AFTER)


def downgrade() -> None:
    op.execute("UPDATE messages SET delivery = 'pending' WHERE delivery = 'in_flight'")
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("ck_messages_delivery", type_="check")
        batch.create_check_constraint("ck_messages_delivery", BEFORE)
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
