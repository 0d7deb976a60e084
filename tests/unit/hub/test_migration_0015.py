"""Migration 0015 (tickets, tags, merged conversations) on a database with requests, SQLite and PostgreSQL."""

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
OURS = {"tickets", "tags", "conversation_tags", "ticket_tags", "conversation_merges"}
MY_COLUMNS = {"assignee_id", "status_changed_at"}
MY_INDEXES = {
    "ix_tickets_status_created",
    "ix_tickets_conversation",
    "ix_conversation_tags_tag",
    "ix_ticket_tags_tag",
    "ix_conversation_merges_into",
}


async def test_requests_keep_their_status_and_take_the_new_ones(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0014")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, updated_at) "
                    "VALUES ('c1', 'h', 'webchat', 'bot', '{}', :now, :now)"
                ),
                {"now": NOW},
            )
            for ticket_id, status in ((1, "open"), (2, "done")):
                await conn.execute(
                    text(
                        "INSERT INTO tickets (id, conversation_id, summary, status, created_at) "
                        "VALUES (:id, 'c1', '{}', :status, :now)"
                    ),
                    {"id": ticket_id, "status": status, "now": NOW},
                )
        await migrate(engine, "0015")
        async with engine.begin() as conn:
            rows = (
                await conn.execute(text("SELECT id, status, assignee_id FROM tickets ORDER BY id"))
            ).all()
            assert [tuple(r) for r in rows] == [(1, "open", None), (2, "done", None)]
            await conn.execute(text("UPDATE tickets SET status = 'waiting' WHERE id = 1"))
            await conn.execute(text("UPDATE tickets SET status = 'reopened' WHERE id = 2"))
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE tickets SET status = 'paused'"))
        await migrate(engine)  # idempotent
    finally:
        await engine.dispose()


async def test_models_match_the_migrated_schema(database_url):
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
        if isinstance(change, (list, tuple)):
            return set().union(*(tables(part) for part in change)) if change else set()
        if isinstance(change, str):
            return {change}
        table = getattr(change, "table", None)
        return {getattr(table, "name", None) or getattr(change, "name", None)}

    def per_database(change) -> bool:
        """What a later migration adds on one database only, outside the models (search, 0016: an
        index and a generated column on PostgreSQL): in the database, not in the models."""
        if not isinstance(change, tuple):
            return False
        if change[0] == "remove_index":
            return change[1].name not in MY_INDEXES
        return change[0] == "remove_column" and change[3].name not in MY_COLUMNS

    assert [c for c in diff if tables(c) & OURS and not per_database(c)] == []
