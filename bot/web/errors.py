"""API errors and the one middleware that maps every failure to a JSON error body."""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict

from aiohttp import web

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the client caused (or may retry); rendered as {"error": {...}}."""

    def __init__(self, status: int, code: str, message: str, headers: Dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: Dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(exc.status, "http_error")
        return error_response(exc.status, code, exc.reason)
    except Exception:  # noqa: BLE001 - the process must survive any request
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Interner Fehler. Bitte versuchen Sie es erneut.")


async def json_body(request: web.Request) -> Dict[str, Any]:
    """The request's JSON object, or a 4xx ApiError explaining what is wrong."""
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "Content-Type muss application/json sein.")
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "Der Request-Body ist kein gültiges JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "Der Request-Body muss ein JSON-Objekt sein.")
    return body


def text_field(body: Dict[str, Any], name: str, max_length: int, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ApiError(422, "invalid_field", f"'{name}' muss ein Text sein.")
    value = value.strip()
    if not value:
        raise ApiError(422, "empty_text", f"'{name}' darf nicht leer sein.")
    if len(value) > max_length:
        raise ApiError(413, "text_too_long", f"'{name}' ist länger als {max_length} Zeichen.")
    return value
