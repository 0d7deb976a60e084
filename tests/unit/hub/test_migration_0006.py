"""Migration 0006 (reports) on a database that already holds conversations, SQLite and PostgreSQL: handoff
outcomes and best guesses backfilled, the report indexes in place, reviews outlive an erased message."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.hub.store.db import make_engine, migrate

T0 = datetime(2026, 11, 23, 10, 0)
T1 = datetime(2026, 11, 23, 10, 5)
T2 = datetime(2026, 11, 23, 10, 9)


async def test_upgrade_backfills_and_indexes(database_url):
    engine = make_engine(database_url)
    try:
        await migrate(engine, "0004")
        async with engine.begin() as conn:
            for cid, closed in (("closed", T1), ("handed-back", None), ("reopened", T2)):
                await conn.execute(
                    text(
                        "INSERT INTO conversations (id, token_hash, channel, state, metadata, created_at, updated_at, closed_at) "
                        "VALUES (:id, 'h', 'webchat', 'bot', '{}', :t, :t, :closed)"
                    ),
                    {"id": cid, "t": T0, "closed": closed},
                )
                await conn.execute(
                    text(
                        "INSERT INTO handoffs (conversation_id, reason, priority, summary, state, queued_at, claimed_at, "
                        "finished_at) VALUES (:id, 'customer_request', 'normal', '{}', 'done', :t, :t, :f)"
                    ),
                    {"id": cid, "t": T0, "f": T1},
                )
            await conn.execute(
                text(
                    "INSERT INTO handoffs (conversation_id, reason, priority, summary, state, queued_at) "
                    "VALUES ('closed', 'frustration', 'urgent', '{}', 'queued', :t)"
                ),
                {"t": T2},
            )
            for mid, intent in (("m1", "order_status"), ("m2", "nlu_fallback"), ("m3", None)):
                await conn.execute(
                    text(
                        "INSERT INTO messages (id, conversation_id, sender, text, buttons, delivery, intent, created_at) "
                        "VALUES (:id, 'closed', 'customer', 'x', '[]', 'done', :intent, :t)"
                    ),
                    {"id": mid, "intent": intent, "t": T0},
                )
        await migrate(engine)
        async with engine.connect() as conn:
            outcomes = dict(
                (
                    await conn.execute(
                        text("SELECT conversation_id, outcome FROM handoffs WHERE state = 'done'")
                    )
                ).all()
            )
            queued = (
                await conn.execute(text("SELECT outcome FROM handoffs WHERE state = 'queued'"))
            ).scalar()
            guesses = dict((await conn.execute(text("SELECT id, top_intent FROM messages"))).all())
        assert outcomes == {
            "closed": "closed",
            "handed-back": "bot",
            "reopened": "bot",
        }  # closed later: taken as a hand-back
        assert queued is None
        assert guesses == {"m1": "order_status", "m2": None, "m3": None}
        async with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                indexes = await conn.run_sync(
                    lambda sync: {i["name"] for i in inspect(sync).get_indexes("messages")}
                )
                assert {"ix_messages_created", "ix_messages_typed"} <= indexes
            else:  # SQLAlchemy does not reflect SQLite's expression indexes: ask SQLite
                names = set(
                    (
                        await conn.execute(
                            text("SELECT name FROM sqlite_master WHERE type = 'index'")
                        )
                    ).scalars()
                )
                assert {"ix_messages_hour", "ix_messages_typed_hour"} <= names
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE handoffs SET outcome = 'lost'"))
        async with engine.begin() as conn:  # a review outlives its message (retention, erasure)
            seq = (await conn.execute(text("SELECT seq FROM messages WHERE id = 'm2'"))).scalar()
            await conn.execute(
                text(
                    "INSERT INTO nlu_reviews (message_seq, text, intent, created_at) "
                    "VALUES (:s, 'wo ist mein paket', 'order_status', :t)"
                ),
                {"s": seq, "t": T0},
            )
            await conn.execute(text("DELETE FROM messages WHERE id = 'm2'"))
        async with engine.connect() as conn:
            review = (await conn.execute(text("SELECT message_seq, intent FROM nlu_reviews"))).one()
        assert tuple(review) == (None, "order_status")
        await migrate(engine)  # idempotent
    finally:
        await engine.dispose()
