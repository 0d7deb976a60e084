"""/metrics: Prometheus text format (parsed by prometheus_client's own parser), counted from real turns; protected."""

from __future__ import annotations

from typing import Dict, Tuple

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.push import BUS
from tests.unit.hub.conftest import auth, start

Samples = Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]


async def scrape(client, **headers: str) -> Samples:
    resp = await client.get("/metrics", headers=headers)
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(await resp.text())
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_turns_messages_queue_and_agents_are_counted(client, agent, fake_rasa):
    conv = await start(client)
    assert (
        await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": "Hallo"},
            headers=auth(conv),
        )
    ).status == 200
    assert (
        await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
            json={"text": "Ich will einen Menschen"},
            headers=auth(conv),
        )
    ).status == 200
    m = await scrape(client)
    assert value(m, "kundendialog_turn_seconds_count", part="hub", channel="webchat") == 2
    assert value(m, "kundendialog_turn_seconds_count", part="rasa", channel="webchat") == 2
    assert value(m, "kundendialog_messages_total", channel="webchat", sender="customer") == 2
    assert (
        value(m, "kundendialog_messages_total", channel="webchat", sender="bot") == 2
    )  # echo + handoff text
    assert (
        value(m, "kundendialog_messages_total", channel="webchat", sender="system") == 1
    )  # the queue notice
    assert value(m, "kundendialog_queue_length") == 1
    assert value(m, "kundendialog_agents_online") == 1
    assert value(m, "kundendialog_rasa_errors_total", kind="rasa") == 0


async def test_rasa_and_action_errors_and_retries(client, fake_rasa):
    conv = await start(client)
    url, headers = f"/api/v1/conversations/{conv['conversation_id']}/messages", auth(conv)
    fake_rasa.down = True
    await client.post(url, json={"text": "eins"}, headers=headers)
    fake_rasa.down = False
    fake_rasa.failing_turns = 1
    assert (
        await client.app[CONVERSATIONS].retry_pending() == 0
    )  # the retry meets a failed custom action
    assert await client.app[CONVERSATIONS].retry_pending() == 1
    m = await scrape(client)
    assert value(m, "kundendialog_rasa_errors_total", kind="rasa") == 1
    assert value(m, "kundendialog_rasa_errors_total", kind="action") == 1
    assert value(m, "kundendialog_retries_total") == 2


async def test_open_websockets_are_counted_per_side(client):
    bus = client.app[BUS]
    queues = [
        ("conv:a", bus.subscribe("conv:a")),
        ("conv:b", bus.subscribe("conv:b")),
        ("agents", bus.subscribe("agents")),
    ]
    m = await scrape(client)
    assert (
        value(m, "kundendialog_websockets", side="customer") == 2
        and value(m, "kundendialog_websockets", side="agent") == 1
    )
    for topic, queue in queues:
        bus.unsubscribe(topic, queue)
    assert value(await scrape(client), "kundendialog_websockets", side="customer") == 0


@pytest.mark.parametrize(
    "header", ["X-Forwarded-For", "Forwarded", "X-Forwarded-Proto", "X-Real-IP", "Via"]
)
async def test_without_a_token_only_direct_loopback_calls_are_answered(client, header):
    resp = await client.get("/metrics", headers={header: "203.0.113.9"})
    assert resp.status == 403
    assert "kundendialog_" not in await resp.text()


async def test_with_a_token_it_is_needed(aiohttp_client, settings):
    from bot.hub.app import init_app

    settings.metrics_token = "scrape-geheim"
    client = await aiohttp_client(init_app(settings))
    assert (await client.get("/metrics")).status == 401
    assert (await client.get("/metrics", headers={"Authorization": "Bearer falsch"})).status == 401
    assert (
        await client.get(
            "/metrics",
            headers={"Authorization": "Bearer scrape-geheim", "X-Forwarded-For": "203.0.113.9"},
        )
    ).status == 200
