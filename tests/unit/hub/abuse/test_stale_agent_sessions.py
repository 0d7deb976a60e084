"""Stolen or stale agent sessions: a token that leaked (a proxy log, a shared machine, an old
browser tab) must stop working when the agent logs out, logs out everywhere, changes the password
or turns two-factor on or off, or when it expires; websockets open only with single-use 30-second
tickets, never with a token in the URL, and close when their session ends."""

from __future__ import annotations

import time
from datetime import timedelta

import aiohttp
import pyotp
import pytest
from sqlalchemy import update

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.store.models import Agent, AgentSession, WsTicket, utcnow
from tests.unit.hub.conftest import auth, change, row, rows, start
from tests.unit.hub.test_agent_security import (
    agent_id,
    agent_socket,
    bearer,
    closed_with,
    login,
)


async def test_agent_websocket_needs_a_single_use_ticket(client, team):
    ws = await agent_socket(client, team["eva"])
    hello = await ws.receive_json(timeout=5)
    assert hello["type"] == "queue"
    await ws.close()
    resp = await client.post("/api/v1/agent/ws-ticket", headers=team["eva"])
    ticket = (await resp.json())["ticket"]
    assert (await resp.json())["expires_in"] == 30
    plain = await client.get(
        f"/api/v1/agent/ws?ticket={ticket}"
    )  # not an upgrade: the ticket stays valid
    assert plain.status == 400
    ws = await client.ws_connect(f"/api/v1/agent/ws?ticket={ticket}")
    await ws.close()
    for url in (
        f"/api/v1/agent/ws?ticket={ticket}",  # used
        f"/api/v1/agent/ws?token={team['eva']['Authorization'][7:]}",  # the bearer token is no ticket
        "/api/v1/agent/ws",
    ):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url)
        assert refused.value.status == 401, url


async def test_expired_ticket_is_refused(client, team):
    ticket = (await (await client.post("/api/v1/agent/ws-ticket", headers=team["eva"])).json())[
        "ticket"
    ]
    await change(client, update(WsTicket).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"/api/v1/agent/ws?ticket={ticket}")
    assert refused.value.status == 401


async def test_customer_websocket_uses_tickets_not_tokens(client):
    client.app[
        SETTINGS
    ].ws_query_token = False  # KD_WS_QUERY_TOKEN=0: the contract's old form switched off
    conv, other = await start(client), await start(client)
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    with pytest.raises(
        aiohttp.WSServerHandshakeError
    ) as refused:  # the long-lived token is not accepted in URLs
        await client.ws_connect(f"{base}/ws?token={conv['token']}")
    assert refused.value.status == 401
    resp = await client.post(
        f"{base}/ws-ticket", headers=auth(other)
    )  # the other conversation's token
    assert resp.status == 401
    resp = await client.post(f"{base}/ws-ticket", headers=auth(conv))
    assert resp.status == 201
    ticket = (await resp.json())["ticket"]
    with pytest.raises(aiohttp.WSServerHandshakeError):  # a ticket opens only its own conversation
        await client.ws_connect(
            f"/api/v1/conversations/{other['conversation_id']}/ws?ticket={ticket}"
        )
    ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    ws = await client.ws_connect(f"{base}/ws?ticket={ticket}")
    await client.post(f"{base}/messages", json={"text": "Hallo"}, headers=auth(conv))
    assert (await ws.receive_json(timeout=5))["message"]["text"] == "Hallo"
    await ws.close()
    with pytest.raises(aiohttp.WSServerHandshakeError):  # once only
        await client.ws_connect(f"{base}/ws?ticket={ticket}")


async def test_the_contracts_token_url_works_until_switched_off(client):
    """DESIGN.md's public contract opens the customer websocket with ?token=; KD_WS_QUERY_TOKEN=0 ends that."""
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/ws?token={conv['token']}"
    ws = await client.ws_connect(url)
    await ws.close()
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect(f"/api/v1/conversations/{conv['conversation_id']}/ws?token=wrong")
    client.app[SETTINGS].ws_query_token = False
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect(url)


async def test_tickets_do_not_cross_sides(client, team):
    conv = await start(client)
    agent_ticket = (
        await (await client.post("/api/v1/agent/ws-ticket", headers=team["eva"])).json()
    )["ticket"]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect(
            f"/api/v1/conversations/{conv['conversation_id']}/ws?ticket={agent_ticket}"
        )
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    customer_ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())[
        "ticket"
    ]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect(f"/api/v1/agent/ws?ticket={customer_ticket}")


async def test_agent_websocket_closes_on_logout(client, team):
    ws = await agent_socket(client, team["eva"])
    other = await agent_socket(client, team["tom"])
    assert (await client.post("/api/v1/agent/logout", headers=team["eva"])).status == 200
    assert await closed_with(ws) == 4001
    assert await closed_with(other, timeout=0.5) is None  # Tom's socket stays
    await other.close()


async def test_agent_websocket_closes_on_deactivation(client, team):
    ws = await agent_socket(client, team["tom"])
    await ws.receive_json(timeout=5)
    resp = await client.post(
        f"/api/v1/agent/agents/{await agent_id(client, 'tom')}/deactivate", headers=team["chefin"]
    )
    assert resp.status == 200
    assert await closed_with(ws) == 4001
    assert (await client.get("/api/v1/agent/me", headers=team["tom"])).status == 401


async def test_agent_websocket_closes_when_the_session_expires(client, team):
    client.app[SETTINGS].agent_ws_recheck_seconds = 0.2
    ws = await agent_socket(client, team["eva"])
    await ws.receive_json(timeout=5)
    await change(client, update(AgentSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert await closed_with(ws, timeout=3) == 4001


async def test_agent_websocket_closes_on_logout_everywhere(client, team):
    second = bearer((await (await login(client, "eva")).json())["token"])
    ws = await agent_socket(client, second)
    resp = await client.post("/api/v1/agent/logout-all", headers=team["eva"])
    assert resp.status == 200 and (await resp.json())["sessions"] == 2
    assert await closed_with(ws) == 4001
    for headers in (team["eva"], second):
        assert (await client.get("/api/v1/agent/me", headers=headers)).status == 401


async def test_change_password_needs_the_old_one_and_ends_other_sessions(client, team):
    second = bearer((await (await login(client, "eva")).json())["token"])
    url = "/api/v1/agent/password"
    wrong = await client.post(
        url, json={"old_password": "falsch", "new_password": "ganzneu123"}, headers=team["eva"]
    )
    assert wrong.status == 403 and (await wrong.json())["error"]["code"] == "wrong_password"
    short = await client.post(
        url, json={"old_password": "geheim123", "new_password": "kurz"}, headers=team["eva"]
    )
    assert short.status == 422
    ok = await client.post(
        url, json={"old_password": "geheim123", "new_password": "ganzneu123"}, headers=team["eva"]
    )
    assert ok.status == 200 and (await ok.json())["sessions_ended"] == 1
    assert (
        await client.get("/api/v1/agent/me", headers=team["eva"])
    ).status == 200  # this session stays
    assert (await client.get("/api/v1/agent/me", headers=second)).status == 401
    assert (await login(client, "eva", "geheim123")).status == 401
    assert (await login(client, "eva", "ganzneu123")).status == 200
    assert (await row(client, Agent, await agent_id(client, "eva"))).password_changed_at is not None


async def test_expired_sessions_are_pruned_and_deleted_at_login(client, team):
    repo = client.app[REPO]
    eva, tom = await agent_id(client, "eva"), await agent_id(client, "tom")
    await change(
        client,
        update(AgentSession)
        .where(AgentSession.agent_id.in_([eva, tom]))
        .values(expires_at=utcnow() - timedelta(minutes=1)),
    )
    await client.post("/api/v1/agent/ws-ticket", headers=team["sue"])
    await change(client, update(WsTicket).values(expires_at=utcnow() - timedelta(minutes=1)))
    assert (await login(client, "eva")).status == 200  # Eva's expired session goes with her login
    assert len(await rows(client, AgentSession, AgentSession.agent_id == eva)) == 1
    assert len(await rows(client, AgentSession, AgentSession.agent_id == tom)) == 1
    assert await repo.prune_sessions(utcnow()) == 1  # Tom's
    assert await rows(client, AgentSession, AgentSession.agent_id == tom) == []
    assert await rows(client, WsTicket) == []
    assert len(await rows(client, AgentSession)) == 3  # Eva's new one, Sue's, Chefin's


async def test_turning_two_factor_on_or_off_ends_the_other_sessions(client, team, monkeypatch):
    """A session opened elsewhere with the password alone must not outlive the change."""
    from bot.hub.accounts import totp as totp_module

    stolen = bearer((await (await login(client, "eva")).json())["token"])
    enroll = await client.post(
        "/api/v1/agent/2fa/enroll", json={"password": "geheim123"}, headers=team["eva"]
    )
    totp = pyotp.TOTP((await enroll.json())["secret"])
    on = await client.post(
        "/api/v1/agent/2fa/confirm", json={"code": totp.now()}, headers=team["eva"]
    )
    assert on.status == 200
    assert (await client.get("/api/v1/agent/me", headers=stolen)).status == 401
    assert (await client.get("/api/v1/agent/me", headers=team["eva"])).status == 200

    later = time.time() + 60  # a code after the one used to confirm
    monkeypatch.setattr(totp_module, "wall_clock", lambda: later)
    stolen = bearer((await (await login(client, "eva", otp=totp.at(later))).json())["token"])
    off = await client.post(
        "/api/v1/agent/2fa/disable",
        json={"password": "geheim123", "code": totp.at(later + 30)},
        headers=team["eva"],
    )
    assert off.status == 200, await off.text()
    assert (await client.get("/api/v1/agent/me", headers=stolen)).status == 401
    assert (await client.get("/api/v1/agent/me", headers=team["eva"])).status == 200
