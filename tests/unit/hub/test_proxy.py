"""X-Forwarded-For counts only from trusted proxies, read from the right."""

from __future__ import annotations

from aiohttp import web

from bot.hub.ratelimit import RateLimiter
from bot.hub.web.errors import error_middleware
from bot.hub.web.proxy import client_ip, networks, proxy_middleware

TRUSTED = networks(["127.0.0.1", "10.0.0.0/8"])


def test_untrusted_peer_keeps_its_address_whatever_it_claims() -> None:
    assert client_ip("203.0.113.9", ["1.2.3.4"], TRUSTED) == "203.0.113.9"


def test_trusted_proxy_vouches_for_the_right_most_untrusted_hop() -> None:
    # The client prefilled "6.6.6.6"; nginx appended the real peer 198.51.100.7; an inner proxy 10.0.0.5.
    assert client_ip("127.0.0.1", ["6.6.6.6, 198.51.100.7", "10.0.0.5"], TRUSTED) == "198.51.100.7"
    assert client_ip("127.0.0.1", [], TRUSTED) == "127.0.0.1"
    assert client_ip("127.0.0.1", ["not-an-ip"], TRUSTED) == "127.0.0.1"
    assert client_ip("127.0.0.1", ["2001:db8::1"], TRUSTED) == "2001:db8::1"


async def test_two_customers_behind_one_proxy_get_their_own_rate_limit(aiohttp_client) -> None:
    """Behind the proxy every request comes from 127.0.0.1: with the proxy trusted, limits are per customer."""
    limiter = RateLimiter(2, 60.0)

    async def handler(request: web.Request) -> web.Response:
        limiter.check(f"ip:{request.remote}")
        return web.json_response({"remote": request.remote})

    async def client_for(trusted: list[str]):
        app = web.Application(middlewares=[proxy_middleware(trusted), error_middleware])
        app.router.add_get("/", handler)
        return await aiohttp_client(app)

    behind_proxy = await client_for(["127.0.0.1"])
    for customer in ("198.51.100.1", "198.51.100.2"):
        for _ in range(2):
            resp = await behind_proxy.get("/", headers={"X-Forwarded-For": customer})
            assert resp.status == 200 and (await resp.json())["remote"] == customer
    resp = await behind_proxy.get("/", headers={"X-Forwarded-For": "198.51.100.1"})
    assert resp.status == 429 and "Retry-After" in resp.headers

    limiter._tat.clear()
    untrusted = await client_for(
        []
    )  # no proxy configured: the header is ignored, everyone is the peer
    statuses = [
        (await untrusted.get("/", headers={"X-Forwarded-For": f"198.51.100.{i}"})).status
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
