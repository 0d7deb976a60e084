"""Fan-out of live events to websocket subscribers, in-process or across hubs via Redis.

Topics: "conv:<id>" (one customer's frames) and "agents" (the console). With
KD_REDIS_URL set, every publish goes through Redis pub/sub so that a customer
connected to hub A sees what an agent sent through hub B. Frames on Redis are
signed (HMAC-SHA256 with a key derived from the hub key, which all hubs share):
whoever else can publish on that Redis cannot inject frames into customers'
or agents' sockets; unsigned or forged frames are dropped and logged.

A signature does not say when: whoever can read that Redis could publish a
captured frame again ("Ein Mitarbeiter hat das Gespräch übernommen", an old
answer). So each signed frame carries its time and a random nonce; a frame
older than MAX_AGE (or as far in the future: the hubs' clocks may differ a
little) or with a nonce this hub has seen is dropped. A nonce is remembered
exactly as long as its frame could still pass the age check, so memory is
bounded by the frames of one window.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import math
import secrets
import time
from collections import OrderedDict, defaultdict
from typing import Any, Callable, Dict, Set

log = logging.getLogger(__name__)
CHANNEL = "kundendialog:bus"
MAX_AGE = 30.0  # seconds a frame may take from one hub to another (clock skew included)


def sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"." + body


def verified(key: bytes, data: bytes) -> bytes | None:
    """The signed body, or None when the signature is missing or wrong."""
    signature, _, body = data.partition(b".")
    expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    return body if hmac.compare_digest(signature, expected) else None


def envelope(topic: str, frame: Dict[str, Any], now: float | None = None) -> bytes:
    """The body that is signed: the frame, its topic, when it was sent and a nonce."""
    return json.dumps(
        {
            "topic": topic,
            "frame": frame,
            "ts": time.time() if now is None else now,
            "nonce": secrets.token_hex(16),
        },
        default=str,
    ).encode()


class ReplayGuard:
    """Accepts each (fresh) nonce once; a nonce is kept until its frame would be too old anyway."""

    def __init__(self, max_age: float = MAX_AGE, clock: Callable[[], float] = time.time) -> None:
        self.max_age = max_age
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # nonce -> when it may be forgotten

    def __len__(self) -> int:
        return len(self._seen)

    def accept(self, sent_at: Any, nonce: Any) -> bool:
        now = self.clock()
        while self._seen and next(iter(self._seen.values())) < now:
            self._seen.popitem(last=False)
        if (
            not isinstance(sent_at, (int, float))
            or isinstance(sent_at, bool)
            or not math.isfinite(sent_at)
            or abs(now - sent_at) > self.max_age
        ):
            return False
        if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64 or nonce in self._seen:
            return False
        # kept at least until the frame fails the age check; insertion order is roughly expiry order,
        # and a later entry that expires earlier is only forgotten later, never too early
        self._seen[nonce] = sent_at + self.max_age
        return True


class Bus:
    def __init__(self, redis_url: str = "", key: bytes = b"", max_age: float = MAX_AGE) -> None:
        self._key = key
        self._guard = ReplayGuard(max_age)
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
                    data = json.loads(body)
                    if not self._guard.accept(data.get("ts"), data.get("nonce")):
                        log.warning("dropped a replayed or stale bus frame")
                        continue
                    self._deliver(data["topic"], data["frame"])
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
            await self._redis.publish(CHANNEL, sign(self._key, envelope(topic, frame)))
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
