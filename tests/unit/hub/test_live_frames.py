"""Issue 27.3: typing and read state both ways over the websockets (bot/hub/web/live_frames.py): the
agent's reach the customer only from the agent the conversation is with; the customer's reach agents
who may see the conversation."""

from __future__ import annotations

from typing import Any, Dict

from tests.unit.hub.conftest import auth, start
from tests.unit.hub.test_agent_security import agent_socket
from tests.unit.hub.test_api_agent import ask_for_human, team  # noqa: F401 - the fixture


async def next_of(ws, kind: str) -> Dict[str, Any]:
    while True:
        frame = await ws.receive_json(timeout=5)
        if frame.get("type") == kind:
            return frame


async def test_typing_and_read_both_ways(client, team):  # noqa: F811
    conv = await start(client)
    cid = conv["conversation_id"]
    await ask_for_human(client, conv)
    base = f"/api/v1/agent/conversations/{cid}"
    assert (await client.post(f"{base}/claim", headers=team["eva"])).status == 200
    ticket = await (
        await client.post(f"/api/v1/conversations/{cid}/ws-ticket", headers=auth(conv))
    ).json()
    customer = await client.ws_connect(f"/api/v1/conversations/{cid}/ws?ticket={ticket['ticket']}")
    eva = await agent_socket(client, team["eva"])
    tom = await agent_socket(client, team["tom"])
    await next_of(eva, "queue")  # the hello: the socket is subscribed
    await next_of(tom, "queue")

    # Tom is not the agent of this conversation: his typing goes nowhere
    await tom.send_json({"type": "typing", "conversation_id": cid})
    await eva.send_json({"type": "typing", "conversation_id": cid})
    assert await next_of(customer, "typing") == {"type": "typing", "sender": "agent"}
    await eva.send_json({"type": "read", "conversation_id": cid, "seq": 7})
    assert await next_of(customer, "read") == {"type": "read", "seq": 7, "sender": "agent"}

    await customer.send_str("kein JSON")  # ignored, the socket stays
    await customer.send_json({"type": "read", "seq": "viele"})  # malformed: dropped
    await customer.send_json({"type": "typing"})
    assert await next_of(eva, "typing") == {
        "type": "typing",
        "conversation_id": cid,
        "sender": "customer",
    }
    await customer.send_json({"type": "read", "seq": 5})
    assert await next_of(eva, "read") == {
        "type": "read",
        "seq": 5,
        "conversation_id": cid,
        "sender": "customer",
    }
    # Tom cannot see Eva's conversation: neither frame reaches him (the next frame he gets is the queue's)
    await client.post(f"/api/v1/agent/conversations/{cid}/handback", headers=team["eva"])
    frame = await tom.receive_json(timeout=5)
    assert frame["type"] not in ("typing", "read")
    for ws in (customer, eva, tom):
        await ws.close()


async def test_presence_changes_reach_consoles(client, team):  # noqa: F811
    """Issue 27.4: team online counts are fetched again when someone's presence changes."""
    eva = await agent_socket(client, team["eva"])
    await next_of(eva, "queue")
    resp = await client.post("/api/v1/agent/presence", json={"status": "away"}, headers=team["tom"])
    assert resp.status == 200
    assert await next_of(eva, "presence") == {"type": "presence"}
    await eva.close()


async def test_the_close_form_names_its_field_in_german(client, team):  # noqa: F811
    conv = await start(client)
    cid = conv["conversation_id"]
    await ask_for_human(client, conv)
    base = f"/api/v1/agent/conversations/{cid}"
    assert (await client.post(f"{base}/claim", headers=team["eva"])).status == 200
    resp = await client.post(f"{base}/close", json={"resolution": "  "}, headers=team["eva"])
    assert resp.status == 422
    assert (await resp.json())["error"]["message"] == "'Ergebnis' darf nicht leer sein."
    assert (await client.post(f"{base}/close", json={}, headers=team["eva"])).status == 200


async def test_a_request_closed_by_a_colleague_reaches_the_other_consoles(client, team):  # noqa: F811
    """Issue 27.4: the other agents' lists learn at once that a request is done."""
    conv = await start(client)
    await ask_for_human(client, conv)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "anna@web.de"},
        headers=auth(conv),
    )
    assert resp.status == 201, await resp.text()
    ticket = await resp.json()
    tom = await agent_socket(client, team["tom"])
    await next_of(tom, "queue")
    closed = await client.post(f"/api/v1/agent/tickets/{ticket['id']}/close", headers=team["eva"])
    assert closed.status == 200
    frame = await next_of(tom, "ticket")
    assert frame["ticket"]["id"] == ticket["id"] and frame["ticket"]["status"] == "done"
    await tom.close()
