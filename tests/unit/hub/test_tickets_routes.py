"""Requests as agents work them (issue 27.7): numbers as the customer saw them, filters and sorting,
status moves (checked and audited), the assignee, taking a request over into a chat (or keeping it as
a request when the customer is gone), grouping of one customer's repeated requests, and a plain
agent never sees another team's request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List

from sqlalchemy import update

from bot.hub.states import HandoffState
from bot.hub.store.models import AuditEntry, Conversation, Handoff, utcnow
from tests.unit.hub.conftest import auth, change, rows
from tests.unit.hub.test_teams import login
from tests.unit.hub.ticket_seed import hub, request_of  # noqa: F401 - `hub` is the fixture

__all__ = ["hub"]
BASE = "/api/v1/agent/tickets"


async def listed(client, headers: Dict[str, str], query: str = "") -> List[Dict[str, Any]]:
    resp = await client.get(f"{BASE}{query}", headers=headers)
    assert resp.status == 200, await resp.text()
    return (await resp.json())["tickets"]


async def post(client, path: str, headers: Dict[str, str], body: Any = None):
    return await client.post(f"{BASE}/{path}", json=body, headers=headers)


async def team_agents(client):
    admin = await login(client, "chefin@shop.de", "Chefin", "admin")
    eva = await login(client, "eva@shop.de", "Eva")  # Kundenservice (the default team)
    bernd = await login(client, "bernd@shop.de", "Bernd")
    resp = await client.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    assert resp.status == 200
    return admin, eva, bernd


async def test_numbers_filters_sorting_groups_and_team_visibility(hub):  # noqa: F811
    _, first = await request_of(hub, "Rückbuchung 100234, geprüft kunde@example.de")
    _, again = await request_of(hub, "Nochmal wegen Rückbuchung 100234, geprüft kunde@example.de")
    _, parcel = await request_of(hub, "Wo ist mein Paket 100999")
    _, typed = await request_of(hub, "Rückbuchung 100234 kunde@example.de")  # address not verified
    admin, eva, bernd = await team_agents(hub)

    everything = await listed(hub, admin)
    assert [t["number"] for t in everything] == [first, again, parcel, typed]  # oldest first
    assert all(t["number"] == t["id"] for t in everything)
    by_number = {t["number"]: t for t in everything}
    assert by_number[first]["group"]["count"] == 2
    assert by_number[first]["group"]["ticket_ids"] == [first, again]
    assert by_number[again]["group"] == by_number[first]["group"]
    assert by_number[typed]["group"] is None  # an address someone typed proves nothing
    assert by_number[parcel]["group"] is None
    assert [t["name"] for t in by_number[first]["tags"]] == ["Zahlung"]  # the bot's topic tag
    assert all(t["created_at"].endswith("Z") and "T" in t["created_at"] for t in everything)

    assert [t["number"] for t in await listed(hub, admin, "?sort=newest")] == [
        typed,
        parcel,
        again,
        first,
    ]
    assert [t["number"] for t in await listed(hub, admin, "?team=kundenservice")] == [parcel]
    tag = by_number[parcel]["tags"][0]["id"]
    assert [t["number"] for t in await listed(hub, admin, f"?tag={tag}")] == [parcel]

    # a plain agent: their team's requests only, whatever the filter asks for
    assert [t["number"] for t in await listed(hub, eva)] == [parcel]
    assert await listed(hub, eva, "?team=buchhaltung") == []
    assert [t["number"] for t in await listed(hub, bernd)] == [first, again, typed]
    for bad in ("?status=paused", "?sort=sideways", "?assignee=someone", "?assignee=", "?tag=0"):
        assert (await hub.get(f"{BASE}{bad}", headers=admin)).status == 422, bad


async def test_status_moves_are_checked_audited_and_filtered(hub):  # noqa: F811
    _, number = await request_of(hub, "Rückbuchung 100234")
    admin, eva, bernd = await team_agents(hub)

    async def move(to: str, headers=bernd):
        return await post(hub, f"{number}/status", headers, {"status": to})

    resp = await move("waiting")
    assert resp.status == 200 and (await resp.json())["status"] == "waiting"
    assert [t["number"] for t in await listed(hub, bernd, "?status=waiting")] == [number]
    assert (await move("reopened")).status == 409  # only a done request is reopened
    done = await move("done")
    body = await done.json()
    assert body["status"] == "done" and body["closed_by_name"] == "Bernd" and body["closed_at"]
    assert await listed(hub, bernd) == []  # not active any more
    assert (await move("waiting")).status == 409
    reopened = await (await move("reopened")).json()
    assert reopened["status"] == "reopened" and reopened["closed_at"] is None
    assert [t["number"] for t in await listed(hub, bernd)] == [number]
    assert (await move("paused")).status == 422

    refused = await move("done", headers=eva)  # another team's request
    assert refused.status == 403
    entries = await rows(hub, AuditEntry, AuditEntry.target == f"ticket:{number}")
    moves = [(e.detail["from"], e.detail["to"]) for e in entries if e.action == "ticket_status"]
    assert moves == [("open", "waiting"), ("waiting", "done"), ("done", "reopened")]
    assert any(
        e.action == "ticket_denied" and e.detail == {"action": "status", "code": "not_visible"}
        for e in entries
    )


async def test_assignee_is_mine_or_a_supervisors_choice(hub):  # noqa: F811
    _, number = await request_of(hub, "Rückbuchung 100234")
    admin, _eva, bernd = await team_agents(hub)
    bernd_id, admin_id = int(bernd["X-Agent-Id"]), int(admin["X-Agent-Id"])

    taken = await post(hub, f"{number}/assign", bernd, {"agent_id": bernd_id})
    assert (await taken.json())["assignee_name"] == "Bernd"
    assert [t["number"] for t in await listed(hub, bernd, "?assignee=me")] == [number]
    assert await listed(hub, bernd, "?assignee=none") == []
    assert (await post(hub, f"{number}/assign", bernd, {"agent_id": admin_id})).status == 403
    assert (await post(hub, f"{number}/assign", bernd, {})).status == 422
    given = await post(hub, f"{number}/assign", admin, {"agent_id": admin_id})
    assert (await given.json())["assignee_id"] == admin_id
    assert (await post(hub, f"{number}/assign", bernd, {"agent_id": None})).status == 403
    freed = await post(hub, f"{number}/assign", admin, {"agent_id": None})
    assert (await freed.json())["assignee_id"] is None


async def test_take_over_into_a_chat_when_the_customer_is_there(hub):  # noqa: F811
    conv, number = await request_of(hub, "Rückbuchung 100234")
    _admin, eva, bernd = await team_agents(hub)
    assert (await post(hub, f"{number}/take-over", eva)).status == 403  # not her team's

    resp = await post(hub, f"{number}/take-over", bernd)
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    assert body["mode"] == "chat" and body["conversation"]["state"] == "agent"
    assert body["conversation"]["assigned_agent_id"] == int(bernd["X-Agent-Id"])
    assert body["ticket"]["assignee_name"] == "Bernd"
    # the customer is told who is there now
    messages = await hub.get(
        f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
    )
    assert any("Bernd" in (m["text"] or "") for m in (await messages.json())["messages"])
    handoffs = await rows(hub, Handoff, Handoff.conversation_id == conv["conversation_id"])
    assert [h.state for h in handoffs][-1] == HandoffState.CLAIMED
    # he can answer in the chat now
    reply = await hub.post(
        f"/api/v1/agent/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich schaue mir das an."},
        headers=bernd,
    )
    assert reply.status == 201


async def test_a_customer_gone_keeps_the_request_as_a_request(hub):  # noqa: F811
    conv, number = await request_of(hub, "Rückbuchung 100234")
    _admin, _eva, bernd = await team_agents(hub)
    await change(
        hub,
        update(Conversation)
        .where(Conversation.id == conv["conversation_id"])
        .values(last_customer_at=utcnow() - timedelta(hours=2)),
    )
    tickets = await listed(hub, bernd)
    assert tickets[0]["reachable"] is False
    body = await (await post(hub, f"{number}/take-over", bernd)).json()
    assert body["mode"] == "ticket" and body["conversation"]["state"] == "bot"
    assert body["ticket"]["assignee_name"] == "Bernd"
    assert "nicht erreichbar" in body["message"]
