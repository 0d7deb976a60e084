"""Threat: an IPv6 customer holds a whole /64 and may use a new address in it for every request, so
limits keyed on the full address start afresh each time: unlimited messages, callback tickets,
queue-jumping urgent handoffs, websockets, and a fresh verification lock (the client tag Rasa gets).

Every per-client limit and the client tag key on the /64 (KD_CLIENT_IPV6_PREFIX); IPv4 addresses count
as they are (issue 23.7).
"""

from __future__ import annotations

import itertools
from typing import Any, Dict, List

import pytest
from aiohttp import WSServerHandshakeError

from bot.hub.app import init_app
from bot.hub.store.models import Handoff, Ticket
from bot.hub.web.proxy import client_key
from tests.unit.hub.conftest import auth, rows

NETWORK = "2001:db8:4711:42"  # the attacker's /64
hosts = (f"{NETWORK}::{n:x}" for n in itertools.count(1))


def hop() -> Dict[str, str]:
    """A request from the next address of the attacker's /64 (the hub sits behind a trusted proxy)."""
    return {"X-Forwarded-For": next(hosts)}


@pytest.fixture()
def settings(settings):
    settings.trusted_proxies = ["127.0.0.1"]
    settings.ws_per_client = 2
    return settings


async def start(client) -> Dict[str, Any]:
    resp = await client.post("/api/v1/conversations", json={"channel": "webchat"}, headers=hop())
    assert resp.status == 201
    return await resp.json()


def with_hop(conv: Dict[str, Any]) -> Dict[str, str]:
    return {**auth(conv), **hop()}


async def test_new_addresses_in_one_64_share_the_message_limit(aiohttp_client, settings):
    settings.rate_client = (6, 60.0)
    client = await aiohttp_client(init_app(settings))
    conv = await start(client)  # 1
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    statuses = [
        (await client.post(url, json={"text": f"Hallo {i}"}, headers=with_hop(conv))).status
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    # another network is another client; an IPv4 client keeps its own limit
    for other in ("2001:db8:4711:43::1", "198.51.100.7"):
        resp = await client.post(
            url, json={"text": "Hallo"}, headers={**auth(conv), "X-Forwarded-For": other}
        )
        assert resp.status == 200, other


async def test_callback_tickets_are_capped_for_the_whole_64(client):
    statuses = []
    for i in range(6):  # a new conversation and a new address each time
        conv = await start(client)
        resp = await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/callback",
            json={"contact": f"0171 12345{i}"},
            headers=with_hop(conv),
        )
        statuses.append(resp.status)
    assert statuses[-1] == 429  # KD_RATE_CALLBACK: 5 per hour and client
    assert len(await rows(client, Ticket)) == 5


async def test_urgent_handoffs_are_capped_for_the_whole_64(client, fake_rasa):
    def angry(sender: str, text: str) -> List[Dict[str, Any]]:
        handoff = {"reason": "frustration", "priority": "urgent", "summary": {}}
        return [{"recipient_id": sender, "custom": {"handoff": handoff}}]

    fake_rasa.answer = angry
    for _ in range(3):
        conv = await start(client)
        resp = await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": "Das ist eine Frechheit!"},
            headers=with_hop(conv),
        )
        assert resp.status == 200
    priorities = [h.priority for h in await rows(client, Handoff, order_by=Handoff.id)]
    assert priorities == ["urgent", "urgent", "normal"]  # KD_RATE_URGENT: 2 per hour and client


async def test_rasa_gets_one_client_tag_for_the_whole_64(client, fake_rasa):
    """The tag is what the verification lock per network counts on (actions/verification.py)."""
    tags = []
    for _ in range(3):
        conv = await start(client)
        await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": "Wo ist meine Bestellung?"},
            headers=with_hop(conv),
        )
        tags.append(fake_rasa.received[-1]["metadata"]["client"])
    assert tags[0] and len(set(tags)) == 1


async def test_websockets_are_capped_for_the_whole_64(client):
    async def open_socket():
        conv = await start(client)
        base = f"/api/v1/conversations/{conv['conversation_id']}"
        ticket = (await (await client.post(f"{base}/ws-ticket", headers=with_hop(conv))).json())[
            "ticket"
        ]
        return await client.ws_connect(f"{base}/ws?ticket={ticket}", headers=hop())

    sockets = [await open_socket(), await open_socket()]  # KD_WS_PER_CLIENT here: 2
    with pytest.raises(WSServerHandshakeError) as refused:
        await open_socket()
    assert refused.value.status == 429
    for ws in sockets:
        await ws.close()


def test_the_client_key():
    assert client_key("2001:db8:4711:42::1") == client_key("2001:db8:4711:42:ffff::9")
    assert client_key("2001:db8:4711:42::1") == "2001:db8:4711:42::/64"
    assert client_key("2001:db8:4711:42::1", 48) == "2001:db8:4711::/48"
    assert client_key("2001:db8:4711:42::1", 128) == "2001:db8:4711:42::1"
    assert client_key("fe80::1%eth0") == "fe80::/64"
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7"  # a dual-stack socket's IPv4 client
    assert client_key("198.51.100.7") == "198.51.100.7"
    assert client_key(None) == "unknown" and client_key("unix-socket") == "unix-socket"
