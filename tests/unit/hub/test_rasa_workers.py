"""Several Rasa workers: one conversation always reaches the same worker, and all of them get work."""

from __future__ import annotations

from typing import List

import pytest
from aiohttp.test_utils import TestServer

from bot.hub.rasa_client import RasaClient, RasaUnavailable
from bot.hub.settings import Settings
from bot.ops.launcher import commands, rasa_workers
from tests.fakes import FakeRasa


async def workers(n: int) -> tuple[List[FakeRasa], List[TestServer]]:
    fakes, servers = [], []
    for _ in range(n):
        fake = FakeRasa()
        server = TestServer(fake.app, host="127.0.0.1")
        await server.start_server()
        fakes.append(fake)
        servers.append(server)
    return fakes, servers


async def test_each_conversation_sticks_to_one_worker_and_both_get_work() -> None:
    fakes, servers = await workers(2)
    client = RasaClient([str(s.make_url("")) for s in servers])
    try:
        senders = [f"conv-{i}" for i in range(40)]
        for sender in senders:
            await client.send(sender, "Hallo", f"m1-{sender}")
            await client.append_events(sender, [{"event": "action", "name": "action_listen"}])
            await client.send(sender, "Danke", f"m2-{sender}")
        for fake in fakes:
            for sender in {body["sender"] for body in fake.received}:
                assert [b["message"] for b in fake.received if b["sender"] == sender] == [
                    "Hallo",
                    "Danke",
                ]
                assert sender in fake.events  # tracker events went to the same worker
        owners = [{b["sender"] for b in fake.received} for fake in fakes]
        assert owners[0].isdisjoint(owners[1])
        assert all(len(o) >= 10 for o in owners), [len(o) for o in owners]  # crc32 spreads 40 ids
        # Another hub process (a new client) routes the same way: the hash is not per-process.
        assert all(RasaClient(client.base_urls).worker(s) == client.worker(s) for s in senders)
        assert await client.ready()
    finally:
        await client.close()
        for server in servers:
            await server.close()


async def test_ready_only_when_every_worker_answers() -> None:
    fakes, servers = await workers(2)
    urls = [str(s.make_url("")) for s in servers]
    await servers[1].close()
    client = RasaClient(urls, timeout=2)
    try:
        assert not await client.ready()
    finally:
        await client.close()
        await servers[0].close()


def test_workers_get_their_own_ports_and_processes() -> None:
    settings = Settings(rasa_url="http://127.0.0.1:6005,http://127.0.0.1:6006")
    assert rasa_workers(settings) == {"rasa": 6005, "rasa-2": 6006}
    argv = commands(settings, settings.var_dir, settings.var_dir / "endpoints.yml")
    assert [argv[name][argv[name].index("-p") + 1] for name in ("rasa", "rasa-2")] == [
        "6005",
        "6006",
    ]
    assert set(argv) == {"actions", "rasa", "rasa-2", "hub"}


async def test_a_conversation_goes_to_the_next_worker_only_while_its_own_refuses_connections() -> (
    None
):
    fakes, servers = await workers(2)
    urls = [str(s.make_url("")) for s in servers]
    client = RasaClient(urls, timeout=5)
    sender = next(f"conv-{i}" for i in range(100) if client.worker(f"conv-{i}") == urls[1])
    try:
        fakes[1].down = True  # up, but answering with an error: the message stays its own
        with pytest.raises(RasaUnavailable):
            await client.send(sender, "Hallo", "m1")
        assert fakes[0].received == []
        port = servers[1].port
        await servers[1].close()  # down: its conversations go to the other worker
        with pytest.raises(RasaUnavailable):  # the kept-alive connection was cut: that try fails
            await client.send(sender, "Hallo", "m1", retry=True)
        assert (await client.send(sender, "Hallo", "m1", retry=True))[0]["text"] == "Echo: Hallo"
        await client.append_events(sender, [{"event": "action", "name": "action_listen"}])
        assert [b["message"] for b in fakes[0].received] == ["Hallo"]
        assert sender in fakes[0].events
        fakes[1].down = False
        servers[1] = TestServer(fakes[1].app, host="127.0.0.1", port=port)
        await servers[1].start_server()  # back: the conversation returns to its own worker
        await client.send(sender, "Danke", "m2")
        assert [b["message"] for b in fakes[1].received] == ["Danke"]
    finally:
        await client.close()
        for server in servers:
            await server.close()
