"""Migration 0017: notes are found by their conversation (the index a plain agent's search and the
console's notes of one conversation read), and on SQLite the search index still follows `notes`
after it (its triggers are in place)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.hub.search.index_sql import NOTES
from bot.hub.store.db import make_engine, migrate


async def test_notes_have_a_conversation_index_and_keep_their_search_triggers(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            indexes = await conn.run_sync(lambda sync: inspect(sync).get_indexes("notes"))
            assert {"name": "ix_notes_conversation", "columns": ["conversation_id"]} in [
                {"name": i["name"], "columns": i["column_names"]} for i in indexes
            ]
            if conn.dialect.name == "sqlite":
                triggers = await conn.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes'"
                    )
                )
                assert {row[0] for row in triggers} == {
                    f"{NOTES.fts}_{s}" for s in ("ai", "ad", "au")
                }
                plan = await conn.execute(
                    text("EXPLAIN QUERY PLAN SELECT id FROM notes WHERE conversation_id = 'c1'")
                )
                assert "ix_notes_conversation" in " ".join(str(row[-1]) for row in plan)
    finally:
        await engine.dispose()
