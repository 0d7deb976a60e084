"""The search index migration: rows stored before it are found after it, and on SQLite the triggers a
later table rebuild drops come back with the next migrate (bot/hub/search/index_sql.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import text

from bot.hub.search.index_sql import SOURCES
from bot.hub.store.db import make_engine, migrate

BEFORE = "0015"


async def test_rows_from_before_the_migration_are_indexed(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, BEFORE)
        conv = uuid.uuid4().hex
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO conversations (id, token_hash, channel, state, metadata, display_name, created_at, "
                    "updated_at) VALUES (:id, 'h', 'webchat', 'bot', '{}', 'Jörg Weiß', :t, :t)"
                ),
                {"id": conv, "t": datetime(2026, 11, 1, 10, 0)},
            )
            await conn.execute(
                text(
                    "INSERT INTO messages (id, conversation_id, sender, text, buttons, delivery, created_at) "
                    "VALUES (:id, :c, 'customer', 'Die Jacke hat einen Riss', '[]', 'done', :t)"
                ),
                {"id": uuid.uuid4().hex, "c": conv, "t": datetime(2026, 11, 1, 10, 0)},
            )
        await migrate(engine)
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                found = (
                    await conn.execute(
                        text(
                            "SELECT count(*) FROM search_messages WHERE search_messages MATCH 'riss'"
                        )
                    )
                ).scalar()
                named = (
                    await conn.execute(
                        text(
                            "SELECT count(*) FROM search_contacts WHERE search_contacts MATCH 'weiss'"
                        )
                    )
                ).scalar()
            else:
                found = (
                    await conn.execute(
                        text(
                            f"SELECT count(*) FROM messages WHERE {SOURCES['message'].vector('messages')} "
                            "@@ to_tsquery('german', 'riss')"
                        )
                    )
                ).scalar()
                named = (
                    await conn.execute(
                        text(
                            f"SELECT count(*) FROM conversations WHERE {SOURCES['contact'].vector('conversations')} "
                            "@@ to_tsquery('german', 'weiss')"
                        )
                    )
                ).scalar()
        assert found == 1 and named == 1
    finally:
        await engine.dispose()


async def test_sqlite_triggers_come_back_after_a_table_rebuild(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "DROP TRIGGER search_messages_ai"
            )  # as a batch rebuild of messages does
        await migrate(engine)
        async with engine.connect() as conn:
            names = {
                r[0]
                for r in await conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                )
            }
        assert {f"{s.fts}_{x}" for s in SOURCES.values() for x in ("ai", "ad", "au")} <= names
    finally:
        await engine.dispose()


@pytest.mark.parametrize("revision", ["0015"])
async def test_downgrade_removes_the_index(tmp_path, revision):
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        await migrate(engine)
        from alembic import command

        from bot.hub.store.db import alembic_config

        def down(connection):
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, revision)

        async with engine.begin() as conn:
            await conn.run_sync(down)
            left = (
                await conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE name LIKE 'search_%'"
                )
            ).scalar()
        assert left == 0
    finally:
        await engine.dispose()
