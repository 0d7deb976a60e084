"""Customer messages keep the client tag until Rasa has them: the retry loop sends it too

Revision ID: 0011
Revises: 0010

The tag is the keyed hash of the client address the hub sends Rasa as `metadata.client` (per-client
limits in the actions) and the urgent-handoff cap counts on. A message waiting for Rasa (pending, or
in flight with a lease) carries it, so a retried message is counted like a live one; it is cleared
once the message is delivered. Messages stored before keep NULL (no tag, as before).
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("client_tag", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("client_tag")
