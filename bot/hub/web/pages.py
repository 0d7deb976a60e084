"""Static pages (demo shop, widget, console), health and the generated OpenAPI document."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Dict

import aiohttp
from aiohttp import web

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import RASA
from bot.hub.keys.store import REPO
from bot.hub.states import LABELS
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


UP_DOWN = {"type": "string", "enum": ["ok", "down"]}
HEALTH = obj(
    required=["status", "rasa", "actions", "database", "pid"],
    status={"type": "string", "enum": ["ok", "starting"]},
    rasa=UP_DOWN,
    actions=UP_DOWN,
    database=UP_DOWN,
    pid=INT,
)


HEALTH_DOC = Doc(
    "Readiness of Rasa, the action server and the database (503 until all are up)",
    "system",
    response=HEALTH,
    errors=[(503, HEALTH)],
)


async def health(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    state: Dict[str, str] = {}
    try:
        await request.app[REPO].ping()
        state["database"] = "ok"
    except Exception:  # noqa: BLE001 - report, never crash
        state["database"] = "down"
    state["rasa"] = "ok" if await request.app[RASA].ready() else "down"
    state["actions"] = (
        "ok" if await _actions_ready(f"http://127.0.0.1:{settings.actions_port}/health") else "down"
    )
    ok = all(v == "ok" for v in state.values())
    # pid: the supervisor checks that the hub answering is the one it started, not an orphan
    return web.json_response(
        {"status": "ok" if ok else "starting", **state, "pid": os.getpid()},
        status=200 if ok else 503,
    )


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
