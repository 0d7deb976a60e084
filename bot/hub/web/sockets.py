"""Caps on open customer websockets, per conversation and per client address.

Each socket holds a bus subscription and a task; without caps one client could
open thousands. Counted per hub process (a socket lives in one process).
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from bot.hub.errors import RateLimited


class SocketCaps:
    def __init__(self, per_conversation: int, per_client: int) -> None:
        self.per_conversation = per_conversation
        self.per_client = per_client
        self._open: Counter[str] = Counter()

    @contextmanager
    def hold(self, conversation_id: str, client: str) -> Iterator[None]:
        """Counts one socket while the block runs; 429 when either cap is reached."""
        keys = (f"conv:{conversation_id}", f"ip:{client}")
        if self._open[keys[0]] >= self.per_conversation or self._open[keys[1]] >= self.per_client:
            raise RateLimited(
                "too_many_sockets", "Es sind schon zu viele Verbindungen zu diesem Chat offen.", 30
            )
        for key in keys:
            self._open[key] += 1
        try:
            yield
        finally:
            for key in keys:
                self._open[key] -= 1
                if self._open[key] <= 0:
                    del self._open[key]
