"""Rate limits per conversation and per client address: GCRA, O(1) per request.

The generic cell rate algorithm keeps one number per key, the "theoretical
arrival time" (TAT): `limit` requests per `window` means one request every
window/limit seconds, with a burst of up to `limit`. A request is allowed when
TAT - window <= now; it then moves TAT on by one interval. Keys live in an
OrderedDict in order of last use, and a key whose TAT has passed carries no
state (it would start afresh), so every check also drops a few such keys from
the old end: memory stays bounded by the keys active within one window, with no
scan over all keys (the previous limiter scanned them all past 50,000 keys).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Dict, Mapping, Tuple, Union

from bot.hub.errors import RateLimited

EVICT_PER_CHECK = 2  # > 1: the idle set shrinks faster than one check can add to it


DEFAULT_MESSAGES = {
    "sie": "Zu viele Nachrichten in kurzer Zeit. Bitte warten Sie einen Moment.",
    "du": "Zu viele Nachrichten in kurzer Zeit. Bitte warte einen Moment.",
}
Messages = Union[str, Mapping[str, str], None]


class RateLimiter:
    def __init__(self, limit: int, window: float, message: Messages = None) -> None:
        """`message`: the 429 text, or texts by register ("sie", "du") for customers the hub knows."""
        self.limit = limit
        self.window = window
        self.interval = window / limit
        self.messages: Dict[str, str] = (
            {"sie": message} if isinstance(message, str) else dict(message or DEFAULT_MESSAGES)
        )
        self.message = self.messages["sie"]
        self._tat: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._tat)

    def check(self, key: str, now: float = 0.0, register: str | None = None) -> None:
        """Record a hit or raise 429 with Retry-After; the text in the conversation's `register` if known."""
        now = now or time.monotonic()
        self._evict(now)
        tat = max(self._tat.get(key, now), now)
        allowed_at = tat - self.window + self.interval
        if allowed_at > now:
            text = self.messages.get(register or "sie") or self.message
            raise RateLimited("rate_limited", text, max(1, math.ceil(allowed_at - now)))
        self._tat[key] = tat + self.interval
        self._tat.move_to_end(key)

    def _evict(self, now: float) -> None:
        for _ in range(EVICT_PER_CHECK):
            if not self._tat:
                return
            key, tat = next(iter(self._tat.items()))
            if tat > now:
                return  # the oldest-used key still holds state; newer ones were used later
            del self._tat[key]


def limiter(config: Tuple[int, float], message: Messages = None) -> RateLimiter:
    return RateLimiter(config[0], config[1], message)
