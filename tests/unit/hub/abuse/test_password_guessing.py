"""Guessing agent passwords: an attacker tries passwords against one account, sprays one password
over many e-mail addresses, probes which e-mails are accounts (by the answer or its timing), or
floods the login to stall the hub. Failures back off per account and per address (stored in the
database, so a restart resets nothing), an unknown e-mail is answered and timed like a wrong
password (a dummy argon2 hash), argon2 runs in a bounded pool off the event loop, and failed logins
are logged and audited without the password. (Wrong passwords sent to keep an agent out:
test_login_lockout.py; a login flood next to customer turns: tests/unit/hub/test_login_load.py.)"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import List

from bot.hub.accounts import agents as agents_module
from bot.hub.keys.agents import AUTH
from bot.hub.keys.config import SETTINGS
from bot.hub.store.models import LoginThrottle
from tests.unit.hub.conftest import rows
from tests.unit.hub.test_agent_security import agent_id, audit_actions, login


async def test_failed_logins_back_off_per_account_with_retry_after(client, team):
    for _ in range(4):
        assert (await login(client, "eva", "falsch")).status == 401
    fifth = await login(client, "eva", "falsch")
    assert fifth.status == 401  # the 5th failure is still checked, and blocks the account for 1 s
    blocked = await login(client, "eva")  # even the right password waits
    assert blocked.status == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert (await blocked.json())["error"]["code"] == "too_many_attempts"
    assert (await login(client, "tom")).status == 200  # other accounts are not affected
    await asyncio.sleep(1.1)
    assert (await login(client, "eva")).status == 200  # after the delay the right password works …
    throttle = await rows(client, LoginThrottle, LoginThrottle.key.startswith("acct:"))
    assert throttle == []  # … and resets the account's counter


async def test_unknown_email_is_throttled_like_a_real_one(client, team):
    """No account discovery through the lockout: unknown e-mails back off exactly like known ones."""
    statuses = {}
    for who in ("eva@shop.de", "niemand@shop.de"):
        statuses[who] = [(await login(client, who, "falsch")).status for _ in range(6)]
    assert statuses["eva@shop.de"] == statuses["niemand@shop.de"] == [401] * 5 + [429]


async def test_unknown_email_costs_one_verification_like_a_wrong_password(
    client, team, monkeypatch
):
    """No account discovery through timing: an unknown e-mail is checked against a dummy hash."""
    calls: List[str] = []
    real = agents_module._password_matches

    def counting(password_hash: str, password: str) -> bool:
        calls.append(threading.current_thread().name)
        return real(password_hash, password)

    monkeypatch.setattr(agents_module, "_password_matches", counting)
    assert (await login(client, "niemand@shop.de", "falsch")).status == 401
    assert (await login(client, "eva", "falsch")).status == 401
    assert len(calls) == 2 and all(name.startswith("kd-argon2") for name in calls)


async def test_per_address_back_off_across_many_accounts(client, team):
    client.app[SETTINGS].login_free_failures_ip = 8
    statuses = [(await login(client, f"raten{i}@shop.de", "falsch")).status for i in range(10)]
    assert statuses == [401] * 8 + [429, 429]
    assert [
        k.key for k in await rows(client, LoginThrottle, LoginThrottle.key.startswith("ip:"))
    ] == ["ip:127.0.0.1"]


async def test_verification_is_bounded_and_off_the_event_loop(client, team, monkeypatch):
    """argon2 runs in the hub's small pool, `login_concurrency` at a time; beyond the queue: 429."""
    settings = client.app[SETTINGS]
    settings.login_concurrency, settings.login_queue_limit, settings.login_free_failures_ip = (
        2,
        4,
        1000,
    )
    running, peak, loop_thread = [0], [0], threading.current_thread()
    lock = threading.Lock()

    def slow(password_hash: str, password: str) -> bool:
        assert threading.current_thread() is not loop_thread
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(agents_module, "_password_matches", slow)
    hub_auth = client.app[AUTH]
    hub_auth._dummy = hub_auth._pool = hub_auth._slots = (
        None  # sized from the settings above on first use
    )
    results = await asyncio.gather(*(login(client, f"x{i}@shop.de", "falsch") for i in range(10)))
    statuses = sorted(r.status for r in results)
    assert peak[0] == 2  # never more at once than configured
    assert (
        statuses.count(401) == 6 and statuses.count(429) == 4
    )  # 2 running + 4 waiting; the rest refused
    busy = [await r.json() for r in results if r.status == 429]
    assert {b["error"]["code"] for b in busy} == {"login_busy"}


async def test_failed_login_is_logged_and_audited_without_the_password(client, team, caplog):
    caplog.set_level(logging.WARNING, logger="bot.hub.accounts.throttle")
    assert (await login(client, "eva", "Sehr-Geheim-42")).status == 401
    assert (await login(client, "niemand@shop.de", "Sehr-Geheim-43")).status == 401
    typo = await client.post(
        "/api/v1/agent/login", json={"email": "Sehr-Geheim-44", "password": "x"}
    )
    assert typo.status == 401  # the password typed into the e-mail field
    text = caplog.text
    assert "eva@shop.de" in text and "niemand@shop.de" in text and "127.0.0.1" in text
    assert "Sehr-Geheim" not in text
    failed = await audit_actions(client, "login_failed")
    assert [(e.target, e.agent_id is not None, e.ip) for e in failed] == [
        ("eva@shop.de", True, "127.0.0.1"),
        ("niemand@shop.de", False, "127.0.0.1"),
        ("(keine E-Mail-Adresse)", False, "127.0.0.1"),
    ]
    assert all("Sehr-Geheim" not in str(e.detail) for e in failed)


async def test_deactivated_account_cannot_log_in_and_looks_like_a_wrong_password(client, team):
    resp = await client.post(
        f"/api/v1/agent/agents/{await agent_id(client, 'tom')}/deactivate", headers=team["chefin"]
    )
    assert resp.status == 200 and (await resp.json())["active"] is False
    refused = await login(client, "tom")
    assert (
        refused.status == 401 and (await refused.json())["error"]["code"] == "invalid_credentials"
    )
