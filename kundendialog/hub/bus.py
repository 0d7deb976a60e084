"""Fan-out of live events to websocket subscribers, in-process or across hubs via Redis.

Topics: "conv:<id>" (one customer's frames) and "agents" (the console). With
KD_REDIS_URL set, every publish goes through Redis pub/sub so that a customer
connected to hub A sees what an agent sent through hub B.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any, Dict, Set

log = logging.getLogger(__name__)
CHANNEL = "kundendialog:bus"


class Bus:
    def __init__(self, redis_url: str = "") -> None:
        self._subs: Dict[str, Set[asyncio.Queue[Dict[str, Any]]]] = defaultdict(set)
        self._redis_url = redis_url
        self._redis: Any = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if not self._redis_url:
            return
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
                    envelope = json.loads(item["data"])
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

    def unsubscribe(self, topic: str, queue: asyncio.Queue[Dict[str, Any]]) -> None:
        self._subs[topic].discard(queue)
        if not self._subs[topic]:
            self._subs.pop(topic, None)

    async def publish(self, topic: str, frame: Dict[str, Any]) -> None:
        if self._redis is not None:
            await self._redis.publish(CHANNEL, json.dumps({"topic": topic, "frame": frame}, default=str))
        else:
            self._deliver(topic, frame)

    def _deliver(self, topic: str, frame: Dict[str, Any]) -> None:
        for queue in list(self._subs.get(topic, ())):
            try:
                queue.put_nowait(frame)
            except asyncio.QueueFull:
                log.warning("dropping frame for slow subscriber on %s (it resyncs on reconnect)", topic)
