"""bot/shop/http.py: the deadline holds, retries back off, rate limits are honoured, TLS and
credentials are the operator's errors - against a small local aiohttp server."""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Dict, List

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.shop.backend import NotAllowed, NotFound, ShopConfigError, ShopUnavailable
from bot.shop.http import ShopHttp, raise_for


class Script:
    """Answers each call with the next (status, headers, delay) and records the headers seen."""

    def __init__(self) -> None:
        self.answers: List[tuple[int, Dict[str, str], float]] = []
        self.seen: List[Dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append(dict(request.headers))
        status, headers, delay = self.answers.pop(0) if self.answers else (200, {}, 0.0)
        if delay:
            await asyncio.sleep(delay)
        return web.json_response({"ok": status}, status=status, headers=headers)


@pytest.fixture()
async def server() -> AsyncIterator[tuple[Script, str]]:
    script = Script()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", script.handle)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    yield script, str(test_server.make_url("")).rstrip("/")
    await test_server.close()


def client(url: str, **kwargs: object) -> ShopHttp:
    return ShopHttp(url, **{"timeout": 2.0, "backoff": 0.01, **kwargs})  # type: ignore[arg-type]


async def test_5xx_and_429_are_retried_then_answered(server: tuple[Script, str]) -> None:
    script, url = server
    script.answers = [(503, {}, 0), (429, {"Retry-After": "0"}, 0), (200, {}, 0)]
    http = client(url)
    response = await http.request("GET", "/x")
    assert response.status == 200 and response.body == {"ok": 200} and len(script.seen) == 3
    await http.close()


async def test_the_deadline_holds_however_slow_the_shop(server: tuple[Script, str]) -> None:
    script, url = server
    script.answers = [(200, {}, 5.0)]
    http = client(url, timeout=0.3, max_attempts=1)
    with pytest.raises(ShopUnavailable):
        await http.request("GET", "/slow")
    script.answers = [(429, {"Retry-After": "30"}, 0)]  # a wait past the deadline is not waited
    with pytest.raises(ShopUnavailable):
        await http.request("GET", "/x")
    await http.close()


async def test_writes_without_retry_are_not_repeated_after_a_5xx(
    server: tuple[Script, str],
) -> None:
    script, url = server
    script.answers = [(502, {}, 0), (200, {}, 0)]
    http = client(url)
    with pytest.raises(ShopUnavailable):
        await http.request("POST", "/cancel", json_body={}, retry=False)
    assert len(script.seen) == 1
    await http.close()


async def test_a_401_refreshes_the_token_once(server: tuple[Script, str]) -> None:
    script, url = server
    asked: List[bool] = []

    async def auth(refresh: bool) -> Dict[str, str]:
        asked.append(refresh)
        return {"Authorization": "Bearer new" if refresh else "Bearer old"}

    script.answers = [(401, {}, 0), (200, {}, 0)]
    http = client(url, auth=auth)
    assert (await http.request("GET", "/x")).status == 200
    assert asked == [False, True] and script.seen[-1]["Authorization"] == "Bearer new"
    script.answers = [(401, {}, 0), (401, {}, 0)]
    with pytest.raises(ShopConfigError) as info:
        await http.request("GET", "/x")
    assert info.value.reason == "credentials"
    await http.close()


async def test_nobody_listening_is_unavailable_and_a_bad_url_is_refused() -> None:
    http = client("http://127.0.0.1:9", max_attempts=2)  # the discard port: refused
    with pytest.raises(ShopUnavailable):
        await http.request("GET", "/x")
    await http.close()
    with pytest.raises(ShopConfigError):
        ShopHttp("shop.example.de")


def test_default_meaning_of_error_statuses() -> None:
    from bot.shop.http import Response

    for status, error in (
        (403, ShopConfigError),
        (404, NotFound),
        (409, NotAllowed),
        (500, ShopUnavailable),
    ):
        with pytest.raises(error):
            raise_for(Response(status, {}, None, "GET", "/x"))


async def test_an_untrusted_certificate_is_a_tls_error(tls_server: str) -> None:
    http = client(tls_server)
    with pytest.raises(ShopConfigError) as info:
        await http.request("GET", "/x")
    assert info.value.reason == "tls"
    await http.close()
