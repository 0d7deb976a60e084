"""Scale-out: PostgreSQL for hub data and Rasa's tracker store, Redis for Rasa's lock store and
the fan-out between two hub instances that must behave like one."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path
from typing import List

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.hub.store.db import async_url
from bot.ops.client import AgentClient, Customer
from bot.ops.launcher import ALWAYS, start_stack
from tests.accounts import add_agent
from tests.integration.exactly_once import assert_exactly_once, keep_asking
from tests.services import postgres_server, redis_server

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture(scope="module")
def scaled():
    with postgres_server() as pg, redis_server() as redis:
        directory = Path(tempfile.mkdtemp(prefix="kd-scale-"))
        stack = start_stack(directory, database_url=pg, redis_url=redis)
        try:
            second_hub = stack.start_hub("hub-b", ALWAYS)
            yield stack, second_hub, pg
        finally:
            stack.stop()


async def test_two_hubs_on_postgres_and_redis_behave_like_one(scaled):
    stack, hub_b, pg = scaled
    email = f"eva-{uuid.uuid4().hex[:6]}@shop.de"
    add_agent(pg, email, "Eva")
    async with aiohttp.ClientSession() as s:
        customer_a = await Customer(s, stack.hub_url).start()
        assert "Wanda" in await customer_a.texts("Guten Tag")
        # the same conversation continues through the other hub
        customer_b = Customer(s, hub_b)
        customer_b.id, customer_b.token = customer_a.id, customer_a.token
        ask = await customer_b.texts("Wo ist meine Bestellung 100234?")
        assert "E-Mail" in ask
        agent = await AgentClient(s, hub_b).login(email, "geheim123")
        async with s.ws_connect(await customer_a.ws_url()) as ws:  # websocket on hub A
            await customer_a.say("Ich möchte mit einem Menschen sprechen")
            await agent.post(f"/conversations/{customer_a.id}/claim")  # agent on hub B
            await agent.post(
                f"/conversations/{customer_a.id}/messages", {"text": "Hallo aus Hub B"}
            )
            got = None
            while got is None:
                frame = await asyncio.wait_for(ws.receive_json(), 10)
                if frame.get("type") == "message" and frame["message"]["sender"] == "agent":
                    got = frame["message"]["text"]
        assert got == "Hallo aus Hub B"
    engine = create_async_engine(async_url(pg))
    async with engine.connect() as conn:
        events = (
            await conn.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": customer_a.id}
            )
        ).scalar()
        messages = (
            await conn.execute(
                text("SELECT count(*) FROM messages WHERE conversation_id = :s"),
                {"s": customer_a.id},
            )
        ).scalar()
    await engine.dispose()
    assert events and events > 5  # Rasa's SQLTrackerStore on PostgreSQL
    assert messages and messages >= 6


def postgres_rows(pg: str):  # type: ignore[no-untyped-def]
    async def rows(sql: str) -> List[tuple]:
        engine = create_async_engine(async_url(pg))
        try:
            async with engine.connect() as conn:
                return [tuple(r) for r in (await conn.execute(text(sql))).all()]
        finally:
            await engine.dispose()

    return rows


async def test_killing_one_of_two_hubs_loses_and_doubles_nothing(scaled):
    """Customers on hub B; B is killed mid-run; their retries go to hub A (as a load balancer would)."""
    stack, hub_b, pg = scaled
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
        over = asyncio.Event()
        runs = [
            asyncio.create_task(keep_asking(s, hub_b, over, pause=0.5, fallback=stack.hub_url))
            for _ in range(4)
        ]
        await asyncio.sleep(3)
        stack.kill("hub-b")
        await asyncio.sleep(3)
        over.set()
        results = await asyncio.gather(*runs)
        await assert_exactly_once(postgres_rows(pg), s, stack.rasa_url, results)
