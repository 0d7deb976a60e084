"""Spoofed X-Forwarded-For: per-client limits key on the client's address, so a client that could
choose its address (a made-up X-Forwarded-For on every request) would get fresh limits each time,
and behind a proxy that the hub does not trust every customer would share the proxy's one limit.
X-Forwarded-For counts only from the proxies in KD_TRUSTED_PROXIES and is read from the right: the
first address a trusted proxy vouches for is the client, whatever the client prefilled."""

from __future__ import annotations

from bot.hub.app import init_app
from bot.hub.store.models import Conversation
from bot.hub.web.proxy import client_ip, networks
from tests.unit.hub.conftest import rows

TRUSTED = networks(["127.0.0.1", "10.0.0.0/8"])


def test_untrusted_peer_keeps_its_address_whatever_it_claims() -> None:
    assert client_ip("203.0.113.9", ["1.2.3.4"], TRUSTED) == "203.0.113.9"


def test_trusted_proxy_vouches_for_the_right_most_untrusted_hop() -> None:
    # The client prefilled "6.6.6.6"; nginx appended the real peer 198.51.100.7; an inner proxy 10.0.0.5.
    assert client_ip("127.0.0.1", ["6.6.6.6, 198.51.100.7", "10.0.0.5"], TRUSTED) == "198.51.100.7"
    assert client_ip("127.0.0.1", [], TRUSTED) == "127.0.0.1"
    assert client_ip("127.0.0.1", ["not-an-ip"], TRUSTED) == "127.0.0.1"
    assert client_ip("127.0.0.1", ["2001:db8::1"], TRUSTED) == "2001:db8::1"


async def test_two_customers_behind_one_proxy_get_their_own_limit(aiohttp_client, settings):
    """Behind the proxy every request comes from 127.0.0.1: with the proxy trusted, limits are per
    customer."""
    settings.trusted_proxies, settings.rate_client = ["127.0.0.1"], (2, 60.0)
    client = await aiohttp_client(init_app(settings))
    for customer in ("198.51.100.1", "198.51.100.2"):
        for _ in range(2):
            resp = await client.post(
                "/api/v1/conversations", json={}, headers={"X-Forwarded-For": customer}
            )
            assert resp.status == 201
    resp = await client.post(
        "/api/v1/conversations", json={}, headers={"X-Forwarded-For": "198.51.100.1"}
    )
    assert resp.status == 429 and "Retry-After" in resp.headers


async def test_a_prefilled_forwarded_for_buys_no_fresh_limit(aiohttp_client, settings):
    """The client prefills a new address on every request; nginx appends the real one."""
    settings.trusted_proxies, settings.rate_client = ["127.0.0.1"], (2, 60.0)
    client = await aiohttp_client(init_app(settings))
    statuses = [
        (
            await client.post(
                "/api/v1/conversations",
                json={},
                headers={"X-Forwarded-For": f"203.0.113.{i}, 198.51.100.7"},
            )
        ).status
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert len(await rows(client, Conversation)) == 2


async def test_without_a_trusted_proxy_the_header_is_ignored(aiohttp_client, settings):
    """No proxy configured: everyone is the peer, whatever address the header claims."""
    settings.trusted_proxies, settings.rate_client = [], (2, 60.0)
    client = await aiohttp_client(init_app(settings))
    statuses = [
        (
            await client.post(
                "/api/v1/conversations", json={}, headers={"X-Forwarded-For": f"198.51.100.{i}"}
            )
        ).status
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
