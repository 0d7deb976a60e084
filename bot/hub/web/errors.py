"""The one place that turns failures into HTTP: domain errors -> status + {"error": {...}}."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Dict, Type

from aiohttp import web

from bot.hub.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    TooLong,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Most specific first: TooLong is an InvalidInput with its own status.
STATUS: Dict[Type[DomainError], int] = {
    TooLong: 413,
    InvalidInput: 422,
    MalformedRequest: 400,
    AuthenticationFailed: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    UnsupportedMediaType: 415,
    RateLimited: 429,
}
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}
JSON_PATHS = ("/api/", "/webhooks/")  # machine clients: every error is {"error": {...}}


def status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(error, kind)), 400)


def error_response(
    status: int, code: str, message: str, headers: Dict[str, str] | None = None
) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message}}, status=status, headers=headers
    )


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as exc:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return error_response(status_of(exc), exc.code, exc.message, headers)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith(JSON_PATHS):
            raise
        # RFC 9110: a 405 names the methods the resource has
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(
            exc.status, HTTP_CODES.get(exc.status, "http_error"), exc.reason, headers
        )
    except Exception:  # noqa: BLE001 - the process must survive any request
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            500, "internal_error", "Interner Fehler. Bitte versuchen Sie es erneut."
        )
