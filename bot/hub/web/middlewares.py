"""Response headers: security headers on everything, CORS only where a shop's page needs it.

The widget runs on the shop's origin, so it needs CORS for the customer API (origins from
settings) and for its own files (public, `*`). The console and the agent API are same-origin
only: a page on another origin must not even learn that they answer.
"""

from __future__ import annotations

import re
from typing import Any, Callable, List, MutableMapping

from aiohttp import web

from bot.hub.web.errors import Handler

ALLOW_HEADERS = "Authorization, Content-Type"
ALLOW_METHODS = "GET, POST, OPTIONS"
CUSTOMER_API = "/api/v1/conversations"
WIDGET_FILES = ("/widget.js", "/widget.css")
WIDGET_DIRS = ("/static/widget/", "/static/shared/")
# HTML pages and who may frame them; the console never (clickjacking of agent actions).
PAGES = {"/": "'self'", "/console": "'none'"}
API_POLICY = "default-src 'none'; frame-ancestors 'none'"  # JSON and files: nothing to load, nothing to frame
HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


def is_customer_api(path: str) -> bool:
    return path == CUSTOMER_API or path.startswith(CUSTOMER_API + "/")


def is_widget_asset(path: str) -> bool:
    return path in WIDGET_FILES or path.startswith(WIDGET_DIRS)


def content_security_policy(request: web.Request) -> str:
    """Pages load only their own files (no inline script or style); websockets go back to the same host."""
    frame_ancestors = PAGES.get(request.path)
    if frame_ancestors is None:
        return API_POLICY
    connect = "'self'"
    if HOST.fullmatch(
        request.host
    ):  # 'self' covers ws/wss only in newer browsers; never echo a hostile Host
        connect += f" ws://{request.host} wss://{request.host}"
    # img-src blob:: widget and console show attachments they fetched with a bearer token (never a token in a URL)
    return (
        f"default-src 'self'; connect-src {connect}; img-src 'self' blob:; object-src 'none'; base-uri 'none'; "
        f"form-action 'self'; frame-ancestors {frame_ancestors}"
    )


def add_security_headers(request: web.Request, headers: MutableMapping[str, str]) -> None:
    headers.setdefault("Content-Security-Policy", content_security_policy(request))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if PAGES.get(request.path) == "'none'":
        headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2


def cors_middleware(origins: List[str]) -> Callable[..., Any]:
    """Security headers for every response, plus CORS for the customer API and the widget's files."""
    allow_all = "*" in origins

    @web.middleware
    async def response_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        customer = is_customer_api(request.path)
        origin = request.headers.get("Origin")
        allowed = customer and origin is not None and (allow_all or origin in origins)
        try:
            if customer and request.method == "OPTIONS":
                response: web.StreamResponse = web.Response(status=204 if allowed else 403)
            else:
                response = await handler(request)
        except (
            web.HTTPException
        ) as exc:  # pages' 404s etc.: aiohttp renders them with these headers
            add_security_headers(request, exc.headers)
            raise
        if response.prepared:  # a websocket: its handshake is already sent
            return response
        add_security_headers(request, response.headers)
        if customer:
            response.headers["Vary"] = "Origin"
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = origin or ""
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response.headers["Access-Control-Max-Age"] = "600"
        elif is_widget_asset(request.path):
            response.headers["Access-Control-Allow-Origin"] = (
                "*"  # module scripts need it; public, no credentials
            )
        return response

    return response_headers
