"""Per-conversation locks and background work, shared by turns, retries and other services.

One lock per conversation keeps its messages in order (Rasa must see them in order); background
tasks are kept referenced so they are not garbage-collected mid-flight, and drained at shutdown.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Coroutine


class Tasks:
    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._tasks: set[asyncio.Task[Any]] = set()

    def lock(self, conv_id: str) -> asyncio.Lock:
        lock = self._locks.get(conv_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conv_id] = lock
        return lock

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Fire-and-forget work that must not be garbage-collected mid-flight."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float) -> None:
        """Shutdown: let background work (tracker logging) finish, bounded."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
