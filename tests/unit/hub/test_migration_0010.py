"""Migration 0010 (who closed a request) on a database that already holds requests, SQLite and
PostgreSQL: existing tickets keep their state with closed_by NULL, and closed_by names an agent."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.hub.store.db import make_engine, migrate

NOW = datetime(2026, 11, 23, 10, 0)


async def test_upgrade_keeps_requests_and_records_an_agent(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0009")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, updated_at) "
                    "VALUES ('c1', 'h', 'webchat', 'bot', '{}', :now, :now)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO agents (id, email, name, password_hash, role, status, capacity, active, created_at) "
                    "VALUES (1, 'eva@shop.de', 'Eva', 'h', 'agent', 'offline', 3, true, :now)"
                ),
                {"now": NOW},
            )
            for ticket_id, status in ((1, "open"), (2, "done")):
                await conn.execute(
                    text(
                        "INSERT INTO tickets (id, conversation_id, contact, summary, status, created_at) "
                        "VALUES (:id, 'c1', 'a@b.de', '{}', :status, :now)"
                    ),
                    {"id": ticket_id, "status": status, "now": NOW},
                )
        await migrate(engine)
        async with engine.begin() as conn:
            kept = (
                await conn.execute(text("SELECT id, status, closed_by FROM tickets ORDER BY id"))
            ).all()
            assert [tuple(r) for r in kept] == [(1, "open", None), (2, "done", None)]
            await conn.execute(
                text("UPDATE tickets SET status = 'done', closed_by = 1 WHERE id = 1")
            )
        with pytest.raises(IntegrityError):  # no such agent
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE tickets SET closed_by = 99 WHERE id = 2"))
        await migrate(engine)  # idempotent
    finally:
        await engine.dispose()
