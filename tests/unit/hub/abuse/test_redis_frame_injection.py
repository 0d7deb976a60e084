"""Frames injected through a shared Redis: hubs fan messages out over Redis pub/sub, and whoever can
publish there (another application on the same Redis, a local process) could push a made-up agent
answer or "conversation taken over" into a customer's open chat. Bus frames are signed with
HMAC-SHA256 (key derived from KD_SECRET_KEY); unsigned or foreign frames are dropped and logged.
Genuine frames captured and published again are the bus replay tests' subject (issue 23.12)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import redis.asyncio as aioredis

from bot.hub.app import init_app
from bot.hub.bus import CHANNEL, Bus, envelope, sign
from bot.hub.keys.push import BUS
from bot.hub.notifier import customer_topic
from tests.unit.hub.conftest import auth, start
from tests.unit.hub.test_bus import KEY


async def test_frames_cross_hubs_only_when_signed_with_the_shared_key(redis_url) -> None:
    hub_a, hub_b = Bus(redis_url, KEY), Bus(redis_url, KEY)
    await hub_a.start()
    await hub_b.start()
    raw = aioredis.from_url(redis_url)
    try:
        queue = hub_b.subscribe("conv:1")
        await asyncio.sleep(0.2)  # both subscriptions are live
        forged = envelope("conv:1", {"type": "message", "text": "forged"})  # fresh, with a nonce
        await raw.publish(CHANNEL, forged)  # no signature at all
        await raw.publish(CHANNEL, sign(b"x" * 32, forged))  # someone else's key
        await hub_a.publish("conv:1", {"type": "message", "text": "echt"})
        frame = await asyncio.wait_for(queue.get(), 5)
        assert frame["text"] == "echt"
        await asyncio.sleep(0.3)
        assert queue.empty()  # the forged frames never arrived
    finally:
        await raw.aclose()
        await hub_a.stop()
        await hub_b.stop()


async def test_a_redis_bus_refuses_to_start_without_a_key(redis_url) -> None:
    with pytest.raises(RuntimeError, match="signing key"):
        await Bus(redis_url, b"").start()


async def test_a_forged_frame_never_reaches_a_customers_chat_on_another_hub(
    aiohttp_client, settings, redis_url, caplog
):
    """Two hubs on one Redis and one database: the customer's websocket is on hub B."""
    settings.redis_url, settings.secret_key = redis_url, "k" * 43  # never var/secrets in a test
    hub_a = await aiohttp_client(init_app(settings))
    hub_b = await aiohttp_client(init_app(settings))
    conv = await start(hub_a)
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    ticket = (await (await hub_b.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    ws = await hub_b.ws_connect(f"{base}/ws?ticket={ticket}")
    attacker = aioredis.from_url(redis_url)
    caplog.set_level(logging.WARNING, logger="bot.hub.bus")
    try:
        await asyncio.sleep(0.2)  # hub B's subscription is live
        topic = customer_topic(conv["conversation_id"])
        made_up = {"type": "message", "message": {"sender": "agent", "text": "Zahlen Sie vorab."}}
        body = envelope(topic, made_up)
        for forged in (body, sign(b"x" * 32, body), sign(settings.derived_key("other"), body)):
            await attacker.publish(CHANNEL, forged)
        await hub_a.app[BUS].publish(topic, {"type": "marker"})  # genuine, after the forged ones
        frame = await ws.receive_json(timeout=5)
        assert frame == {"type": "marker"}, json.dumps(frame)  # Redis keeps the order
        assert "dropped a bus frame with a missing or wrong signature" in caplog.text
        assert caplog.text.count("missing or wrong signature") == 3 * 2  # by both hubs
    finally:
        await attacker.aclose()
        await ws.close()
