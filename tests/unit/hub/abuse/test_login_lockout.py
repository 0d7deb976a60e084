"""Deliberate lock-out of agents and admins (issue 23.8): anyone who knows or guesses an agent's
e-mail must not keep that agent out by sending wrong passwords now and then, from one address or
from many; and a plain agent must not learn colleagues' e-mail addresses (the login names) from
the agent list."""

from __future__ import annotations

from typing import Any, Dict

import aiohttp
import pyotp
import pytest

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.store.models import LoginThrottle
from tests.unit.hub.conftest import rows
from tests.unit.hub.test_agent_security import PASSWORDS, email

ATTACKER, ELSEWHERE, THIRD = "203.0.113.66", "198.51.100.7", "198.51.100.8"
SECRET = pyotp.random_base32()


@pytest.fixture()
def settings(settings):
    """The hub sits behind a proxy on 127.0.0.1, so the test can speak from several addresses."""
    settings.trusted_proxies = ["127.0.0.1"]
    return settings


@pytest.fixture(autouse=True)
def long_blocks(client):
    """Every failure on an e-mail counts from the first (1, 2, 4 … s): after a handful the block
    lasts minutes, so no assertion depends on how fast the machine is."""
    client.app[SETTINGS].login_free_failures_account = 1


async def login_from(
    client, address: str, name: str, password: str | None = None, otp: str | None = None
) -> aiohttp.ClientResponse:
    body: Dict[str, Any] = {"email": email(name), "password": password or PASSWORDS[name]}
    if otp is not None:
        body["otp"] = otp
    return await client.post("/api/v1/agent/login", json=body, headers={"X-Forwarded-For": address})


async def error_code(resp: aiohttp.ClientResponse) -> str:
    return (await resp.json())["error"]["code"]


async def test_wrong_passwords_from_one_address_do_not_lock_the_admin_out(client, team):
    statuses = [(await login_from(client, ATTACKER, "chefin", "falsch")).status for _ in range(8)]
    assert statuses[0] == 401 and statuses[-1] == 429  # the guesser is slowed down …
    blocked = await login_from(client, ATTACKER, "chefin")
    assert blocked.status == 429  # … where it guesses, even with the right password
    assert await error_code(blocked) == "too_many_attempts"

    admin = await login_from(client, ELSEWHERE, "chefin")  # the admin, anywhere else
    assert admin.status == 200, await admin.text()
    assert (await admin.json())["agent"]["role"] == "admin"
    assert (await login_from(client, ATTACKER, "chefin")).status == 429  # still blocked there


async def test_failures_from_many_addresses_block_wrong_credentials_only(client, team):
    for i in range(8):  # one wrong password from each of eight addresses
        assert (await login_from(client, f"192.0.2.{i + 1}", "eva", "falsch")).status in (401, 429)
    account = await rows(client, LoginThrottle, LoginThrottle.key.startswith("acct:"))
    assert account and account[0].failures == 8 and account[0].blocked_until is not None

    wrong = await login_from(client, THIRD, "eva", "falsch")
    assert wrong.status == 429 and await error_code(wrong) == "too_many_attempts"
    assert int(wrong.headers["Retry-After"]) >= 1
    right = await login_from(client, ELSEWHERE, "eva")
    assert right.status == 200, await right.text()


async def test_with_two_factor_the_right_password_and_code_pass_the_block(client, team):
    repo = client.app[REPO]
    chefin = await repo.agent_by_email(email("chefin"))
    await repo.update_agent(chefin.id, totp_secret=SECRET, totp_enabled=True)
    for i in range(8):
        await login_from(client, f"192.0.2.{i + 1}", "chefin", "falsch")

    no_code = await login_from(client, ELSEWHERE, "chefin")
    assert no_code.status == 401 and await error_code(no_code) == "otp_required"
    wrong_code = await login_from(client, THIRD, "chefin", otp="000000")
    assert wrong_code.status == 429  # a wrong code is a failure like a wrong password
    ok = await login_from(client, ELSEWHERE, "chefin", otp=pyotp.TOTP(SECRET).now())
    assert ok.status == 200, await ok.text()


async def test_plain_agents_see_colleagues_names_not_their_e_mail_addresses(client, team):
    listed = await (await client.get("/api/v1/agent/agents", headers=team["eva"])).json()
    assert {a["name"] for a in listed["agents"]} == {"Eva", "Tom", "Sue", "Chefin"}
    assert all("email" not in a for a in listed["agents"])
    assert "@" not in str(listed)
    for lead in ("sue", "chefin"):  # supervisors and admins manage accounts: they keep them
        listed = await (await client.get("/api/v1/agent/agents", headers=team[lead])).json()
        assert {a["email"] for a in listed["agents"]} == {email(n) for n in PASSWORDS}
