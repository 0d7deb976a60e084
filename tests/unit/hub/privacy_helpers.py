"""Stores around the hub for the data-protection tests: a Rasa tracker store (Rasa's `events` table, on
the test's SQLite or PostgreSQL) named by var/endpoints.yml, and a seeded demo-shop database."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session

from bot.hub.privacy.tracker import EVENTS, TrackerStore
from bot.hub.rasa_tracker import rasa_tracker_store
from bot.hub.settings import Settings

Event = Tuple[str, Dict[str, Any]]  # type_name, data


def privacy_settings(base: Settings, tmp_path: Path) -> Settings:
    """The hub test settings, with a seeded shop and a tracker store under `tmp_path` (var/)."""
    from bot.shop.demo_seed import seed

    shop_url = f"sqlite:///{tmp_path / 'shop.db'}"
    seed(shop_url, extra=0)
    settings = replace(
        base,
        var_dir=tmp_path,
        shop_database_url=shop_url,
        rasa_tracker_db=str(tmp_path / "tracker.db")
        if base.database_url.startswith("sqlite")
        else "",
    )
    # what the launcher writes for Rasa (write_endpoints): the tracker store section is all the hub reads
    (tmp_path / "endpoints.yml").write_text(
        yaml.safe_dump({"tracker_store": rasa_tracker_store(settings)})
    )
    return settings


async def tracker_engine(settings: Settings) -> Any:
    engine = create_async_engine(TrackerStore(settings).url)
    async with engine.begin() as conn:
        await conn.run_sync(EVENTS.metadata.create_all)
    return engine


async def add_events(
    settings: Settings, sender: str, events: List[Event], at: float | None = None
) -> None:
    """Events as Rasa's SQLTrackerStore stores them (data: the event as JSON)."""
    engine = await tracker_engine(settings)
    stamp = time.time() if at is None else at
    async with engine.begin() as conn:
        for type_name, data in events:
            await conn.execute(
                insert(EVENTS).values(
                    sender_id=sender,
                    type_name=type_name,
                    timestamp=stamp,
                    intent_name=None,
                    action_name=None,
                    data=json.dumps({"event": type_name, "timestamp": stamp, **data}),
                )
            )
    await engine.dispose()


async def tracker_counts(settings: Settings) -> Dict[str, int]:
    engine = await tracker_engine(settings)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(EVENTS.c.sender_id, func.count()).group_by(EVENTS.c.sender_id)
            )
        ).all()
    await engine.dispose()
    return {sender: count for sender, count in rows}


def shop_record(
    settings: Settings,
    kind: str,
    reference: str,
    text: str,
    order_id: str = "100235",
    conversation: str | None = None,
) -> None:
    """A return or complaint ticket as the demo backend creates it, recorded in the ledger as created
    in `conversation` (without one: a record of no conversation, e.g. created before the upgrade)."""
    from bot.shop import demo_db as shop
    from bot.shop import ledger

    with Session(ledger.engine(settings.shop_database_url)) as db, db.begin():
        if conversation is not None:
            db.add(
                ledger.CreatedRecord(
                    conversation_id=conversation, kind=kind, reference=reference, backend="demo"
                )
            )
        if kind == "return":
            db.add(
                shop.Return(
                    reference=reference,
                    order_id=order_id,
                    reason=text,
                    mode="refund",
                    label_reference="DHL-LBL-111111",
                )
            )
        else:
            db.add(
                shop.Ticket(
                    reference=reference, order_id=order_id, kind="complaint", description=text
                )
            )


def shop_texts(settings: Settings) -> Dict[str, str]:
    """Reference -> the customer's words, for every return and ticket in the shop."""
    from bot.shop import demo_db as shop
    from bot.shop import ledger

    with Session(ledger.engine(settings.shop_database_url)) as db:
        returns = {r.reference: r.reason for r in db.scalars(select(shop.Return))}
        tickets = {t.reference: t.description for t in db.scalars(select(shop.Ticket))}
    return {**returns, **tickets}


def created_records(settings: Settings) -> Dict[str, List[str]]:
    """Conversation id -> references of the records the bot created in it (shop_conversation_records)."""
    from bot.shop import ledger

    found: Dict[str, List[str]] = {}
    with Session(ledger.engine(settings.shop_database_url)) as db:
        for row in db.scalars(select(ledger.CreatedRecord).order_by(ledger.CreatedRecord.id)):
            found.setdefault(row.conversation_id, []).append(row.reference)
    return found
