"""Teams, what the console needs on top of the queue: an agent's open requests and websocket frames are those of
their teams only (supervisors and admins see all), and the expected wait of a team comes from that team's recent
claims (none yet: all teams')."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Dict, List

from sqlalchemy import update

from bot.hub.keys.handoff import QUEUE
from bot.hub.states import HandoffState
from bot.hub.store.models import Handoff
from tests.unit.hub.conftest import auth, change, rows
from tests.unit.hub.test_teams import ask, hub, login  # noqa: F401 - `hub` is the teams fixture

__all__ = ["hub"]


async def callback(client, conv: Dict[str, Any], contact: str) -> Dict[str, Any]:
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": contact},
        headers=auth(conv),
    )
    assert resp.status == 201
    return await resp.json()


async def test_open_requests_are_those_of_the_agents_teams(hub):  # noqa: F811
    eva = await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    supervisor = await login(hub, "sina@shop.de", "Sina", "supervisor")
    await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    dispute, _ = await ask(hub, "Das ist eine Rückbuchung")
    general, _ = await ask(hub, "Wo ist mein Paket")
    accounting = await callback(hub, dispute, "kunde@example.de")
    service = await callback(hub, general, "andere@example.de")
    assert accounting["team"] == "buchhaltung" and service["team"] == "kundenservice"

    async def ticket_ids(headers: Dict[str, str]) -> List[int]:
        resp = await hub.get("/api/v1/agent/tickets", headers=headers)
        assert resp.status == 200
        body = await resp.json()
        assert (
            body["mail_enabled"] is False
        )  # off by default: the console greys out "Antwort per E-Mail"
        return [t["id"] for t in body["tickets"]]

    assert await ticket_ids(eva) == [service["id"]]
    assert await ticket_ids(bernd) == [accounting["id"]]
    assert (
        await ticket_ids(admin) == await ticket_ids(supervisor) == [accounting["id"], service["id"]]
    )


def is_state_of(conv_id: str, state: str | None = None):
    return lambda f: (
        f["type"] == "conversation"
        and f["conversation"]["conversation_id"] == conv_id
        and state in (None, f["conversation"]["state"])
    )


async def frames_until(ws, done) -> List[Dict[str, Any]]:
    """Frames up to the first for which `done(frame)` holds."""
    seen: List[Dict[str, Any]] = []
    while True:
        frame = await asyncio.wait_for(ws.receive_json(), 10)
        seen.append(frame)
        if done(frame):
            return seen


async def test_websocket_carries_no_state_of_other_teams_waiting_conversations(hub):  # noqa: F811
    eva = await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )

    async def socket(headers: Dict[str, str]):
        ticket = (await (await hub.post("/api/v1/agent/ws-ticket", headers=headers)).json())[
            "ticket"
        ]
        ws = await hub.ws_connect(f"/api/v1/agent/ws?ticket={ticket}")
        assert (await asyncio.wait_for(ws.receive_json(), 10))["type"] == "queue"  # hello
        return ws

    eva_ws, bernd_ws, admin_ws = await socket(eva), await socket(bernd), await socket(admin)
    dispute, _ = await ask(hub, "Das ist eine Rückbuchung")
    await callback(hub, dispute, "kunde@example.de")  # a request of Buchhaltung
    general, _ = await ask(
        hub, "Wo ist mein Paket"
    )  # the sentinel: Kundenservice, so Eva gets its state
    for_eva = await frames_until(eva_ws, is_state_of(general["conversation_id"]))
    assert dispute["conversation_id"] not in str(
        for_eva
    )  # neither its state, nor its queue entry, nor the ticket
    assert [f for f in for_eva if f["type"] == "ticket"] == []
    for ws in (bernd_ws, admin_ws):  # Buchhaltung and the admin do get them
        frames = await frames_until(ws, lambda f: f["type"] == "ticket")
        assert frames[-1]["ticket"]["team"] == "buchhaltung"
        assert any(is_state_of(dispute["conversation_id"], "queued")(f) for f in frames)
    assert general["conversation_id"] not in str(
        await frames_until(bernd_ws, is_state_of(dispute["conversation_id"], "bot"))
    )

    # Bernd hands a conversation of his over to Kundenservice: he learns it left him, Eva sees it waiting
    second, _ = await ask(hub, "Noch eine Rückbuchung")
    assert (
        await hub.post(
            f"/api/v1/agent/conversations/{second['conversation_id']}/claim", headers=bernd
        )
    ).status == 200
    resp = await hub.post(
        f"/api/v1/agent/conversations/{second['conversation_id']}/transfer-team",
        json={"team": "kundenservice"},
        headers=bernd,
    )
    assert resp.status == 200
    await frames_until(bernd_ws, is_state_of(second["conversation_id"], "queued"))
    seen = await frames_until(eva_ws, is_state_of(second["conversation_id"], "queued"))
    assert not any(
        is_state_of(second["conversation_id"], "agent")(f) for f in seen
    )  # not while Bernd had it
    for ws in (eva_ws, bernd_ws, admin_ws):
        await ws.close()


async def claimed_after(client, conv_id: str, seconds: int) -> None:
    """The waiting handoff of `conv_id` counts as claimed `seconds` after it was queued."""
    (handoff,) = await rows(client, Handoff, Handoff.conversation_id == conv_id)
    await change(
        client,
        update(Handoff)
        .where(Handoff.id == handoff.id)
        .values(
            state=HandoffState.CLAIMED, claimed_at=handoff.queued_at + timedelta(seconds=seconds)
        ),
    )


async def test_expected_wait_per_team_from_that_teams_claims(hub):  # noqa: F811
    await login(hub, "eva@shop.de", "Eva")
    bernd = await login(hub, "bernd@shop.de", "Bernd")
    admin = await login(hub, "chefin@shop.de", "Chefin", "admin")
    await hub.post(
        f"/api/v1/agent/agents/{bernd['X-Agent-Id']}/teams",
        json={"teams": ["buchhaltung"]},
        headers=admin,
    )
    queue = hub.app[QUEUE]

    first, _ = await ask(hub, "Wo ist mein Paket")
    await claimed_after(hub, first["conversation_id"], 60)
    dispute, _ = await ask(hub, "Das ist eine Rückbuchung")
    # Buchhaltung has no claims yet: the wait of all teams (Kundenservice's 60 s)
    assert (await queue.positions())[dispute["conversation_id"]]["expected_wait_seconds"] == 60
    await claimed_after(hub, dispute["conversation_id"], 900)

    dispute2, _ = await ask(hub, "Noch eine Rückbuchung")
    general, _ = await ask(hub, "Wo ist mein Paket")
    positions = await queue.positions()
    assert positions[dispute2["conversation_id"]]["expected_wait_seconds"] == 900
    assert positions[general["conversation_id"]]["expected_wait_seconds"] == 60
    assert await queue.average_handle_seconds() == 480  # all teams: (60 + 900) / 2
