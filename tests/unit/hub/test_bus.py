"""The Redis bus between hubs: signed frames cross, unsigned or forged ones are dropped (real Redis)."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis.asyncio as aioredis

from bot.hub.bus import CHANNEL, Bus, sign
from tests.services import redis_server

KEY = b"k" * 32


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


async def test_frames_cross_hubs_only_when_signed_with_the_shared_key(redis_url) -> None:
    hub_a, hub_b = Bus(redis_url, KEY), Bus(redis_url, KEY)
    await hub_a.start()
    await hub_b.start()
    raw = aioredis.from_url(redis_url)
    try:
        queue = hub_b.subscribe("conv:1")
        await asyncio.sleep(0.2)  # both subscriptions are live
        forged = json.dumps(
            {"topic": "conv:1", "frame": {"type": "message", "text": "forged"}}
        ).encode()
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
