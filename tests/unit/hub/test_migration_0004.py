"""Migration 0004 (agent security) on a database that already holds agents, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.hub.store.db import make_engine, migrate
from bot.hub.store.models import Base

NOW = datetime(2026, 11, 23, 10, 0)
OURS = {"agents", "agent_sessions", "ws_tickets", "login_throttle", "audit_log"}


async def test_upgrade_keeps_agents_and_allows_supervisors_only_as_a_new_role(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0003")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO agents (id, email, name, password_hash, role, status, capacity, active, created_at) "
                    "VALUES (1, 'eva@shop.de', 'Eva', 'h', 'admin', 'online', 3, true, :now)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO agent_sessions (token_hash, agent_id, created_at, expires_at) "
                    "VALUES ('t', 1, :now, :now)"
                ),
                {"now": NOW},
            )
        await migrate(engine, "0004")
        async with engine.begin() as conn:
            agent = (
                await conn.execute(
                    text("SELECT email, role, totp_enabled, totp_secret FROM agents")
                )
            ).one()
            session = (await conn.execute(text("SELECT setup_only FROM agent_sessions"))).one()
            assert tuple(agent) == ("eva@shop.de", "admin", False, None) and tuple(session) == (
                False,
            )
            await conn.execute(text("UPDATE agents SET role = 'supervisor'"))
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE agents SET role = 'boss'"))
        await migrate(engine)  # up to the newest revision, idempotent
    finally:
        await engine.dispose()


async def test_models_match_the_migrated_schema(database_url):
    """The tables 0004 touches look in the database exactly as the models say."""
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()

    def tables(change) -> set:
        """Every table a diff entry names (entries are tuples, or lists of tuples, of strings and schema items)."""
        if isinstance(change, (list, tuple)):
            return set().union(*(tables(part) for part in change)) if change else set()
        if isinstance(change, str):
            return {change}
        table = getattr(change, "table", None)
        return {getattr(table, "name", None) or getattr(change, "name", None)}

    ours = [change for change in diff if tables(change) & OURS]
    assert ours == []
