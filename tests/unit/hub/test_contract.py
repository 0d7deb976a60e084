"""The OpenAPI document is a contract: schemathesis finds no request the hub answers differently.

Runs schemathesis's `st` (every check, every phase: examples, coverage, fuzzing and stateful
with the document's links from POST /conversations) against a real hub on a free port, with
the fake Rasa and a fake action server, customer and agent operations authenticated
(contract_hooks.py), on SQLite and on PostgreSQL (an id beyond INTEGER is a 500 only there).
A failure prints schemathesis's report with a curl line to reproduce (`-s` shows it always).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.hub.accounts.agents import create_agent
from bot.hub.app import init_app
from bot.hub.keys.store import REPO
from bot.hub.settings import Channels, MessengerSettings, TelegramSettings, WhatsAppSettings

ST = Path(sys.executable).parent / "st"
HOOKS = Path(__file__).with_name("contract_hooks.py")
CONFIG = Path(__file__).with_name("schemathesis.toml")
PASSWORD = "vertrag-geheim-42"
EXAMPLES = 25  # per operation and phase: every status of every operation; both databases in ~1.5 min on two cores


@pytest.fixture()
async def fake_actions():
    """The action server's /health, so /api/v1/health answers 200 as in production."""
    app = web.Application()
    app.router.add_get("/health", lambda request: web.json_response({"status": "ok"}))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


async def login(client, email: str) -> str:
    resp = await client.post("/api/v1/agent/login", json={"email": email, "password": PASSWORD})
    assert resp.status == 200, await resp.text()
    return (await resp.json())["token"]


@pytest.mark.skipif(not ST.exists(), reason="schemathesis is installed with the hub's dev lock")
async def test_schemathesis_finds_no_contract_failures(
    aiohttp_client, settings, fake_actions, tmp_path
):
    settings.actions_port = fake_actions.port
    settings.rate_client = settings.rate_conversation = settings.rate_upload = (
        1_000_000,
        60.0,
    )  # the run is one client, fast
    unreachable = "http://127.0.0.1:9"  # no update passes authentication, so nothing is ever sent
    settings.channels = Channels(  # configured, as in production: webhooks answer 401/403, not 404
        telegram=TelegramSettings(
            token="1234567:contract-test-token-abcdefghijk", secret="s3cret", api_base=unreachable
        ),
        messenger=MessengerSettings(
            page_token="page", app_secret="app", verify_token="verify", api_base=unreachable
        ),
        whatsapp=WhatsAppSettings(
            token="wa",
            phone_number_id="1",
            app_secret="app",
            verify_token="verify",
            api_base=unreachable,
        ),
    )
    client = await aiohttp_client(init_app(settings))
    repo = client.app[REPO]
    team = [
        await create_agent(repo, f"{name.lower()}@shop.de", name, PASSWORD, role)
        for name, role in (("Eva", "admin"), ("Tom", "agent"), ("Uli", "agent"), ("Vera", "agent"))
    ]
    seed = await (await client.post("/api/v1/conversations", json={"channel": "webchat"})).json()
    await client.post(
        f"/api/v1/conversations/{seed['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers={"Authorization": f"Bearer {seed['token']}"},
    )
    state = {
        "seed": seed,
        "protected_agent_ids": [str(a.id) for a in team[:3]],
        "target_agent_id": team[3].id,
        "admin_token": await login(client, "eva@shop.de"),
        "spare_tokens": [await login(client, "tom@shop.de") for _ in range(40)],
        "last_tokens": [await login(client, "uli@shop.de") for _ in range(10)],
    }
    (tmp_path / "state.json").write_text(json.dumps(state), encoding="utf-8")
    base = str(client.make_url("")).rstrip("/")

    proc = await asyncio.create_subprocess_exec(
        str(ST),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/api/v1/openapi.json",
        "--max-examples",
        str(EXAMPLES),  # every check runs by default; schemathesis.toml tunes two
        "--seed",
        "20261201",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        # a guard against a hung request, not a speed check: a write on a machine busy with other
        # work once took over 10 s (POST /learning/reviews, clean-clone run of 2026-12-07)
        "--request-timeout",
        "30",
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(HOOKS),
            "KD_CONTRACT_STATE": str(tmp_path / "state.json"),
        },
    )
    try:
        # A guard against a hung run, not a speed check: 105 operations take minutes on a busy machine.
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=900)
    except asyncio.TimeoutError:
        proc.kill()
        raise
    report = output.decode(errors="replace")
    print(report)  # shown with -s or on failure
    assert proc.returncode == 0, report[-30000:]
