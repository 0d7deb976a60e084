"""Agent security (issue 11): login throttle and bounded argon2, websocket tickets, the visibility
policy, account lifecycle with two-factor - against the real hub app (fake Rasa), on SQLite and
PostgreSQL. The attacks on passwords, sessions and visibility are in tests/unit/hub/abuse/."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any, Dict, List

import aiohttp
import pyotp
import pytest
from sqlalchemy import update

from bot.hub.accounts import totp as totp_module
from bot.hub.accounts.agents import create_agent, issue_enrolment_code
from bot.hub.accounts.throttle import backoff
from bot.hub.accounts.totp import totp_step
from bot.hub.handoff.visibility import can_see
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.store.models import Agent, AgentSession, AuditEntry, utcnow
from tests.unit.hub.conftest import BUSINESS_HOURS, auth, change, row, rows, start

PASSWORDS = {"eva": "geheim123", "tom": "geheim456", "sue": "geheim000", "chefin": "geheim789"}
ROLES = {"eva": "agent", "tom": "agent", "sue": "supervisor", "chefin": "admin"}


def email(name: str) -> str:
    return f"{name}@shop.de"


async def login(
    client, name: str, password: str | None = None, otp: str | None = None
) -> aiohttp.ClientResponse:
    body: Dict[str, Any] = {
        "email": email(name) if "@" not in name else name,
        "password": PASSWORDS.get(name, "") if password is None else password,
    }
    if otp is not None:
        body["otp"] = otp
    return await client.post("/api/v1/agent/login", json=body)


def bearer(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
async def team(client) -> Dict[str, Dict[str, str]]:
    """Eva and Tom (agents), Sue (supervisor), Chefin (admin), all logged in; business hours."""
    repo = client.app[REPO]
    for name, role in ROLES.items():
        await create_agent(repo, email(name), name.capitalize(), PASSWORDS[name], role)
    client.app[QUEUE].clock = lambda: BUSINESS_HOURS
    headers = {}
    for name in ROLES:
        resp = await login(client, name)
        assert resp.status == 200, await resp.text()
        headers[name] = bearer((await resp.json())["token"])
    return headers


async def agent_id(client, name: str) -> int:
    agent = await client.app[REPO].agent_by_email(email(name), active_only=False)
    assert agent is not None
    return agent.id


async def queued_conversation(client) -> Dict[str, Any]:
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich will einen Menschen"},
        headers=auth(conv),
    )
    assert resp.status == 200
    return conv


async def claimed_by(client, headers: Dict[str, str]) -> Dict[str, Any]:
    conv = await queued_conversation(client)
    resp = await client.post(
        f"/api/v1/agent/conversations/{conv['conversation_id']}/claim", headers=headers
    )
    assert resp.status == 200
    return conv


async def agent_socket(client, headers: Dict[str, str]) -> aiohttp.ClientWebSocketResponse:
    resp = await client.post("/api/v1/agent/ws-ticket", headers=headers)
    assert resp.status == 201, await resp.text()
    return await client.ws_connect(f"/api/v1/agent/ws?ticket={(await resp.json())['ticket']}")


async def closed_with(ws: aiohttp.ClientWebSocketResponse, timeout: float = 5.0) -> int | None:
    """Reads until the server closes the socket; its close code (None: still open after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = await ws.receive(timeout=deadline - time.monotonic())
        except asyncio.TimeoutError:
            return None
        if msg.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSING,
        ):
            return ws.close_code
    return None


async def frames_until(
    ws: aiohttp.ClientWebSocketResponse, done, timeout: float = 5.0
) -> List[Dict[str, Any]]:
    """Frames until `done(frame)` is true (inclusive)."""
    seen: List[Dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        frame = await ws.receive_json(timeout=max(0.1, deadline - time.monotonic()))
        seen.append(frame)
        if done(frame):
            return seen


def message_text(frame: Dict[str, Any]) -> str | None:
    return frame["message"].get("text") if frame.get("type") == "message" else None


async def audit_actions(client, action: str | None = None) -> List[AuditEntry]:
    where = [AuditEntry.action == action] if action else []
    return await rows(client, AuditEntry, *where, order_by=AuditEntry.id)


# ======================================================================================
# 1. Login back-off (password guessing against the real hub: abuse/test_password_guessing.py)
# ======================================================================================
def test_backoff_is_exponential_after_the_free_failures():
    assert [backoff(n, 5, 900) for n in range(1, 12)] == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]
    assert backoff(40, 5, 900) == 900


# ======================================================================================
# 3. Websocket re-check (tickets and closing on logout: abuse/test_stale_agent_sessions.py)
# ======================================================================================


async def test_an_open_websocket_is_no_activity(client, team):
    """The periodic re-check reads the session without touching last_seen_at: auto-away still works."""
    client.app[SETTINGS].agent_ws_recheck_seconds = 0.1
    ws = await agent_socket(client, team["eva"])
    long_ago = utcnow() - timedelta(hours=1)
    await change(client, update(Agent).values(last_seen_at=long_ago))
    await asyncio.sleep(0.5)
    assert (await row(client, Agent, await agent_id(client, "eva"))).last_seen_at == long_ago
    assert await closed_with(ws, timeout=0.1) is None
    await ws.close()


# ======================================================================================
# 4. Visibility policy (requests and frames: abuse/test_agent_snooping.py)
# ======================================================================================
@pytest.mark.parametrize(
    "role, state, assignee, ticket, expected",
    [
        ("agent", "queued", None, False, True),  # the queue
        ("agent", "agent", 7, False, True),  # my own
        ("agent", "agent", 8, False, False),  # someone else's
        ("agent", "bot", None, False, False),  # bot-only
        ("agent", "closed", None, False, False),
        ("agent", "bot", None, True, True),  # an open ticket: the team's callback list
        ("supervisor", "bot", None, False, True),
        ("supervisor", "agent", 8, False, True),
        ("admin", "closed", None, False, True),
        ("admin", "agent", 8, False, True),
    ],
)
def test_visibility_policy(role, state, assignee, ticket, expected):
    assert can_see(7, role, state, assignee, ticket) is expected


async def test_a_role_change_ends_the_sessions_and_the_new_login_has_the_role(client, team):
    """The new role starts with a new login (issue 23.9): sessions and websockets of the old one end."""
    toms = await claimed_by(client, team["tom"])
    eva_ws = await agent_socket(client, team["eva"])
    resp = await client.post(
        f"/api/v1/agent/agents/{await agent_id(client, 'eva')}/role",
        json={"role": "supervisor"},
        headers=team["chefin"],
    )
    assert resp.status == 200 and (await resp.json())["role"] == "supervisor"
    assert await closed_with(eva_ws) == 4001
    assert (await client.get("/api/v1/agent/me", headers=team["eva"])).status == 401
    again = bearer((await (await login(client, "eva")).json())["token"])
    eva_ws = await agent_socket(client, again)
    await client.post(
        f"/api/v1/conversations/{toms['conversation_id']}/messages",
        json={"text": "Hallo Tom"},
        headers=auth(toms),
    )
    assert await frames_until(eva_ws, lambda f: message_text(f) == "Hallo Tom")
    await eva_ws.close()


# ======================================================================================
# 5. Lifecycle: deactivate, password, log out everywhere, session pruning, two-factor
# ======================================================================================
async def test_only_admins_manage_accounts_and_the_last_admin_stays(client, team):
    tom_id, chefin_id = await agent_id(client, "tom"), await agent_id(client, "chefin")
    for name in ("eva", "sue"):
        resp = await client.post(f"/api/v1/agent/agents/{tom_id}/deactivate", headers=team[name])
        assert resp.status == 403, name
        resp = await client.post(
            f"/api/v1/agent/agents/{tom_id}/role", json={"role": "admin"}, headers=team[name]
        )
        assert resp.status == 403, name
    resp = await client.post(f"/api/v1/agent/agents/{chefin_id}/deactivate", headers=team["chefin"])
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "own_account"
    resp = await client.post(
        f"/api/v1/agent/agents/{chefin_id}/role", json={"role": "agent"}, headers=team["chefin"]
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "last_admin"
    resp = await client.post(
        f"/api/v1/agent/agents/{tom_id}/role", json={"role": "boss"}, headers=team["chefin"]
    )
    assert resp.status == 422
    assert (
        await client.post("/api/v1/agent/agents/999/deactivate", headers=team["chefin"])
    ).status == 404
    assert (
        await client.post(f"/api/v1/agent/agents/{tom_id}/deactivate", headers=team["chefin"])
    ).status == 200
    assert await rows(client, AgentSession, AgentSession.agent_id == tom_id) == []
    listed = await (await client.get("/api/v1/agent/agents?all=1", headers=team["chefin"])).json()
    assert {a["email"]: a["active"] for a in listed["agents"]}["tom@shop.de"] is False
    assert (
        await client.post(f"/api/v1/agent/agents/{tom_id}/activate", headers=team["chefin"])
    ).status == 200
    assert (await login(client, "tom")).status == 200


async def test_two_factor_enrolment_and_login(client, team, monkeypatch):
    enroll = await client.post(
        "/api/v1/agent/2fa/enroll", json={"password": "falsch"}, headers=team["eva"]
    )
    assert enroll.status == 403
    enroll = await client.post(
        "/api/v1/agent/2fa/enroll", json={"password": "geheim123"}, headers=team["eva"]
    )
    assert enroll.status == 200
    data = await enroll.json()
    assert (
        data["otpauth_uri"].startswith("otpauth://totp/")
        and "secret=" + data["secret"] in data["otpauth_uri"]
    )
    totp = pyotp.TOTP(data["secret"])
    assert (await login(client, "eva")).status == 200  # not on before it is confirmed
    bad = await client.post(
        "/api/v1/agent/2fa/confirm", json={"code": "000000"}, headers=team["eva"]
    )
    assert bad.status == 422
    ok = await client.post(
        "/api/v1/agent/2fa/confirm", json={"code": totp.now()}, headers=team["eva"]
    )
    assert ok.status == 200 and (await ok.json())["two_factor"] is True

    missing = await login(client, "eva")
    assert missing.status == 401 and (await missing.json())["error"]["code"] == "otp_required"
    wrong = await login(client, "eva", otp="123456" if totp.now() != "123456" else "654321")
    assert wrong.status == 401 and (await wrong.json())["error"]["code"] == "invalid_otp"
    replay = await login(client, "eva", otp=totp.now())  # the code used to confirm: once only
    assert replay.status == 401
    fresh = await login(client, "eva", otp=totp.at(time.time() + 30))
    assert fresh.status == 200
    session = bearer((await fresh.json())["token"])

    off = await client.post(
        "/api/v1/agent/2fa/disable",
        json={"password": "geheim123", "code": "000000"},
        headers=session,
    )
    assert off.status == 422
    later = time.time() + 60  # half a minute after the last code was used
    monkeypatch.setattr(totp_module, "wall_clock", lambda: later)
    off = await client.post(
        "/api/v1/agent/2fa/disable",
        json={"password": "geheim123", "code": totp.at(later)},
        headers=session,
    )
    assert off.status == 200 and (await off.json())["two_factor"] is False
    assert (await login(client, "eva")).status == 200


def test_totp_codes_work_once_and_only_near_now():
    secret = pyotp.random_base32()
    totp, now = pyotp.TOTP(secret), 1_800_000_000.0
    step = int(now // 30)
    assert totp_step(secret, totp.at(now), None, now) == step
    assert totp_step(secret, totp.at(now - 30), None, now) == step - 1  # clock drift
    assert totp_step(secret, totp.at(now - 90), None, now) is None
    assert totp_step(secret, totp.at(now), step, now) is None  # used
    assert (
        totp_step(secret, "12345", None, now) is None
        and totp_step(secret, "abcdef", None, now) is None
    )


async def test_admins_must_set_up_two_factor_when_required(client, team):
    client.app[SETTINGS].admin_2fa = True
    resp = await login(client, "chefin")
    assert resp.status == 200
    data = await resp.json()
    assert data["two_factor_setup_required"] is True
    limited = bearer(data["token"])
    queue = await client.get("/api/v1/agent/queue", headers=limited)
    assert (
        queue.status == 403 and (await queue.json())["error"]["code"] == "two_factor_setup_required"
    )
    assert (await client.post("/api/v1/agent/ws-ticket", headers=limited)).status == 403
    me = await (await client.get("/api/v1/agent/me", headers=limited)).json()
    assert me["two_factor_setup_required"] is True
    refused = await client.post("/api/v1/agent/2fa/enroll", json={}, headers=limited)
    assert (await refused.json())["error"]["code"] == "enrolment_code_required"
    chefin = await client.app[REPO].agent_by_email(email("chefin"))
    code, _ = await issue_enrolment_code(client.app[REPO], chefin)  # as the CLI does
    secret = (
        await (
            await client.post(
                "/api/v1/agent/2fa/enroll", json={"enrolment_code": code}, headers=limited
            )
        ).json()
    )["secret"]
    code = pyotp.TOTP(secret).now()
    assert (
        await client.post("/api/v1/agent/2fa/confirm", json={"code": code}, headers=limited)
    ).status == 200
    assert (
        await client.get("/api/v1/agent/queue", headers=limited)
    ).status == 200  # the session is full now
    assert (await client.get("/api/v1/agent/audit", headers=limited)).status == 200
    assert (
        await client.get("/api/v1/agent/me", headers=team["chefin"])
    ).status == 401  # older sessions ended
    disable = await client.post(
        "/api/v1/agent/2fa/disable",
        json={"password": "geheim789", "code": pyotp.TOTP(secret).at(time.time() + 30)},
        headers=limited,
    )
    assert (
        disable.status == 409 and (await disable.json())["error"]["code"] == "two_factor_required"
    )
    assert (await login(client, "eva")).status == 200  # agents are not forced
    assert (await (await login(client, "eva")).json())["two_factor_setup_required"] is False


# ======================================================================================
# 6. Unauthenticated calls, the OpenAPI document (the audit log: abuse/test_agent_snooping.py)
# ======================================================================================


NEW_CALLS = [
    ("POST", "/api/v1/agent/logout-all", None),
    ("POST", "/api/v1/agent/ws-ticket", None),
    ("POST", "/api/v1/agent/password", {"old_password": "a", "new_password": "b"}),
    ("POST", "/api/v1/agent/2fa/enroll", {"password": "x"}),
    ("POST", "/api/v1/agent/2fa/confirm", {"code": "1"}),
    ("POST", "/api/v1/agent/2fa/disable", {"password": "x", "code": "1"}),
    ("POST", "/api/v1/agent/agents/1/deactivate", None),
    ("POST", "/api/v1/agent/agents/1/activate", None),
    ("POST", "/api/v1/agent/agents/1/role", {"role": "admin"}),
    ("GET", "/api/v1/agent/audit", None),
]


@pytest.mark.parametrize("method, path, body", NEW_CALLS)
async def test_new_agent_calls_reject_unauthenticated(client, team, method, path, body):
    before = len(await rows(client, AuditEntry))
    for headers in ({}, {"Authorization": "Bearer forged"}):
        resp = await client.request(method, path, json=body, headers=headers)
        assert resp.status == 401, (path, headers)
    assert len(await rows(client, AuditEntry)) == before


async def test_openapi_documents_the_new_routes(client):
    paths = (await (await client.get("/api/v1/openapi.json")).json())["paths"]
    for path in (
        "/api/v1/agent/ws-ticket",
        "/api/v1/conversations/{conversation_id}/ws-ticket",
        "/api/v1/agent/password",
        "/api/v1/agent/logout-all",
        "/api/v1/agent/2fa/enroll",
        "/api/v1/agent/2fa/confirm",
        "/api/v1/agent/2fa/disable",
        "/api/v1/agent/audit",
        "/api/v1/agent/agents/{agent_id}/deactivate",
        "/api/v1/agent/agents/{agent_id}/role",
    ):
        assert path in paths, path
    assert "429" in paths["/api/v1/agent/login"]["post"]["responses"]
    assert "403" in paths["/api/v1/agent/conversations/{conversation_id}"]["get"]["responses"]


async def test_ops_client_opens_websockets_with_tickets(client, team):
    """The helpers integration tests and the benchmark use (bot/ops/client.py)."""
    from bot.ops.client import AgentClient, Customer

    base = str(client.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as s:
        customer = await Customer(s, base).start()
        url = await customer.ws_url()
        assert url.startswith("ws://") and "ticket=" in url and customer.token not in url
        async with s.ws_connect(url) as ws:
            await customer.say("Hallo")
            assert (await ws.receive_json(timeout=5))["message"]["text"] == "Hallo"
        agent = await AgentClient(s, base).login("eva@shop.de", "geheim123")
        async with s.ws_connect(await agent.ws_url()) as ws:
            assert (await ws.receive_json(timeout=5))["type"] == "queue"
