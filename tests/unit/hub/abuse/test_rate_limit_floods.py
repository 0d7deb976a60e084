"""Floods: one client sending messages, reading transcripts, opening websockets, requesting callbacks
(each one a ticket for the team) or escalating urgently (jumping the queue) as fast as it can, from
one conversation or from many. Limits per conversation and per client refuse the excess with 429
and Retry-After before anything is stored or sent to Rasa; websockets are capped per conversation
and per client."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from aiohttp import WSMsgType, WSServerHandshakeError

from bot.hub.app import init_app
from bot.hub.store.models import Handoff, Message, Ticket
from tests.unit.hub.conftest import auth, rows, start


async def test_rate_limit_per_conversation(aiohttp_client, settings):
    settings.rate_conversation = (2, 60.0)
    client = await aiohttp_client(init_app(settings))
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    for _ in range(2):
        assert (await client.post(url, json={"text": "hi"}, headers=auth(conv))).status == 200
    resp = await client.post(url, json={"text": "hi"}, headers=auth(conv))
    assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1


async def test_messages_sprayed_over_many_conversations_hit_the_client_limit(
    aiohttp_client, settings, fake_rasa
):
    """A new conversation per message resets the conversation's limit, not the client's."""
    settings.rate_client = (6, 60.0)
    client = await aiohttp_client(init_app(settings))
    convs = [await start(client) for _ in range(3)]  # 3 (creating counts too)
    statuses = [
        (
            await client.post(
                f"/api/v1/conversations/{conv['conversation_id']}/messages",
                json={"text": "Hallo"},
                headers=auth(conv),
            )
        ).status
        for conv in convs * 2
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert len(fake_rasa.received) == 3
    assert len(await rows(client, Message, Message.sender == "customer")) == 3
    refused = await client.post("/api/v1/conversations", json={"channel": "webchat"})
    assert refused.status == 429 and "Retry-After" in refused.headers


async def test_callback_requests_are_throttled_per_conversation_and_client(client):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/callback"
    statuses = [
        (await client.post(url, json={"contact": f"0171 12345{i}"}, headers=auth(conv))).status
        for i in range(6)
    ]
    assert statuses == [201] * 5 + [429]  # KD_RATE_CALLBACK default: 5 per hour
    assert len(await rows(client, Ticket)) == 5  # the refused one created nothing
    other = await start(client)  # a new conversation from the same address does not reset it
    resp = await client.post(
        f"/api/v1/conversations/{other['conversation_id']}/callback",
        json={"contact": "0171 999"},
        headers=auth(other),
    )
    assert resp.status == 429 and "Retry-After" in resp.headers


async def test_one_client_cannot_jump_the_queue_from_many_conversations(client, fake_rasa):
    def angry(sender: str, text: str) -> List[Dict[str, Any]]:
        return [
            {
                "recipient_id": sender,
                "custom": {
                    "handoff": {
                        "reason": "frustration",
                        "reason_label": "Kunde ist verärgert",
                        "priority": "urgent",
                        "summary": {"topic": "Lieferstatus"},
                    }
                },
            }
        ]

    fake_rasa.answer = angry
    for _ in range(3):
        conv = await start(client)
        resp = await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": "Das ist eine Frechheit!"},
            headers=auth(conv),
        )
        assert resp.status == 200
    priorities = [h.priority for h in await rows(client, Handoff, order_by=Handoff.id)]
    assert priorities == [
        "urgent",
        "urgent",
        "normal",
    ]  # KD_RATE_URGENT default: 2 per hour and client
    capped = (await rows(client, Handoff, order_by=Handoff.id))[-1]
    assert capped.reason == "frustration"  # still escalated, only without the jump


async def open_socket(client, conv):
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    return await client.ws_connect(f"{base}/ws?ticket={ticket}")


async def test_customer_websockets_are_capped_per_conversation(client):
    conv = await start(client)
    sockets = [
        await open_socket(client, conv) for _ in range(5)
    ]  # KD_WS_PER_CONVERSATION default: 5
    with pytest.raises(WSServerHandshakeError) as refused:
        await open_socket(client, conv)
    assert refused.value.status == 429
    await sockets[0].close()
    await asyncio.sleep(0.1)
    sockets[0] = await open_socket(client, conv)  # a closed one frees its place
    for ws in sockets:
        await ws.close()


async def test_customer_websockets_are_capped_per_client(aiohttp_client, settings):
    settings.ws_per_client = 3
    client = await aiohttp_client(init_app(settings))
    sockets = [await open_socket(client, await start(client)) for _ in range(3)]
    with pytest.raises(WSServerHandshakeError) as refused:
        await open_socket(client, await start(client))
    assert refused.value.status == 429
    for ws in sockets:
        await ws.close()


async def test_an_open_socket_closes_when_the_chat_is_ended(aiohttp_client, settings):
    settings.agent_ws_recheck_seconds = 0.2
    client = await aiohttp_client(init_app(settings))
    conv = await start(client)
    ws = await open_socket(client, conv)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/end", headers=auth(conv)
    )
    assert resp.status == 200
    while True:  # frames about the ending may come first; then the server closes the socket
        msg = await asyncio.wait_for(ws.receive(), 5)
        if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            break
    assert ws.close_code == 4001


async def test_transcript_reads_and_websocket_tickets_count_against_the_client_limit(
    aiohttp_client, settings
):
    settings.rate_client = (4, 60.0)
    client = await aiohttp_client(init_app(settings))
    conv = await start(client)  # 1 (creating a conversation counts too)
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    assert (await client.get(f"{base}/messages", headers=auth(conv))).status == 200  # 2
    assert (await client.post(f"{base}/ws-ticket", headers=auth(conv))).status == 201  # 3
    assert (await client.get(f"{base}/messages", headers=auth(conv))).status == 200  # 4
    for refused in (
        await client.get(f"{base}/messages", headers=auth(conv)),
        await client.post(f"{base}/ws-ticket", headers=auth(conv)),
    ):
        assert refused.status == 429 and "Retry-After" in refused.headers


async def test_a_du_customer_is_refused_in_du(client):
    """The widget shows the 429 text as it is: a customer who says du must not suddenly read Sie."""
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "kannst du mir helfen?"},
        headers=auth(conv),
    )
    assert (await resp.json())["register"] == "du"
    url = f"/api/v1/conversations/{conv['conversation_id']}/callback"
    for i in range(5):
        assert (
            await client.post(url, json={"contact": f"0171 12345{i}"}, headers=auth(conv))
        ).status == 201
    refused = await client.post(url, json={"contact": "0171 999"}, headers=auth(conv))
    assert refused.status == 429
    text = (await refused.json())["error"]["message"]
    assert text.startswith("Du hast schon mehrere Rückrufwünsche") and "Sie " not in text
    sie = await start(client)  # same address, Sie: refused in Sie
    refused = await client.post(
        f"/api/v1/conversations/{sie['conversation_id']}/callback",
        json={"contact": "0171 998"},
        headers=auth(sie),
    )
    assert (await refused.json())["error"]["message"].startswith(
        "Sie haben schon mehrere Rückrufwünsche"
    )
