"""Threat: an agent harvests customer data where nothing is recorded: the request list (contacts, notes,
order summaries), the learning view (customers' own words from every team) and the internal notes, while
only opening a conversation left a trace.

Each of these reads and writes is in the audit log with who, what and from where (issue 23.12).
"""

from __future__ import annotations

from typing import Dict

from bot.hub.store.models import AuditEntry
from tests.unit.hub.conftest import auth, rows
from tests.unit.hub.test_agent_security import agent_id, queued_conversation
from tests.unit.hub.test_learning import seeded_with_parcels
from tests.unit.hub.test_reports import WEEK_QUERY
from tests.unit.hub.test_reports import login as seeded_login


async def entries(client, who: int, action: str) -> list:
    return await rows(
        client,
        AuditEntry,
        AuditEntry.agent_id == who,
        AuditEntry.action == action,
        order_by=AuditEntry.id,
    )


async def test_the_request_list_is_audited(client, team: Dict[str, Dict[str, str]]):
    conv = await queued_conversation(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "0171 1234567", "note": "Bitte nachmittags"},
        headers=auth(conv),
    )
    assert resp.status == 201
    ticket_id = (await resp.json())["id"]
    resp = await client.get("/api/v1/agent/tickets", headers=team["eva"])
    assert resp.status == 200 and "0171 1234567" in await resp.text()
    [entry] = await entries(client, await agent_id(client, "eva"), "view_tickets")
    assert entry.detail == {"count": 1, "ids": [ticket_id]} and entry.ip == "127.0.0.1"


async def test_notes_written_and_read_are_audited(client, team: Dict[str, Dict[str, str]]):
    conv = await queued_conversation(client)
    base = f"/api/v1/agent/conversations/{conv['conversation_id']}"
    resp = await client.post(f"{base}/notes", json={"text": "Kundin ist VIP"}, headers=team["tom"])
    assert resp.status == 201
    note_id = (await resp.json())["id"]
    [written] = await entries(client, await agent_id(client, "tom"), "note_added")
    assert written.target == conv["conversation_id"] and written.detail == {"note": note_id}

    resp = await client.get(base, headers=team["eva"])
    assert resp.status == 200 and "Kundin ist VIP" in await resp.text()
    [read] = await entries(client, await agent_id(client, "eva"), "view_conversation")
    assert read.target == conv["conversation_id"] and read.detail["notes"] == [note_id]


async def test_the_learning_candidates_are_audited(client):
    await seeded_with_parcels(client)
    eva = await seeded_login(client, "eva@shop.de")
    resp = await client.get(f"/api/v1/agent/learning/candidates?{WEEK_QUERY}", headers=eva)
    assert resp.status == 200
    found = await resp.json()
    [entry] = await rows(client, AuditEntry, AuditEntry.action == "view_learning_candidates")
    assert entry.detail == {
        "period": found["period"],
        "count": found["count"],
        "conversation_ids": False,
    }
