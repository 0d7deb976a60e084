"""Backfill of the NLU readings of customer messages stored before the hub kept them (migration 0006).

Rasa's tracker store holds every user event with its parse data and the hub's message id; this
reads them in pages and fills intent, top intent, confidence and mood of the matching hub messages
that have no confidence yet. Idempotent; SQL tracker stores only (as the GDPR erasure).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, cast

from sqlalchemy import Table, bindparam, func, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.hub.privacy.tracker import EVENTS, tracker_config, tracker_url
from bot.hub.settings import Settings
from bot.hub.states import Sender
from bot.hub.store.base_repo import RepoBase
from bot.hub.store.models import Message
from bot.shared.understanding import read_parse

PAGE = 2000


def readings(rows: List[Any]) -> List[Dict[str, Any]]:
    out = []
    for _id, data in rows:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            continue
        message_id = event.get("message_id")
        if not message_id:
            continue
        reading = read_parse(event.get("parse_data"))
        if reading.intent is not None:
            out.append(
                {"mid": str(message_id), **{f"v_{k}": v for k, v in reading.columns().items()}}
            )
    return out


async def backfill_readings(settings: Settings, repo: RepoBase) -> Dict[str, int]:
    """Returns how many user events were read and how many hub messages got their reading."""
    table = cast(Table, Message.__table__)
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("mid"),
            table.c.sender == Sender.CUSTOMER.value,
            table.c.confidence.is_(None),
        )
        .values(
            intent=bindparam("v_intent"),
            top_intent=bindparam("v_top_intent"),
            confidence=bindparam("v_confidence"),
            mood=bindparam("v_mood"),
        )
    )
    address = tracker_url(tracker_config(settings))
    url = make_url(address)
    seen = updated = after = 0
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return {
            "user_events": 0,
            "messages_updated": 0,
        }  # Rasa never ran here (and no empty file is created)
    engine = create_async_engine(address, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            if not await conn.run_sync(lambda sync: inspect(sync).has_table(EVENTS.name)):
                return {"user_events": 0, "messages_updated": 0}
        while True:
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(EVENTS.c.id, EVENTS.c.data)
                        .where(EVENTS.c.type_name == "user", EVENTS.c.id > after)
                        .order_by(EVENTS.c.id)
                        .limit(PAGE)
                    )
                ).all()
            if not rows:
                break
            after, seen = rows[-1][0], seen + len(rows)
            batch = readings(list(rows))
            if batch:
                read = (
                    select(func.count())
                    .select_from(table)
                    .where(
                        table.c.id.in_([row["mid"] for row in batch]),
                        table.c.confidence.is_not(None),
                    )
                )
                async with repo.sessions.begin() as db:
                    before = await db.scalar(read)
                    await (await db.connection()).execute(statement, batch)
                    updated += int(await db.scalar(read) or 0) - int(
                        before or 0
                    )  # asyncpg reports no rowcount
    finally:
        await engine.dispose()
    return {"user_events": seen, "messages_updated": updated}
