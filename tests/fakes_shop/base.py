"""What every fake shop platform shares: call records, injected failures, serving on 127.0.0.1."""

from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Tuple, TypeVar

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
