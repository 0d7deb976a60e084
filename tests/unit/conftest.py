"""Hub fixtures: the real app on a temp SQLite database, with a fake Rasa."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from aiohttp.test_utils import TestServer

from bot.app import init_app
from bot.settings import Settings
from tests.fakes import FakeRasa


@pytest.fixture()
async def fake_rasa():
    fake = FakeRasa()
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    await server.close()


@pytest.fixture()
def settings(tmp_path, fake_rasa) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'hub.db'}", rasa_url=fake_rasa.url, retry_interval=3600,
                    rate_conversation=(1000, 60.0), rate_client=(1000, 60.0), cors_origins=["https://shop.example"])


@pytest.fixture()
async def client(aiohttp_client, settings):
    return await aiohttp_client(init_app(settings))


async def start(client) -> Dict[str, Any]:
    resp = await client.post("/api/v1/conversations", json={"channel": "webchat"})
    assert resp.status == 201
    return await resp.json()


def auth(conv: Dict[str, Any]) -> Dict[str, str]:
    return {"Authorization": f"Bearer {conv['token']}"}
