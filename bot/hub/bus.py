"""Fan-out of live events to websocket subscribers, in-process or across hubs via Redis.

Topics: "conv:<id>" (one customer's frames) and "agents" (the console). With
KD_REDIS_URL set, every publish goes through Redis pub/sub so that a customer
connected to hub A sees what an agent sent through hub B. Frames on Redis are
signed (HMAC-SHA256 with a key derived from the hub key, which all hubs share):
whoever else can publish on that Redis cannot inject frames into customers'
or agents' sockets; unsigned or forged frames are dropped and logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from typing import Any, Dict, Set

log = logging.getLogger(__name__)
CHANNEL = "kundendialog:bus"


def sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"." + body


def verified(key: bytes, data: bytes) -> bytes | None:
    """The signed body, or None when the signature is missing or wrong."""
    signature, _, body = data.partition(b".")
    expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    return body if hmac.compare_digest(signature, expected) else None


class Bus:
    def __init__(self, redis_url: str = "", key: bytes = b"") -> None:
        self._key = key
        self._subs: Dict[str, Set[asyncio.Queue[Dict[str, Any]]]] = defaultdict(set)
        self._redis_url = redis_url
        self._redis: Any = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if not self._redis_url:
            return
        if not self._key:
            raise RuntimeError("a Redis bus needs a signing key (KD_SECRET_KEY)")
        import redis.asyncio as aioredis

        self._redis = aioredis.from_url(self._redis_url)
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        self._reader = asyncio.create_task(self._read(pubsub))

    async def stop(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self._redis is not None:
            await self._redis.close()

    async def _read(self, pubsub: Any) -> None:
        while True:
            try:
                item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if item and item.get("type") == "message":
                    body = verified(self._key, item["data"])
                    if body is None:
                        log.warning("dropped a bus frame with a missing or wrong signature")
                        continue
                    envelope = json.loads(body)
                    self._deliver(envelope["topic"], envelope["frame"])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep reading after a bad frame or a blip
                log.exception("redis bus read failed")
                await asyncio.sleep(0.5)

    def subscribe(self, topic: str) -> asyncio.Queue[Dict[str, Any]]:
        queue: asyncio.Queue[Dict[str, Any]] = asyncio.Queue(maxsize=1000)
        self._subs[topic].add(queue)
        return queue

    def subscriber_counts(self) -> Dict[str, int]:
        """Open subscriptions (websockets) of this process per topic, for /metrics."""
        return {topic: len(queues) for topic, queues in self._subs.items()}

    def unsubscribe(self, topic: str, queue: asyncio.Queue[Dict[str, Any]]) -> None:
        self._subs[topic].discard(queue)
        if not self._subs[topic]:
            self._subs.pop(topic, None)

    async def publish(self, topic: str, frame: Dict[str, Any]) -> None:
        if self._redis is not None:
            body = json.dumps({"topic": topic, "frame": frame}, default=str).encode()
            await self._redis.publish(CHANNEL, sign(self._key, body))
        else:
            self._deliver(topic, frame)

    def _deliver(self, topic: str, frame: Dict[str, Any]) -> None:
        for queue in list(self._subs.get(topic, ())):
            try:
                queue.put_nowait(frame)
            except asyncio.QueueFull:
                log.warning(
                    "dropping frame for slow subscriber on %s (it resyncs on reconnect)", topic
                )
