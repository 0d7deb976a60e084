"""Sliding-window rate limits per conversation and per client address."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Deque, Dict, Tuple

from kundendialog.core.errors import RateLimited


class RateLimiter:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: Dict[str, Deque[float]] = defaultdict(deque)

    def check(self, key: str, now: float = 0.0) -> None:
        """Record a hit or raise 429 with Retry-After."""
        now = now or time.monotonic()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            retry = max(1, int(hits[0] + self.window - now) + 1)
            raise RateLimited("rate_limited", "Zu viele Nachrichten in kurzer Zeit. Bitte warten Sie einen Moment.",
                              retry)
        hits.append(now)
        if len(self._hits) > 50_000:  # forget idle keys so memory stays bounded
            for stale in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window][:10_000]:
                del self._hits[stale]


def limiter(config: Tuple[int, float]) -> RateLimiter:
    return RateLimiter(config[0], config[1])
