"""Agent security: supervisor role, two-factor columns, session scope, websocket tickets, login throttle, audit log

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Frozen here (not imported from bot.hub.states).
ROLES_BEFORE = "role IN ('agent', 'admin')"
ROLES_AFTER = "role IN ('agent', 'supervisor', 'admin')"


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch.drop_constraint("ck_agents_role", type_="check")
        batch.create_check_constraint("ck_agents_role", ROLES_AFTER)
    with op.batch_alter_table("agent_sessions") as batch:
        batch.add_column(sa.Column("setup_only", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_agent_sessions_agent", ["agent_id"])
        batch.create_index("ix_agent_sessions_expires", ["expires_at"])
    op.create_table(
        "ws_tickets",
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("session_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_hash"),
    )
    op.create_index("ix_ws_tickets_expires", "ws_tickets", ["expires_at"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_agent", "audit_log", ["agent_id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_agent", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("login_throttle")
    op.drop_index("ix_ws_tickets_expires", table_name="ws_tickets")
    op.drop_table("ws_tickets")
    with op.batch_alter_table("agent_sessions") as batch:
        batch.drop_index("ix_agent_sessions_expires")
        batch.drop_index("ix_agent_sessions_agent")
        batch.drop_column("setup_only")
    op.execute("UPDATE agents SET role = 'agent' WHERE role = 'supervisor'")  # least privilege, never more
    with op.batch_alter_table("agents") as batch:
        batch.drop_constraint("ck_agents_role", type_="check")
        batch.create_check_constraint("ck_agents_role", ROLES_BEFORE)
        batch.drop_column("password_changed_at")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled")
        batch.drop_column("totp_secret")
