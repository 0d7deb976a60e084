"""Who closed a request: tickets.closed_by

Revision ID: 0010
Revises: 0009

Requests closed before this revision keep closed_by NULL (nobody recorded who closed them).
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("closed_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_tickets_closed_by", "agents", ["closed_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_constraint("fk_tickets_closed_by", type_="foreignkey")
        batch.drop_column("closed_by")
