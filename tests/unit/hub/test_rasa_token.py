"""The hub sends its Rasa token on every call (Rasa's API and the project's channels refuse calls without it)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from bot.hub.rasa_client import RasaClient, RasaUnavailable
from tests.fakes import FakeRasa


@pytest.fixture()
async def guarded():
    fake = FakeRasa(token="t0ken")
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("")).rstrip("/")
    await server.close()


async def test_every_call_carries_the_token(guarded):
    fake, url = guarded
    client = RasaClient(url, token="t0ken")
    try:
        assert (await client.send("c1", "Hallo", "m1"))[0]["text"] == "Echo: Hallo"
        await client.parse("Hallo")
        await client.append_events("c1", [{"event": "action", "name": "action_listen"}])
        await client.execute("c1", "action_welcome_back")
        assert await client.ready()
    finally:
        await client.close()
    assert fake.refused == 0


async def test_without_the_token_rasa_is_unavailable(guarded):
    fake, url = guarded
    client = RasaClient(url, token="")
    try:
        with pytest.raises(RasaUnavailable, match="401"):
            await client.send("c1", "Hallo", "m1")
        assert not await client.ready()
    finally:
        await client.close()
    assert fake.refused == 2 and fake.received == []
