"""What every fake shop platform shares: call records, injected failures, serving on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Iterator, List, Tuple, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Call:
    method: str  # HTTP method
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: Any  # parsed JSON body, or None
    status: int
    at: float


class FakeShopPlatform:
    """Subclasses add routes to `self.app` and say what a refused call looks like (`failure`)."""

    def __init__(self) -> None:
        self.url = ""
        self.calls: List[Call] = []
        self._failures: List[Tuple[int, str | None]] = []
        self.app = web.Application(middlewares=[self._record])

    def fail_next(self, status: int = 429, retry_after: str | None = "1", times: int = 1) -> None:
        """The next `times` calls get the platform's answer for `status` (429: rate limit)."""
        self._failures += [(status, retry_after)] * times

    def failure(self, status: int, retry_after: str | None) -> web.Response:
        raise NotImplementedError

    def served(self, method: str | None = None, path_part: str = "") -> List[Call]:
        """The calls that were answered with 2xx, optionally filtered by method and path."""
        return [
            c
            for c in self.calls
            if 200 <= c.status < 300
            and (method is None or c.method == method)
            and path_part in c.path
        ]

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        if self._failures:
            response: web.StreamResponse = self.failure(*self._failures.pop(0))
        else:
            response = await handler(request)
        self.calls.append(
            Call(
                request.method,
                request.path,
                dict(request.query),
                dict(request.headers),
                body,
                response.status,
                time.monotonic(),
            )
        )
        return response


F = TypeVar("F", bound=FakeShopPlatform)


def json_response(body: Any, status: int = 200, **headers: str) -> web.Response:
    return web.json_response(body, status=status, headers=headers or None)


@asynccontextmanager
async def serving(fake: F) -> AsyncIterator[F]:
    """Serve a fake on a free port of 127.0.0.1; `fake.url` is its base URL while inside."""
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    try:
        yield fake
    finally:
        await server.close()


@contextmanager
def serving_in_thread(fake: F, port: int = 0) -> Iterator[F]:
    """Serve a fake from its own event loop in a daemon thread (for tests whose shop client is
    another process, like the action server of the real stack); `fake.url` is set inside."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner = web.AppRunner(fake.app)

    async def start() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        sockets = site._server.sockets if site._server is not None else []  # type: ignore[union-attr]
        fake.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name=f"fake-{type(fake).__name__}", daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError(f"{type(fake).__name__} did not start")
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
