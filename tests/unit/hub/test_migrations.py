"""The state CHECK migration (0002) on a database that already holds data, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.hub.store.db import make_engine, migrate

NOW = datetime(2026, 11, 23, 10, 0)


async def test_upgrade_keeps_rows_and_then_refuses_unknown_states(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0001")
        async with engine.begin() as conn:
            for state in ("agent", "waiting"):  # "waiting" was never valid: mapped to "bot"
                await conn.execute(
                    text(
                        "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, updated_at) "
                        "VALUES (:id, 'h', 'webchat', :state, '{}', :now, :now)"
                    ),
                    {"id": f"c-{state}", "state": state, "now": NOW},
                )
            await conn.execute(
                text(
                    "INSERT INTO messages (id, conversation_id, sender, text, buttons, delivery, created_at) "
                    "VALUES ('m1', 'c-agent', 'customer', 'Hallo', '[]', 'pending', :now)"
                ),
                {"now": NOW},
            )
        await migrate(engine)
        async with engine.connect() as conn:
            states = dict((await conn.execute(text("SELECT id, state FROM conversations"))).all())
            message = (await conn.execute(text("SELECT text, delivery FROM messages"))).one()
        assert states == {"c-agent": "agent", "c-waiting": "bot"}
        assert tuple(message) == ("Hallo", "pending")
        bad = [
            "UPDATE conversations SET state = 'paused' WHERE id = 'c-agent'",
            "UPDATE messages SET delivery = 'lost'",
            "UPDATE messages SET sender = 'robot'",
        ]
        for statement in bad:
            with pytest.raises(IntegrityError):
                async with engine.begin() as conn:
                    await conn.execute(text(statement))
        async with engine.begin() as conn:  # a later revision's value
            await conn.execute(
                text("UPDATE messages SET delivery = 'in_flight', lease_owner = 'hub-a'")
            )
        await migrate(engine)  # idempotent
    finally:
        await engine.dispose()
