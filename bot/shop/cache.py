"""A short read cache for one conversation: a turn that asks the same order twice (form
validation, then the submit action) reads the shop once.

Keyed by (conversation, order number); a write through actions/shop.py drops the entry, so a
confirmation always works on the shop's current state. Entries live `ttl` seconds (default
KD_SHOP_CACHE_SECONDS), in this process's memory only, never on disk.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Tuple, TypeVar

V = TypeVar("V")


class ReadCache(Generic[V]):
    def __init__(
        self, ttl: float, max_entries: int = 2048, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[Hashable, Tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: Hashable, value: V) -> None:
        if self.ttl <= 0:
            return
        self._entries[key] = (self.clock() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def drop(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def drop_where(self, test: Callable[[Hashable], bool]) -> None:
        for key in [k for k in self._entries if test(k)]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()
