"""Threat: whoever can read the Redis that several hubs share captures the signed frames on the bus and
publishes them again later ("Ein Mitarbeiter hat das Gespräch übernommen", an old answer), into a
customer's open chat; the signature alone does not say when a frame was sent.

Frames carry their time and a nonce: one older than the bus window, or seen before, is dropped
(issue 23.12).
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import redis.asyncio as aioredis

from bot.hub.bus import CHANNEL, MAX_AGE, envelope, sign
from bot.hub.keys.push import BUS
from bot.hub.notifier import customer_topic
from tests.services import redis_server
from tests.unit.hub.conftest import auth, start


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture()
def settings(settings, redis_url):
    settings.redis_url = redis_url
    settings.secret_key = "k" * 43  # the key all hubs share (never var/secrets in a test)
    return settings


async def test_captured_frames_published_again_never_reach_the_customer(client, settings):
    conv = await start(client)
    cid = conv["conversation_id"]
    base = f"/api/v1/conversations/{cid}"
    ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    ws = await client.ws_connect(f"{base}/ws?ticket={ticket}")
    attacker = aioredis.from_url(settings.redis_url)
    spy = attacker.pubsub()
    await spy.subscribe(CHANNEL)
    try:
        await asyncio.sleep(0.2)  # the hub's and the spy's subscriptions are live
        resp = await client.post(f"{base}/messages", json={"text": "Hallo"}, headers=auth(conv))
        assert resp.status == 200
        seen = [(await ws.receive_json(timeout=5))["message"]["text"] for _ in range(2)]
        assert seen == ["Hallo", "Echo: Hallo"]
        captured = []
        while len(captured) < 2:
            item = await spy.get_message(ignore_subscribe_messages=True, timeout=5)
            if item:
                captured.append(item["data"])

        key = settings.derived_key("bus")  # as if an old frame had been captured back then
        old_frame = {"type": "message", "message": {"text": "von vorgestern"}}
        stale = envelope(customer_topic(cid), old_frame, now=time.time() - MAX_AGE - 60)
        for replay in captured + captured + [sign(key, stale)]:
            await attacker.publish(CHANNEL, replay)
        # a genuine frame after the replays: Redis delivers in order, so anything replayed comes first
        await client.app[BUS].publish(customer_topic(cid), {"type": "marker"})
        frame = await ws.receive_json(timeout=5)
        assert frame == {"type": "marker"}, json.dumps(frame)
    finally:
        await spy.aclose()
        await attacker.aclose()
        await ws.close()
