"""Migration 0014 (macros, mentions, SLA targets) matches the models on SQLite and PostgreSQL, and a
mention goes with its note (ON DELETE CASCADE, e.g. the GDPR erasure of a conversation's notes)."""

from __future__ import annotations

from datetime import datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.hub.store.db import make_engine, migrate
from bot.hub.store.models import Base

OURS = {"macros", "mentions", "sla_targets"}
NOW = datetime(2026, 11, 23, 10, 0)


def tables(change) -> set:
    if isinstance(change, (list, tuple)):
        return set().union(*(tables(part) for part in change)) if change else set()
    if isinstance(change, str):
        return {change}
    table = getattr(change, "table", None)
    return {getattr(table, "name", None) or getattr(change, "name", None)}


async def test_the_tables_match_the_models_and_mentions_go_with_their_note(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert [change for change in diff if tables(change) & OURS] == []
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO agents (id, email, name, password_hash, role, status, capacity, active, "
                    "created_at, totp_enabled) VALUES (1, 'eva@shop.de', 'Eva', 'h', 'agent', 'online', 3, "
                    "true, :now, false)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, "
                    "updated_at) VALUES ('c1', 'h', 'webchat', 'agent', '{}', :now, :now)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO notes (id, conversation_id, agent_id, text, created_at) "
                    "VALUES (1, 'c1', 1, '@Eva', :now)"
                ),
                {"now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO mentions (note_id, conversation_id, agent_id, created_at) "
                    "VALUES (1, 'c1', 1, :now)"
                ),
                {"now": NOW},
            )
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM notes WHERE id = 1"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM mentions"))).scalar() == 0
    finally:
        await engine.dispose()
