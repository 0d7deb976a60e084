"""Agent API and the handoff queue, against the real hub app with a fake Rasa."""

import asyncio
import dataclasses
from datetime import datetime, timezone

import pytest
from sqlalchemy import update

from bot.hub.accounts.agents import create_agent
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, Handoff, Message, Ticket
from tests.unit.hub.conftest import auth, change, row, rows, start

OPEN = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # a Monday morning in Berlin
CLOSED = datetime(2026, 11, 22, 22, 0, tzinfo=timezone.utc)  # Sunday night


@pytest.fixture()
async def team(client):
    repo = client.app[REPO]
    await create_agent(repo, "eva@shop.de", "Eva", "geheim123", "agent")
    await create_agent(repo, "tom@shop.de", "Tom", "geheim456", "agent")
    await create_agent(repo, "chefin@shop.de", "Chefin", "geheim789", "admin")
    client.app[QUEUE].clock = lambda: OPEN
    tokens = {}
    for email, pw in [
        ("eva@shop.de", "geheim123"),
        ("tom@shop.de", "geheim456"),
        ("chefin@shop.de", "geheim789"),
    ]:
        resp = await client.post("/api/v1/agent/login", json={"email": email, "password": pw})
        assert resp.status == 200
        tokens[email.split("@")[0]] = {"Authorization": f"Bearer {(await resp.json())['token']}"}
    return tokens


async def ask_for_human(client, conv):
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich will einen Menschen"},
        headers=auth(conv),
    )
    return (await resp.json())["messages"]


async def test_a_long_wait_is_announced_without_gleich(client, team, fake_rasa):
    queue = client.app[QUEUE]
    queue.settings = dataclasses.replace(queue.settings, long_wait_seconds=0)
    notice = (await ask_for_human(client, await start(client)))[-1]["text"]
    assert "Position 1" in notice and "Rückruf" in notice
    assert "gleich" not in notice  # not "gleich für Sie da" and "zu lange" in one message


async def test_login_rejects_wrong_password(client, team):
    resp = await client.post(
        "/api/v1/agent/login", json={"email": "eva@shop.de", "password": "falsch"}
    )
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "invalid_credentials"


async def test_handoff_round_trip(client, team, fake_rasa):
    conv = await start(client)
    cid = conv["conversation_id"]
    messages = await ask_for_human(client, conv)
    assert messages[-1]["sender"] == "system" and "Position 1" in messages[-1]["text"]
    state = await (await client.get(f"/api/v1/conversations/{cid}", headers=auth(conv))).json()
    assert state["state"] == "queued" and state["queue"]["position"] == 1

    queue = (await (await client.get("/api/v1/agent/queue", headers=team["eva"])).json())[
        "handoffs"
    ]
    assert queue[0]["conversation_id"] == cid and queue[0]["reason"] == "customer_request"
    assert queue[0]["summary"]["order_id"] == "100234"

    ticket = await (
        await client.post(f"/api/v1/conversations/{cid}/ws-ticket", headers=auth(conv))
    ).json()
    customer_ws = await client.ws_connect(
        f"/api/v1/conversations/{cid}/ws?ticket={ticket['ticket']}"
    )
    assert (
        await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["eva"])
    ).status == 200
    # customer keeps writing: it reaches the agent and the tracker, the bot stays silent
    resp = await client.post(
        f"/api/v1/conversations/{cid}/messages", json={"text": "Hallo Eva"}, headers=auth(conv)
    )
    assert [m["sender"] for m in (await resp.json())["messages"]] == ["customer"]
    reply = await client.post(
        f"/api/v1/agent/conversations/{cid}/messages",
        json={"text": "Ich schaue nach."},
        headers=team["eva"],
    )
    assert reply.status == 201
    seen = []
    while "Ich schaue nach." not in seen:
        frame = await customer_ws.receive_json(timeout=5)
        if frame["type"] == "message":
            seen.append(frame["message"]["text"])
            if frame["message"]["text"] == "Ich schaue nach.":
                assert (
                    frame["message"]["sender"] == "agent"
                    and frame["message"]["agent_name"] == "Eva"
                )
    await asyncio.sleep(0.1)
    logged = fake_rasa.events[cid]
    assert any(e["event"] == "user" and e["text"] == "Hallo Eva" for e in logged)
    assert any(e["event"] == "bot" and e["metadata"]["agent"] == "Eva" for e in logged)
    detail = await (
        await client.get(f"/api/v1/agent/conversations/{cid}", headers=team["eva"])
    ).json()
    customer_msg = [m for m in detail["messages"] if m["text"] == "Hallo Eva"][0]
    assert customer_msg["intent"] == "order_status" and customer_msg["mood"] == 0.3

    note = await client.post(
        f"/api/v1/agent/conversations/{cid}/notes",
        json={"text": "Kunde ist VIP"},
        headers=team["eva"],
    )
    assert note.status == 201
    transcript = await (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=auth(conv))
    ).json()
    assert not any("VIP" in (m["text"] or "") for m in transcript["messages"])

    back = await client.post(f"/api/v1/agent/conversations/{cid}/handback", headers=team["eva"])
    texts = [m["text"] for m in (await back.json())["messages"]]
    assert "Hier ist wieder Wanda." in texts and fake_rasa.executed == ["action_welcome_back"]
    listen = {"event": "action", "name": "action_listen"}
    assert fake_rasa.events[cid][-3:] == [listen, {"event": "resume"}, listen]
    resp = await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"payload": '/rate{"rating":"4"}', "title": "4"},
        headers=auth(conv),
    )
    assert resp.status == 200
    stored_conv = await row(client, Conversation, cid)
    assert stored_conv.rating == 4 and stored_conv.state == "bot"
    await customer_ws.close()


async def test_two_agents_claim_at_once_exactly_one_wins(client, team):
    conv = await start(client)
    await ask_for_human(client, conv)
    url = f"/api/v1/agent/conversations/{conv['conversation_id']}/claim"
    results = await asyncio.gather(
        client.post(url, headers=team["eva"]), client.post(url, headers=team["tom"])
    )
    assert sorted(r.status for r in results) == [200, 409]
    handoff = (await rows(client, Handoff))[0]
    assert handoff.state == "claimed" and handoff.claimed_by is not None


async def test_priority_then_first_come(client, team, fake_rasa):
    first, second = await start(client), await start(client)
    await ask_for_human(client, first)
    await ask_for_human(client, second)
    await change(
        client,
        update(Handoff)
        .where(Handoff.conversation_id == second["conversation_id"])
        .values(priority="urgent"),
    )
    queue = (await (await client.get("/api/v1/agent/queue", headers=team["eva"])).json())[
        "handoffs"
    ]
    assert [h["conversation_id"] for h in queue] == [
        second["conversation_id"],
        first["conversation_id"],
    ]


async def test_outside_hours_creates_a_ticket_instead_of_queueing(client, team):
    client.app[QUEUE].clock = lambda: CLOSED
    conv = await start(client)
    messages = await ask_for_human(client, conv)
    assert "niemand" in messages[-1]["text"] and "Morgen ab 8 Uhr" in messages[-1]["text"]
    tickets = (await (await client.get("/api/v1/agent/tickets", headers=team["eva"])).json())[
        "tickets"
    ]
    assert len(tickets) == 1 and tickets[0]["summary"]["topic"] == "Lieferstatus"
    state = await (
        await client.get(f"/api/v1/conversations/{conv['conversation_id']}", headers=auth(conv))
    ).json()
    assert state["state"] == "bot"


async def test_no_agent_online_creates_a_ticket(client, fake_rasa):
    conv = await start(client)
    client.app[QUEUE].clock = lambda: OPEN
    messages = await ask_for_human(client, conv)
    assert "niemand" in messages[-1]["text"]
    assert len(await rows(client, Ticket)) == 1


async def test_callback_request_leaves_the_queue(client, team):
    conv = await start(client)
    await ask_for_human(client, conv)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "0171 1234567", "note": "abends"},
        headers=auth(conv),
    )
    assert resp.status == 201
    handoff, ticket = (await rows(client, Handoff))[0], (await rows(client, Ticket))[0]
    assert handoff.state == "left" and ticket.contact == "0171 1234567"
    assert (await (await client.get("/api/v1/agent/queue", headers=team["eva"])).json())[
        "handoffs"
    ] == []


async def test_close_and_idle_close(client, team, fake_rasa):
    conv = await start(client)
    cid = conv["conversation_id"]
    await ask_for_human(client, conv)
    await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["eva"])
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/close",
        json={"resolution": "Erstattet"},
        headers=team["eva"],
    )
    assert resp.status == 200
    closed = await row(client, Conversation, cid)
    assert closed.state == "closed" and closed.resolution == "Erstattet"
    # issue 27.5: the customer is asked for a rating, as on a hand-back
    assert fake_rasa.executed == ["utter_ask_rating"]
    transcript = await (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=auth(conv))
    ).json()
    asked = transcript["messages"][-1]
    assert asked["text"] == "Wie zufrieden waren Sie?" and len(asked["buttons"]) == 5
    other = await start(client)
    await ask_for_human(client, other)
    await client.post(
        f"/api/v1/agent/conversations/{other['conversation_id']}/claim", headers=team["tom"]
    )
    client.app[SETTINGS].agent_idle_close_seconds = -1
    await client.app[QUEUE].housekeeping()
    assert (await row(client, Conversation, other["conversation_id"])).state == "closed"
    assert fake_rasa.executed == ["utter_ask_rating"]  # nobody asked after an idle close


async def test_transfer_and_capacity(client, team):
    conv = await start(client)
    cid = conv["conversation_id"]
    await ask_for_human(client, conv)
    await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=team["eva"])
    agents = (await (await client.get("/api/v1/agent/agents", headers=team["eva"])).json())[
        "agents"
    ]
    tom = [a for a in agents if a["name"] == "Tom"][0]
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/transfer",
        json={"agent_id": tom["id"]},
        headers=team["eva"],
    )
    assert (
        resp.status == 200 and (await resp.json())["conversation"]["assigned_agent_id"] == tom["id"]
    )
    # Eva no longer owns it
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/messages", json={"text": "x"}, headers=team["eva"]
    )
    assert resp.status == 409


AGENT_CALLS = [
    ("POST", "/api/v1/agent/logout", None),
    ("GET", "/api/v1/agent/me", None),
    ("POST", "/api/v1/agent/presence", {"status": "online"}),
    ("GET", "/api/v1/agent/queue", None),
    ("GET", "/api/v1/agent/agents", None),
    ("GET", "/api/v1/agent/conversations", None),
    ("GET", "/api/v1/agent/conversations/{cid}", None),
    ("POST", "/api/v1/agent/conversations/{cid}/claim", None),
    ("POST", "/api/v1/agent/conversations/{cid}/messages", {"text": "hi"}),
    ("POST", "/api/v1/agent/conversations/{cid}/notes", {"text": "n"}),
    ("POST", "/api/v1/agent/conversations/{cid}/transfer", {"agent_id": 1}),
    ("POST", "/api/v1/agent/conversations/{cid}/handback", None),
    ("POST", "/api/v1/agent/conversations/{cid}/close", {"resolution": "x"}),
    ("GET", "/api/v1/agent/canned", None),
    ("GET", "/api/v1/agent/tickets", None),
    ("POST", "/api/v1/agent/tickets/1/close", None),
    ("GET", "/api/v1/agent/ws", None),
    ("POST", "/api/v1/agent/agents", {"email": "x@y.de", "name": "X", "password": "12345678"}),
]


@pytest.mark.parametrize("method, path, body", AGENT_CALLS)
async def test_every_agent_call_rejects_unauthenticated(client, team, method, path, body):
    conv = await start(client)
    await ask_for_human(client, conv)
    before = (
        [(h.state, h.claimed_by) for h in await rows(client, Handoff)],
        len(await rows(client, Message)),
    )
    url = path.format(cid=conv["conversation_id"])
    for headers in ({}, {"Authorization": "Bearer forged"}, auth(conv)):
        resp = await client.request(method, url, json=body, headers=headers)
        assert resp.status == 401, (url, headers)
        assert (await resp.json())["error"]["code"] == "unauthenticated"
    after = (
        [(h.state, h.claimed_by) for h in await rows(client, Handoff)],
        len(await rows(client, Message)),
    )
    assert after == before


async def test_admin_only_calls_refuse_agents(client, team):
    body = {"email": "neu@shop.de", "name": "Neu", "password": "geheim999"}
    resp = await client.post("/api/v1/agent/agents", json=body, headers=team["eva"])
    assert resp.status == 403
    resp = await client.post("/api/v1/agent/agents", json=body, headers=team["chefin"])
    assert resp.status == 201 and (await resp.json())["role"] == "agent"


async def test_logout_ends_the_session(client, team):
    assert (await client.post("/api/v1/agent/logout", headers=team["tom"])).status == 200
    assert (await client.get("/api/v1/agent/me", headers=team["tom"])).status == 401


async def test_silent_agent_goes_away_and_leaves_the_headcount(client, team):
    queue, repo = client.app[QUEUE], client.app[REPO]
    assert await repo.online_count() == 3
    client.app[SETTINGS].agent_auto_away_seconds = -1
    await queue.housekeeping()
    me = await (await client.get("/api/v1/agent/me", headers=team["eva"])).json()
    assert me["status"] == "away" and await repo.online_count() == 0
    back = await client.post(
        "/api/v1/agent/presence", json={"status": "online"}, headers=team["eva"]
    )
    assert (await back.json())["status"] == "online" and await repo.online_count() == 1
