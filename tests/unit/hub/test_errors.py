"""The one error middleware: domain errors to status codes and JSON bodies, nothing else leaks."""

import pytest
from aiohttp import web

from bot.hub import errors
from bot.hub.web.errors import error_middleware

CASES = [
    (errors.NotFound("x_not_found", "weg"), 404),
    (errors.AuthenticationFailed("unauthenticated", "wer?"), 401),
    (errors.PermissionDenied("forbidden", "nein"), 403),
    (errors.Conflict("already_claimed", "schon"), 409),
    (errors.InvalidInput("invalid_field", "falsch"), 422),
    (errors.TooLong("text_too_long", "lang"), 413),
    (errors.MalformedRequest("invalid_json", "kaputt"), 400),
    (errors.UnsupportedMediaType("unsupported_media_type", "json bitte"), 415),
    (errors.RateLimited("rate_limited", "langsam", 7), 429),
]


def app_raising(exc: Exception) -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        raise exc

    app = web.Application(middlewares=[error_middleware])
    app.router.add_get("/api/v1/boom", handler)
    return app


@pytest.mark.parametrize("exc, status", CASES, ids=[type(e).__name__ for e, _ in CASES])
async def test_domain_errors_map_to_their_status(aiohttp_client, exc, status):
    client = await aiohttp_client(app_raising(exc))
    resp = await client.get("/api/v1/boom")
    assert resp.status == status
    assert await resp.json() == {"error": {"code": exc.code, "message": exc.message}}
    assert resp.headers.get("Retry-After") == ("7" if status == 429 else None)


async def test_an_unexpected_error_is_a_json_500_and_the_server_keeps_serving(aiohttp_client):
    client = await aiohttp_client(app_raising(ZeroDivisionError("bug")))
    for _ in range(2):
        resp = await client.get("/api/v1/boom")
        assert resp.status == 500 and (await resp.json())["error"]["code"] == "internal_error"


async def test_unknown_api_paths_get_a_json_404(aiohttp_client):
    client = await aiohttp_client(app_raising(ZeroDivisionError()))
    resp = await client.get("/api/v1/nothing-here")
    assert resp.status == 404 and (await resp.json())["error"]["code"] == "not_found"
