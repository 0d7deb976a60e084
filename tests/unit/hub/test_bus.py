"""The Redis bus between hubs: replayed or stale frames are dropped (real Redis). Unsigned and forged
frames: tests/unit/hub/abuse/test_redis_frame_injection.py."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import redis.asyncio as aioredis

from bot.hub.bus import CHANNEL, MAX_AGE, Bus, ReplayGuard, envelope, sign
from tests.services import redis_server

KEY = b"k" * 32


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


async def test_a_frame_is_delivered_once_and_only_while_fresh(redis_url) -> None:
    """Someone who reads the Redis publishes captured (correctly signed) frames again."""
    hub_a, hub_b = Bus(redis_url, KEY), Bus(redis_url, KEY)
    await hub_a.start()
    await hub_b.start()
    raw = aioredis.from_url(redis_url)
    spy = raw.pubsub()
    await spy.subscribe(CHANNEL)
    try:
        queue = hub_b.subscribe("conv:1")
        await asyncio.sleep(0.2)
        await hub_a.publish("conv:1", {"type": "message", "text": "echt"})
        captured = None
        while captured is None:
            item = await spy.get_message(ignore_subscribe_messages=True, timeout=5)
            captured = item["data"] if item else None
        old = envelope("conv:1", {"type": "message", "text": "alt"}, now=time.time() - MAX_AGE - 5)
        bare = json.dumps({"topic": "conv:1", "frame": {"type": "message", "text": "ohne"}})
        for replay in (captured, captured, sign(KEY, old), sign(KEY, bare.encode())):
            await raw.publish(CHANNEL, replay)
        await hub_a.publish("conv:1", {"type": "message", "text": "danach"})
        texts = [(await asyncio.wait_for(queue.get(), 5))["text"] for _ in range(2)]
        assert texts == ["echt", "danach"]  # Redis keeps the order: the replays came in between
        assert queue.empty()
    finally:
        await spy.aclose()
        await raw.aclose()
        await hub_a.stop()
        await hub_b.stop()


def test_the_replay_guard_forgets_a_nonce_only_once_its_frame_is_too_old() -> None:
    now = [1000.0]
    guard = ReplayGuard(30.0, clock=lambda: now[0])
    nonce = "a" * 32
    assert guard.accept(1000.0, nonce) and not guard.accept(1000.0, nonce)
    assert not guard.accept(969.0, "b" * 32) and not guard.accept(1031.0, "c" * 32)  # out of window
    for bad in ((True, "d" * 32), ("1000", "e" * 32), (float("nan"), "f" * 32), (1000.0, "kurz")):
        assert not guard.accept(*bad)
    now[0] = 1030.0
    assert not guard.accept(1000.0, nonce)  # still remembered while the frame could pass
    now[0] = 1031.0
    assert not guard.accept(1000.0, nonce) and len(guard) == 0  # too old now, and forgotten
    for i in range(1000):  # memory: only the frames of one window
        now[0] += 1.0
        assert guard.accept(now[0], f"{i:032d}")
    assert len(guard) <= 31
