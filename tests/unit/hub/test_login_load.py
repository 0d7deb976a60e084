"""30 agent logins per second with wrong passwords must not stall the hub (issue 11). What is
deterministic is checked here: every argon2 verification runs off the event loop, at most
`login_concurrency` at once, and the customer turns in the middle of the flood are answered. The
latency figures (a concurrent turn within 50 ms of its unloaded latency) are measured by
`make bench-login` (bench/login_load.py), not asserted: a timing threshold fails on a busy CI core.
Real argon2 cost, the real hub app on SQLite, the fake Rasa."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import List, Set

import pytest
from argon2 import PasswordHasher

from bot.hub.accounts.agents import create_agent
from bot.hub.app import init_app
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.settings import Settings
from tests.unit.hub.conftest import auth, start

RATE, SECONDS = 30, 3.0


class RecordingHasher(PasswordHasher):
    """Production cost; records which thread verifies and how many verify at once."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: Set[int] = set()
        self.active = self.most = self.calls = 0
        self._lock = threading.Lock()

    def verify(self, hash, password) -> bool:  # noqa: A002 - argon2's own parameter name
        with self._lock:
            self.threads.add(threading.get_ident())
            self.active += 1
            self.calls += 1
            self.most = max(self.most, self.active)
        try:
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.active -= 1


@pytest.fixture()
def hasher(monkeypatch) -> RecordingHasher:
    """Production cost (the autouse fixture of conftest makes hashing cheap for other tests)."""
    recording = RecordingHasher()
    monkeypatch.setattr("bot.hub.accounts.agents._hasher", recording)
    return recording


@pytest.fixture(params=["no_throttle", "default_throttle"])
async def hub(request, aiohttp_client, fake_rasa, tmp_path, hasher):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'hub.db'}",
        rasa_url=fake_rasa.url,
        rasa_token=getattr(fake_rasa, "token", ""),
        retry_interval=3600,
        rate_conversation=(100_000, 60.0),
        rate_client=(100_000, 60.0),
    )
    if (
        request.param == "no_throttle"
    ):  # every attempt reaches argon2: only the bounded pool protects the loop
        settings.login_free_failures_ip = settings.login_free_failures_account = 1_000_000
    return await aiohttp_client(init_app(settings))


async def customer_turn(client, conv) -> None:
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers=auth(conv),
    )
    assert resp.status == 200
    await resp.read()


async def simple_request(client) -> None:
    resp = await client.get("/api/v1/states")
    assert resp.status == 200
    await resp.read()


async def test_login_flood_runs_argon2_off_the_loop_and_bounded(hub, hasher):
    client = hub
    await create_agent(client.app[REPO], "eva@shop.de", "Eva", "geheim123", "agent")
    conv = await start(client)
    await customer_turn(client, conv)  # warm-up: connections, caches, the dummy hash
    await client.post("/api/v1/agent/login", json={"email": "eva@shop.de", "password": "falsch"})
    loop_thread = threading.get_ident()

    statuses: List[int] = []

    async def attempt(i: int) -> None:
        who = "eva@shop.de" if i % 2 else f"raten{i}@shop.de"
        resp = await client.post(
            "/api/v1/agent/login", json={"email": who, "password": f"falsch{i}"}
        )
        statuses.append(resp.status)
        await resp.read()

    async def flood() -> None:
        tasks, started = [], time.perf_counter()
        for i in range(int(RATE * SECONDS)):
            await asyncio.sleep(max(0.0, started + i / RATE - time.perf_counter()))
            tasks.append(asyncio.create_task(attempt(i)))
        await asyncio.gather(*tasks)

    flooding = asyncio.create_task(flood())
    await asyncio.sleep(0.3)  # let the pool fill up
    for _ in range(5):  # customers keep being answered while the pool is busy
        await customer_turn(client, conv)
        await simple_request(client)
    await flooding
    assert len(statuses) == RATE * SECONDS and set(statuses) <= {401, 429}
    assert hasher.calls > 0 and loop_thread not in hasher.threads
    assert 1 <= hasher.most <= client.app[SETTINGS].login_concurrency
