"""Admin two-factor: sessions record whether they passed a TOTP code; one-time enrolment codes

Revision ID: 0009
Revises: 0008

Sessions opened while their agent had two-factor on passed a code at login (confirming two-factor
ends every other session), so they are marked as such; the rest are not.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agent_sessions") as batch:
        batch.add_column(sa.Column("two_factor", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("totp_enrolment_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enrolment_expires_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE agent_sessions SET two_factor = true "
        "WHERE agent_id IN (SELECT id FROM agents WHERE totp_enabled = true)"
    )


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("totp_enrolment_expires_at")
        batch.drop_column("totp_enrolment_hash")
    with op.batch_alter_table("agent_sessions") as batch:
        batch.drop_column("two_factor")
