"""Websockets of customers and agents: bus frames pumped to a socket, and caps on open sockets.

Each socket holds a bus subscription and a task; without caps one client could
open thousands. Counted per hub process (a socket lives in one process).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, Dict, Iterator

from aiohttp import WSMsgType, web

from bot.hub.errors import RateLimited
from bot.hub.keys.push import BUS

Frame = Dict[str, Any]
MAX_CLIENT_FRAME = 512  # characters: a client only says "typing" or "read up to seq N"
log = logging.getLogger(__name__)


class SocketCaps:
    """Caps on open customer websockets, per conversation and per client address."""

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


SOCKETS = web.AppKey("sockets", SocketCaps)


class CloseSocket(Exception):
    """Raised by a frame filter or check: the websocket is closed with this code."""

    def __init__(self, code: int = 4001, reason: str = "session ended") -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def pump(
    app: web.Application,
    ws: web.WebSocketResponse,
    topic: str,
    hello: Callable[[], Awaitable[Frame]] | None = None,
    *,
    frames: Callable[[Frame], Awaitable[Frame | None]] | None = None,
    check: Callable[[], Awaitable[bool]] | None = None,
    check_every: float = 30.0,
    incoming: Callable[[Frame], Awaitable[None]] | None = None,
) -> web.WebSocketResponse:
    """Forward bus frames for one topic to a websocket until either side closes.

    `frames` may rewrite or drop (None) each frame, or raise CloseSocket; `check` runs every
    `check_every` seconds and closes the socket (code 4001) when it returns False. `incoming` gets
    each small JSON object the client sends (typing, read); anything else from the client is ignored.
    `hello` is read after the subscription, so a client that has its first frame misses nothing."""
    bus = app[BUS]
    queue = bus.subscribe(topic)
    loop = asyncio.get_running_loop()
    next_check = loop.time() + check_every

    async def reader() -> None:
        async for msg in ws:
            if msg.type == WSMsgType.ERROR:
                break
            if incoming is None or msg.type != WSMsgType.TEXT or len(msg.data) > MAX_CLIENT_FRAME:
                continue
            try:
                data = json.loads(msg.data)
            except ValueError:
                continue
            if isinstance(data, dict):
                try:
                    await incoming(data)
                except Exception:  # noqa: BLE001 - a bad client frame never ends the socket
                    log.warning("client frame not handled", exc_info=True)

    read_task = asyncio.create_task(reader())
    get: asyncio.Task[Dict[str, Any]] | None = None
    close_code, close_reason = 1000, ""
    try:
        if hello is not None:
            await ws.send_json(await hello())
        while not ws.closed:
            if get is None:
                get = asyncio.create_task(queue.get())
            timeout = max(0.0, next_check - loop.time()) if check is not None else None
            done, _ = await asyncio.wait(
                {get, read_task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if get in done:
                frame: Frame | None = get.result()
                get = None
                if frames is not None and frame is not None:
                    frame = await frames(frame)
                if frame is not None:
                    await ws.send_json(frame)
            elif read_task in done:
                break
            if check is not None and loop.time() >= next_check:
                next_check = loop.time() + check_every
                if not await check():
                    raise CloseSocket()
    except CloseSocket as closing:
        close_code, close_reason = closing.code, closing.reason
    except (ConnectionResetError, RuntimeError):
        pass
    finally:
        bus.unsubscribe(topic, queue)
        for task in (get, read_task):
            if task is not None and not task.done():
                task.cancel()
        await ws.close(code=close_code, message=close_reason.encode())
    return ws
