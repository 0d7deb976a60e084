"""Threat: `/api/v1/health` is public and each request asked Rasa and the action server, so anyone could
turn a flood of cheap requests into load on both; and it told everyone the hub's pid and which
internal component is down.

The probe is shared: one upstream call per KD_HEALTH_CACHE_SECONDS however many requests come in;
unauthenticated callers get only `{"status": ...}`, the health token or an agent's session the details
(issue 23.12).
"""

from __future__ import annotations

import asyncio
import os

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.hub.web.pages import HEALTH


class FakeActions:
    """The action server's /health, counting how often it is asked."""

    def __init__(self) -> None:
        self.asked = 0
        self.app = web.Application()
        self.app.router.add_get("/health", self.health)

    async def health(self, request: web.Request) -> web.Response:
        self.asked += 1
        await asyncio.sleep(0.05)  # a probe takes a while: requests meanwhile must not start more
        return web.json_response({"status": "ok"})


@pytest.fixture()
async def actions():
    fake = FakeActions()
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.port = server.port  # type: ignore[attr-defined]
    yield fake
    await server.close()


@pytest.fixture()
def settings(settings, actions):
    settings.actions_port = actions.port
    settings.health_cache_seconds = 5.0
    settings.health_token = "gesundheit-token-0123456789"
    return settings


async def test_a_flood_of_health_requests_asks_the_upstreams_once_per_interval(client, actions):
    probe = client.app[HEALTH]
    now = [1000.0]
    probe.clock = lambda: now[0]
    answers = await asyncio.gather(*(client.get("/api/v1/health") for _ in range(50)))
    assert {r.status for r in answers} == {200}
    assert actions.asked == 1 and probe.probes == 1
    for _ in range(20):
        assert (await client.get("/api/v1/health")).status == 200
    assert actions.asked == 1
    now[0] += 5.0  # the interval is over: the next request probes again, once
    await asyncio.gather(*(client.get("/api/v1/health") for _ in range(10)))
    assert actions.asked == 2 and probe.probes == 2


async def test_strangers_learn_only_the_status(client, agent):
    stranger = await client.get("/api/v1/health")
    assert stranger.status == 200 and await stranger.json() == {"status": "ok"}
    forged = await client.get("/api/v1/health", headers={"Authorization": "Bearer geraten"})
    assert await forged.json() == {"status": "ok"}
    for headers in ({"Authorization": "Bearer gesundheit-token-0123456789"}, agent):
        details = await (await client.get("/api/v1/health", headers=headers)).json()
        assert details == {
            "status": "ok",
            "database": "ok",
            "rasa": "ok",
            "actions": "ok",
            "pid": os.getpid(),
        }


async def test_without_a_configured_token_the_supervisors_derived_token_works(client, settings):
    settings.health_token = ""
    headers = {"Authorization": f"Bearer {settings.health_secret()}"}
    details = await (await client.get("/api/v1/health", headers=headers)).json()
    assert details["pid"] == os.getpid()


async def test_a_down_component_is_a_503_with_the_status_only(client, settings):
    settings.actions_port = 9  # nobody listens: the action server is down
    resp = await client.get("/api/v1/health")
    assert resp.status == 503 and await resp.json() == {"status": "starting"}
