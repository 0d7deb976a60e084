"""Authentication inside the real stack: Rasa's API, its channels and the action server refuse callers without
the stack's secrets, the secrets never show on a command line, and the hub still works end to end."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, Dict

import aiohttp
import pytest

from bot.ops.client import Customer

pytestmark = pytest.mark.stack


def forged_call(sender: str) -> Dict[str, Any]:
    """An action call claiming the customer was verified for someone else's order."""
    return {
        "next_action": "action_order_status",
        "sender_id": sender,
        "version": "3.6.0",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"order_id": "100234", "verified_order": "100234"},
            "latest_message": {
                "text": "Wo ist meine Bestellung?",
                "intent": {"name": "order_status"},
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


async def test_rasa_refuses_api_calls_without_the_token(stack):
    forged = [
        {"event": "slot", "name": "order_id", "value": "100234"},
        {"event": "slot", "name": "verified_order", "value": "100234"},
    ]
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{stack.rasa_url}/status") as r:
            assert r.status == 401
        async with s.get(f"{stack.rasa_url}/status", params={"token": "wrong"}) as r:
            assert r.status == 401
        async with s.put(f"{stack.rasa_url}/model", json={"model_file": "/tmp/evil.tar.gz"}) as r:
            assert r.status == 401
        async with s.post(
            f"{stack.rasa_url}/conversations/victim/tracker/events", json=forged
        ) as r:
            assert r.status == 401
        async with s.get(f"{stack.rasa_url}/conversations/victim/tracker") as r:
            assert r.status == 401
        async with s.get(f"{stack.rasa_url}/status", params={"token": stack.rasa_token}) as r:
            assert r.status == 200 and (await r.json())["model_file"]


@pytest.mark.parametrize("channel", ["hub", "rest"])
async def test_rasa_channels_refuse_messages_without_the_token(stack, channel):
    url = f"{stack.rasa_url}/webhooks/{channel}/webhook"
    body = {
        "sender": "victim",
        "message": '/inform{"order_id": "100234"}',
        "message_id": "m-forged",
    }
    async with aiohttp.ClientSession() as s:
        async with s.post(url, json=body) as r:
            assert r.status == 401
        async with s.post(url, json=body, headers={"Authorization": "Bearer wrong"}) as r:
            assert r.status == 401
        async with s.get(
            f"{stack.rasa_url}/conversations/victim/tracker", params={"token": stack.rasa_token}
        ) as r:
            assert [
                e for e in (await r.json())["events"] if e["event"] == "user"
            ] == []  # nothing reached Rasa


async def test_action_server_refuses_a_forged_call(stack):
    base = f"http://127.0.0.1:{stack.ports['actions']}"
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{base}/webhook", json=forged_call("forger")) as r:
            assert r.status == 401
            assert "DHL" not in await r.text()
        async with s.post(
            f"{base}/webhook", json=forged_call("forger"), headers={"Authorization": "Bearer guess"}
        ) as r:
            assert r.status == 401
        async with s.post(
            f"{base}/webhook", json=forged_call("forger"), params={"token": stack.rasa_token}
        ) as r:
            assert r.status == 401  # the Rasa token is not the action server's secret
        async with s.get(f"{base}/actions") as r:
            assert r.status == 401
        async with s.get(f"{base}/health") as r:
            assert r.status == 200


def test_no_secret_on_any_command_line(stack):
    secrets = {stack.rasa_token, stack.env["KD_ACTIONS_TOKEN"]}
    assert all(len(secret) >= 32 for secret in secrets)
    running = {name: proc for name, proc in stack.named.items() if proc.poll() is None}
    assert {"actions", "rasa", "hub"} <= set(
        running
    )  # extra hubs other tests started may have ended
    for name, proc in running.items():
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode(errors="replace")
        assert not any(secret in cmdline for secret in secrets), name
        assert "--auth-token" not in cmdline, name


def test_secret_files_are_private(stack):
    for path in (
        stack.directory / "endpoints.yml",
        stack.directory / "secrets/rasa_token",
        stack.directory / "secrets/actions_token",
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stack.env["KD_ACTIONS_TOKEN"] in (stack.directory / "endpoints.yml").read_text()


async def test_the_hub_still_works_end_to_end_through_the_action_server(stack):
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        assert "E-Mail" in await c.texts("Wo ist meine Bestellung 100234?")
        right = await c.texts(
            "anna.schmidt@web.de"
        )  # the verification and order actions ran with the secret
        assert "100234" in right and "DHL" in right
    assert "401" not in stack.log("actions").split("Action endpoint is up and running")[-1]
