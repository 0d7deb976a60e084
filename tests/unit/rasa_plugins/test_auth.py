"""Authentication inside the stack, Rasa side: the token serve.py injects, the input channels that require it,
and the action server's shared secret."""

from __future__ import annotations

import socket
import types
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List

import aiohttp
import pytest
from rasa.core.channels import channel as rasa_channels
from rasa_sdk import Action
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response

from bot.rasa_plugins import action_server, auth, serve
from bot.rasa_plugins.hub_channel import HubInput
from bot.rasa_plugins.rest_channel import TokenRestInput

TOKEN = "rasa-token-for-tests"
SECRET = "action-secret-for-tests"


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    """Several apps with one name in one process (rasa-sdk always calls its app "rasa_sdk")."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@asynccontextmanager
async def serving(app: Sanic) -> AsyncIterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.start_serving()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def post(
    url: str, body: Any, headers: Dict[str, str] | None = None, params: Dict[str, str] | None = None
) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as s:
        async with s.post(url, json=body, headers=headers or {}, params=params or {}) as r:
            return r.status, await r.json(content_type=None)


async def get(url: str, headers: Dict[str, str] | None = None) -> int:
    async with aiohttp.ClientSession() as s:
        async with s.get(url, headers=headers or {}) as r:
            return r.status


# serve.py: the token goes into argv inside the process, never onto the command line


def test_run_gets_the_token_from_the_environment():
    argv, env = ["rasa", "run", "--enable-api"], {auth.RASA_TOKEN: TOKEN}
    serve.install_auth_token(argv, env)
    assert argv == ["rasa", "run", "--enable-api", f"--auth-token={TOKEN}"]


def test_run_gets_the_token_from_a_file_and_tells_the_channels(tmp_path):
    (tmp_path / "rasa_token").write_text(TOKEN + "\n")
    argv, env = ["rasa", "run"], {auth.RASA_TOKEN_FILE: str(tmp_path / "rasa_token")}
    serve.install_auth_token(argv, env)
    assert argv[-1] == f"--auth-token={TOKEN}" and env[auth.RASA_TOKEN] == TOKEN


def test_a_token_given_on_the_command_line_is_kept_and_shared():
    argv, env = ["rasa", "run", "--auth-token", "manual"], {auth.RASA_TOKEN: TOKEN}
    serve.install_auth_token(argv, env)
    assert argv == ["rasa", "run", "--auth-token", "manual"] and env[auth.RASA_TOKEN] == "manual"


def test_no_token_no_server():
    with pytest.raises(SystemExit, match="no Rasa token"):
        serve.install_auth_token(["rasa", "run"], {})


@pytest.mark.parametrize("argv", [["rasa", "train"], ["rasa", "run", "actions"], ["rasa"]])
def test_other_commands_are_left_alone(argv):
    before = list(argv)
    serve.install_auth_token(argv, {auth.RASA_TOKEN: TOKEN})
    assert argv == before


# the input channels: Rasa guards only its API routes, the channels guard themselves


class EchoAgent:
    def __init__(self) -> None:
        self.handled: List[str] = []

    async def handle_message(self, message: Any) -> None:
        self.handled.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")


def channel_app(monkeypatch, token: str) -> tuple[Sanic, EchoAgent]:
    if token:
        monkeypatch.setenv(auth.RASA_TOKEN, token)
    else:
        monkeypatch.delenv(auth.RASA_TOKEN, raising=False)
    monkeypatch.delenv(auth.RASA_TOKEN_FILE, raising=False)
    app, agent = Sanic("channels"), EchoAgent()
    app.ctx.agent = agent

    @app.get("/open")
    async def open_route(request: Any) -> Any:  # an app route outside the channels stays as it was
        return response.json({"ok": True})

    rasa_channels.register([HubInput(), TokenRestInput()], app, route="/webhooks/")
    return app, agent


@pytest.mark.parametrize("path", ["/webhooks/hub/webhook", "/webhooks/rest/webhook"])
async def test_channels_refuse_a_missing_or_wrong_token(monkeypatch, path):
    app, agent = channel_app(monkeypatch, TOKEN)
    body = {"sender": "c1", "message": "hallo", "message_id": "m1"}
    async with serving(app) as base:
        assert (await post(base + path, body))[0] == 401
        assert (await post(base + path, body, headers={"Authorization": "Bearer wrong"}))[0] == 401
        assert (await post(base + path, body, params={"token": "wrong"}))[0] == 401
        assert await get(base + path.rsplit("/", 1)[0] + "/") == 401
        assert await get(base + "/open") == 200
    assert agent.handled == []


@pytest.mark.parametrize("path", ["/webhooks/hub/webhook", "/webhooks/rest/webhook"])
async def test_channels_accept_the_token_as_bearer_or_query(monkeypatch, path):
    app, agent = channel_app(monkeypatch, TOKEN)
    body = {"sender": "c1", "message": "hallo", "message_id": "m1"}
    async with serving(app) as base:
        status, answers = await post(
            base + path, body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert status == 200 and answers[0]["text"] == "echo hallo"
        status, _ = await post(base + path, body, params={"token": TOKEN})
        assert status == 200
    assert agent.handled == ["hallo", "hallo"]


async def test_channels_without_a_configured_token_refuse_everything(monkeypatch):
    app, agent = channel_app(monkeypatch, "")
    async with serving(app) as base:
        for path in ("/webhooks/hub/webhook", "/webhooks/rest/webhook"):
            assert (
                await post(base + path, {"sender": "c1", "message": "x"}, params={"token": ""})
            )[0] == 401
    assert agent.handled == []


def test_secrets_match_in_constant_time_and_never_when_empty():
    assert auth.matches("abc", "abc")
    assert (
        not auth.matches("abd", "abc")
        and not auth.matches(None, "abc")
        and not auth.matches("", "")
    )
    assert not auth.matches("ä", "a")  # non-ASCII input is compared, not an exception


# the action server: rasa-sdk's app with the shared-secret middleware


class ActionPing(Action):
    def name(self) -> str:
        return "action_ping"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text="pong")
        return []


def action_app() -> Sanic:
    package = types.ModuleType("ping_actions")
    package.ActionPing = ActionPing  # type: ignore[attr-defined]
    app = create_app(package)
    action_server.SecretPlugin(SECRET).attach_sanic_app_extensions(app=app)
    return app


def action_call(sender: str = "c1") -> Dict[str, Any]:
    """What Rasa posts; a forger could claim anything in the tracker (e.g. a verified order)."""
    return {
        "next_action": "action_ping",
        "sender_id": sender,
        "version": "3.6.0",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"verified_order": "100234"},
            "latest_message": {},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        },
    }


async def test_action_server_refuses_calls_without_the_secret():
    async with serving(action_app()) as base:
        assert (await post(f"{base}/webhook", action_call()))[0] == 401
        assert (
            await post(f"{base}/webhook", action_call(), headers={"Authorization": "Bearer forged"})
        )[0] == 401
        assert (await post(f"{base}/webhook", action_call(), params={"token": "forged"}))[0] == 401
        assert await get(f"{base}/actions") == 401
        assert await get(f"{base}/health") == 200  # liveness stays open


async def test_action_server_runs_calls_with_the_secret():
    async with serving(action_app()) as base:
        status, result = await post(
            f"{base}/webhook", action_call(), headers={"Authorization": f"Bearer {SECRET}"}
        )
        assert status == 200 and result["responses"][0]["text"] == "pong"
        status, _ = await post(
            f"{base}/webhook", action_call(), params={"token": SECRET}
        )  # Rasa's `token:` option
        assert status == 200


def test_action_server_will_not_start_without_a_secret(monkeypatch):
    monkeypatch.delenv(auth.ACTIONS_TOKEN, raising=False)
    monkeypatch.delenv(auth.ACTIONS_TOKEN_FILE, raising=False)
    with pytest.raises(SystemExit, match="no action-server secret"):
        action_server.main()


def test_a_token_starting_with_a_dash_reaches_rasa_as_a_value():
    """secrets.token_urlsafe starts with "-" once in 64 tokens; `rasa run -t -abc` was refused."""
    import argparse

    from rasa.cli.arguments.run import add_server_arguments

    argv, env = ["rasa", "run"], {auth.RASA_TOKEN: "-BQWk-token"}
    serve.install_auth_token(argv, env)
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    assert parser.parse_args(argv[2:]).auth_token == "-BQWk-token"
