"""Static pages (demo shop, widget, console), health and the generated OpenAPI document."""

from __future__ import annotations

import asyncio
import hmac
import math
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict

import aiohttp
from aiohttp import web

from bot.hub.errors import DomainError
from bot.hub.keys.agents import AUTH
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import RASA
from bot.hub.keys.store import REPO
from bot.hub.states import LABELS
from bot.hub.web.body import bearer
from bot.hub.web.spec import API, INT, MAX_TEXT, Doc, obj

STATIC = Path(__file__).resolve().parent / "static"
# Short, stable URLs; every other file (the JS modules) is served under /static/.
FILES = {
    "/": "index.html",
    "/console": "console.html",
    "/widget.js": "widget.js",
    "/widget.css": "widget.css",
    "/console.css": "console.css",
    "/shop.css": "shop.css",
    "/shop.js": "shop.js",
}
# CORS for the widget's files (a shop on another origin loads them) is added in middlewares.py.
ASSET_HEADERS = {"Cache-Control": "no-cache"}


def static_page(name: str) -> Any:
    """The handler of one of FILES."""

    async def serve(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / name, headers=ASSET_HEADERS)

    return serve


async def static_file(request: web.Request) -> web.StreamResponse:
    """A file below static/, never outside it."""
    path = (STATIC / request.match_info["path"]).resolve()
    if STATIC not in path.parents or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers=ASSET_HEADERS)


async def _actions_ready(url: str) -> bool:
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as s,
            s.get(url) as r,
        ):
            return r.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return False


class HealthProbe:
    """Readiness of the database, Rasa and the action server, probed at most once per `ttl` seconds:
    /api/v1/health is public, and each probe costs calls to Rasa and the action server, so however
    many requests come in, they share one probe (one runs at a time) and its answer until it is
    `ttl` old."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self.probes = 0  # how many times the components were asked (tests, metrics)
        self._state: Dict[str, str] | None = None
        self._at = -math.inf
        self._running: asyncio.Future[Dict[str, str]] | None = None

    async def state(self, app: web.Application) -> Dict[str, str]:
        if self._state is not None and self.clock() - self._at < self.ttl:
            return self._state
        if self._running is None:
            self._running = asyncio.ensure_future(self._probe(app))
        # shielded: a caller that goes away does not cancel the probe the others wait for
        return await asyncio.shield(self._running)

    async def _probe(self, app: web.Application) -> Dict[str, str]:
        try:
            self.probes += 1
            settings = app[SETTINGS]
            state: Dict[str, str] = {}
            try:
                await app[REPO].ping()
                state["database"] = "ok"
            except Exception:  # noqa: BLE001 - report, never crash
                state["database"] = "down"
            rasa, actions = await asyncio.gather(
                app[RASA].ready(),
                _actions_ready(f"http://127.0.0.1:{settings.actions_port}/health"),
            )
            state["rasa"] = "ok" if rasa else "down"
            state["actions"] = "ok" if actions else "down"
            self._state, self._at = state, self.clock()
            return state
        finally:
            self._running = None


HEALTH = web.AppKey("health", HealthProbe)


async def sees_details(request: web.Request) -> bool:
    """The health token (KD_HEALTH_TOKEN, or the one derived from the hub key that the supervisor
    sends) or a logged-in agent; any other caller learns only the status."""
    token = bearer(request)
    if not token:
        return False
    if hmac.compare_digest(token.encode(), request.app[SETTINGS].health_secret().encode()):
        return True
    try:
        await request.app[AUTH].authenticate(token)
    except DomainError:
        return False
    return True


UP_DOWN = {"type": "string", "enum": ["ok", "down"]}
HEALTH_BODY = obj(
    required=["status"],
    status={"type": "string", "enum": ["ok", "starting"]},
    rasa=UP_DOWN,
    actions=UP_DOWN,
    database=UP_DOWN,
    pid=INT,
)


HEALTH_DOC = Doc(
    "Readiness of Rasa, the action server and the database (503 until all are up). Everyone gets "
    "`status`; each component and the hub's pid only with `Authorization: Bearer` and the health "
    "token (KD_HEALTH_TOKEN) or an agent's session. The components are asked at most once per "
    "KD_HEALTH_CACHE_SECONDS, however many requests come in",
    "system",
    response=HEALTH_BODY,
    errors=[(503, HEALTH_BODY)],
)


async def health(request: web.Request) -> web.Response:
    state = await request.app[HEALTH].state(request.app)
    ok = all(v == "ok" for v in state.values())
    body: Dict[str, Any] = {"status": "ok" if ok else "starting"}
    if await sees_details(request):
        # pid: the supervisor checks that the hub answering is the one it started, not an orphan
        body.update(state, pid=os.getpid())
    return web.json_response(body, status=200 if ok else 503)


STATES_DOC = Doc(
    "Every state, sender and channel with its German label (the console's labels)",
    "system",
    response={"type": "object", "additionalProperties": {"type": "object"}},
)


async def states(request: web.Request) -> web.Response:
    return web.json_response(LABELS)


async def openapi(request: web.Request) -> web.Response:
    """The document of the routes web/routes.py added with their Doc."""
    limits = {MAX_TEXT: request.app[SETTINGS].max_text_length}
    return web.json_response(request.app[API].openapi("Kundendialog Hub API", "1.0.0", limits))
