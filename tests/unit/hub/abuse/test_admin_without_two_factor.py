"""Admin rights without the second factor (issue 23.9): with KD_ADMIN_2FA=1 a stolen admin password
must not be enough - not through a session opened without a code, not through an agent session
that outlives a promotion, and not by being the first to log in and bind one's own authenticator
to an admin account that has none yet."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest

from bot.hub.handoff.audit import Audit
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.store.models import Agent, AgentSession, AuditEntry, utcnow
from tests.unit.hub.conftest import row, rows
from tests.unit.hub.test_agent_security import agent_id, bearer, email, login

SECRET = pyotp.random_base32()
NEW_AGENT = {"email": "neu@shop.de", "name": "Neu", "password": "geheim999"}


@pytest.fixture()
async def admin(client, team):
    """Chefin with two-factor on, logged in with a code; KD_ADMIN_2FA on from here."""
    repo = client.app[REPO]
    await repo.update_agent(await agent_id(client, "chefin"), totp_secret=SECRET, totp_enabled=True)
    client.app[SETTINGS].admin_2fa = True
    resp = await login(client, "chefin", otp=pyotp.TOTP(SECRET).now())
    assert resp.status == 200, await resp.text()
    return bearer((await resp.json())["token"])


async def error_code(resp) -> str:
    return (await resp.json())["error"]["code"]


async def test_admin_routes_refuse_a_session_opened_without_a_code(client, team):
    """Chefin's session dates from before KD_ADMIN_2FA (or her password leaked before): no admin rights."""
    client.app[SETTINGS].admin_2fa = True
    for method, path, body in (
        ("POST", "/api/v1/agent/agents", NEW_AGENT),
        ("GET", "/api/v1/agent/audit", None),
        ("POST", f"/api/v1/agent/agents/{await agent_id(client, 'tom')}/role", {"role": "admin"}),
    ):
        resp = await client.request(method, path, json=body, headers=team["chefin"])
        assert resp.status == 403 and await error_code(resp) == "two_factor_session_required"
        assert "Zwei-Faktor" in (await resp.json())["error"]["message"]
    assert await rows(client, Agent, Agent.email == NEW_AGENT["email"]) == []
    assert (await row(client, Agent, await agent_id(client, "tom"))).role == "agent"
    queue = await client.get("/api/v1/agent/queue", headers=team["chefin"])
    assert queue.status == 200  # the agent work goes on

    await client.app[REPO].update_agent(
        await agent_id(client, "chefin"), totp_secret=SECRET, totp_enabled=True
    )
    assert (await client.get("/api/v1/agent/audit", headers=team["chefin"])).status == 403
    with_code = await login(client, "chefin", otp=pyotp.TOTP(SECRET).now())
    created = await client.post(
        "/api/v1/agent/agents", json=NEW_AGENT, headers=bearer((await with_code.json())["token"])
    )
    assert created.status == 201  # a session that passed the code has the admin rights


async def test_a_promoted_agent_keeps_no_session_opened_without_the_code(client, team, admin):
    tom = await agent_id(client, "tom")
    resp = await client.post(
        f"/api/v1/agent/agents/{tom}/role", json={"role": "admin"}, headers=admin
    )
    assert resp.status == 200
    assert await rows(client, AgentSession, AgentSession.agent_id == tom) == []
    stale = await client.post("/api/v1/agent/agents", json=NEW_AGENT, headers=team["tom"])
    assert stale.status == 401  # the agent session ended with the promotion
    again = await (await login(client, "tom")).json()
    assert again["two_factor_setup_required"] is True  # an admin now: set-up first
    limited = bearer(again["token"])
    refused = await client.post("/api/v1/agent/agents", json=NEW_AGENT, headers=limited)
    assert refused.status == 403 and await error_code(refused) == "two_factor_setup_required"
    assert await rows(client, Agent, Agent.email == NEW_AGENT["email"]) == []


async def test_the_password_alone_does_not_bind_an_authenticator(client, team, admin):
    """Whoever logs in first with a new admin's password gets a set-up session, but enrols only
    with the one-time code another admin issued to the real owner."""
    created = await client.post(
        "/api/v1/agent/agents", json={**NEW_AGENT, "role": "admin"}, headers=admin
    )
    new_id = (await created.json())["id"]
    thief = bearer(
        (await (await login(client, NEW_AGENT["email"], NEW_AGENT["password"])).json())["token"]
    )
    for body, code in (
        ({}, "enrolment_code_required"),
        ({"password": NEW_AGENT["password"]}, "enrolment_code_required"),
        ({"enrolment_code": "AAAA-BBBB-CCCC"}, "invalid_enrolment_code"),
    ):
        resp = await client.post("/api/v1/agent/2fa/enroll", json=body, headers=thief)
        assert resp.status == 403 and await error_code(resp) == code
    assert (await row(client, Agent, new_id)).totp_secret is None  # nothing bound

    mine = await client.post(
        f"/api/v1/agent/agents/{await agent_id(client, 'chefin')}/2fa-enrolment-code", headers=admin
    )
    assert mine.status == 409  # not for oneself
    by_agent = await client.post(
        f"/api/v1/agent/agents/{new_id}/2fa-enrolment-code", headers=team["eva"]
    )
    assert by_agent.status == 403
    issued = await client.post(f"/api/v1/agent/agents/{new_id}/2fa-enrolment-code", headers=admin)
    assert issued.status == 201
    code = (await issued.json())["code"]  # handed to the real owner in person

    owner = bearer(
        (await (await login(client, NEW_AGENT["email"], NEW_AGENT["password"])).json())["token"]
    )
    enrol = await client.post(
        "/api/v1/agent/2fa/enroll", json={"enrolment_code": code.lower()}, headers=owner
    )
    assert enrol.status == 200
    totp = pyotp.TOTP((await enrol.json())["secret"])
    confirmed = await client.post(
        "/api/v1/agent/2fa/confirm", json={"code": totp.now()}, headers=owner
    )
    assert confirmed.status == 200 and (await confirmed.json())["two_factor"] is True
    assert (await client.get("/api/v1/agent/audit", headers=owner)).status == 200
    assert (await client.get("/api/v1/agent/me", headers=thief)).status == 401  # ended
    stored = await row(client, Agent, new_id)
    assert stored.totp_enrolment_hash is None  # the code is used up
    later = await login(
        client, NEW_AGENT["email"], NEW_AGENT["password"], otp=totp.at(time.time() + 30)
    )
    assert later.status == 200 and (await later.json())["two_factor_setup_required"] is False


async def test_an_expired_enrolment_code_is_refused(client, team, admin):
    tom = await agent_id(client, "tom")
    await client.post(f"/api/v1/agent/agents/{tom}/role", json={"role": "admin"}, headers=admin)
    issued = await client.post(f"/api/v1/agent/agents/{tom}/2fa-enrolment-code", headers=admin)
    code = (await issued.json())["code"]
    await client.app[REPO].update_agent(
        tom, totp_enrolment_expires_at=utcnow() - timedelta(seconds=1)
    )
    limited = bearer((await (await login(client, "tom")).json())["token"])
    resp = await client.post(
        "/api/v1/agent/2fa/enroll", json={"enrolment_code": code}, headers=limited
    )
    assert resp.status == 403 and await error_code(resp) == "invalid_enrolment_code"
    failed = await rows(client, AuditEntry, AuditEntry.action == Audit.TWO_FACTOR_ENROLMENT_FAILED)
    assert [e.target for e in failed] == [email("tom")]
