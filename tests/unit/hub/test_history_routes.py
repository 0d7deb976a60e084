"""The customer history panel (issue 27.12): a customer is recognised by the e-mail the bot verified,
an address confirmed by its owner, or their messenger account - never by an address they only typed;
the panel lists their earlier conversations, requests and orders, of the agent's teams only; merging
two conversations keeps both transcripts and puts both on the audit log."""

from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import update

from bot.hub.keys.store import REPO
from bot.hub.store.models import AuditEntry, Conversation, Ticket
from tests.unit.hub.conftest import change, rows
from tests.unit.hub.test_tickets_routes import team_agents
from tests.unit.hub.ticket_seed import hub, request_of  # noqa: F401 - `hub` is the fixture

__all__ = ["hub"]


def base(conv_id: str) -> str:
    return f"/api/v1/agent/conversations/{conv_id}"


async def history(client, conv_id: str, headers) -> Dict[str, Any]:
    resp = await client.get(f"{base(conv_id)}/history", headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def ids(body: Dict[str, Any]) -> set:
    return {c["conversation_id"] for c in body["conversations"]}


async def customer(client):
    """One customer (kunde@example.de) in three conversations, and a stranger who typed that address."""
    first, _ = await request_of(client, "Rückbuchung 100234, geprüft kunde@example.de")
    parcel, _ = await request_of(client, "Wo ist Paket 100999, geprüft kunde@example.de")
    typed, _ = await request_of(client, "Rückbuchung 100234 kunde@example.de")
    confirmed, confirmed_ticket = await request_of(client, "Rückbuchung 100555")
    await change(
        client,
        update(Ticket)
        .where(Ticket.id == confirmed_ticket)
        .values(contact="Kunde@Example.de", contact_confirmed="Kunde@Example.de"),
    )
    return [c["conversation_id"] for c in (first, parcel, typed, confirmed)]


async def test_recognised_only_by_verified_contacts_and_shown_by_team(hub):  # noqa: F811
    first, parcel, typed, confirmed = await customer(hub)
    admin, eva, bernd = await team_agents(hub)

    body = await history(hub, first, admin)
    assert body["customer"] == {
        "recognised": True,
        "by": ["email"],
        "emails": ["kunde@example.de"],
        "messenger": None,
    }
    assert ids(body) == {first, parcel, confirmed}  # the typed address links nothing
    assert [c["current"] for c in body["conversations"] if c["conversation_id"] == first] == [True]
    assert {o["order_id"] for o in body["orders"]} == {"100234", "100999", "100555"}
    assert {t["conversation_id"] for t in body["tickets"]} == {first, parcel, confirmed}
    topics = {c["conversation_id"]: c["topic"] for c in body["conversations"]}
    assert topics[parcel] == "Bestellstatus" and topics[first] == "Zahlung"

    # plain agents: their teams' conversations, requests and orders only
    mine = await history(hub, first, bernd)
    assert ids(mine) == {first, confirmed}
    assert {o["order_id"] for o in mine["orders"]} == {"100234", "100555"}
    assert ids(await history(hub, parcel, eva)) == {parcel}
    assert (await hub.get(f"{base(first)}/history", headers=eva)).status == 403

    stranger = await history(hub, typed, admin)
    assert stranger["customer"]["recognised"] is False and ids(stranger) == {typed}
    audited = await rows(hub, AuditEntry, AuditEntry.action == "view_history")
    assert {e.target for e in audited} >= {first, parcel, typed}


async def test_a_messenger_account_links_its_conversations(hub):  # noqa: F811
    admin, _eva, _bernd = await team_agents(hub)
    async with hub.app[REPO].sessions.begin() as db:
        for cid, external in (("tg-1", "4711"), ("tg-2", "4711"), ("tg-3", "0815")):
            db.add(Conversation(id=cid, token_hash="x", channel="telegram", external_id=external))
    body = await history(hub, "tg-1", admin)
    assert body["customer"]["by"] == ["messenger"] and body["customer"]["messenger"] == "telegram"
    assert ids(body) == {"tg-1", "tg-2"}


async def test_earlier_transcripts_and_merging_keep_both(hub):  # noqa: F811
    first, parcel, typed, confirmed = await customer(hub)
    admin, eva, bernd = await team_agents(hub)

    resp = await hub.get(f"{base(first)}/history/{confirmed}", headers=bernd)
    assert resp.status == 200
    said = [m["text"] for m in (await resp.json())["messages"] if m["sender"] == "customer"]
    assert said == ["Rückbuchung 100555"]
    assert (await hub.get(f"{base(first)}/history/{parcel}", headers=bernd)).status == 403
    assert (await hub.get(f"{base(first)}/history/{typed}", headers=bernd)).status == 404

    merged = await hub.post(
        f"{base(first)}/merge", json={"conversation_id": confirmed}, headers=bernd
    )
    assert merged.status == 200, await merged.text()
    into = {c["conversation_id"]: c["merged_into"] for c in (await merged.json())["conversations"]}
    assert into[confirmed] == first and into[first] is None
    # both transcripts are still there
    for cid in (first, confirmed):
        resp = await hub.get(f"{base(first)}/history/{cid}", headers=bernd)
        assert any(m["sender"] == "customer" for m in (await resp.json())["messages"])
    again = await hub.post(
        f"{base(first)}/merge", json={"conversation_id": confirmed}, headers=bernd
    )
    assert again.status == 409
    chain = await hub.post(
        f"{base(confirmed)}/merge", json={"conversation_id": first}, headers=admin
    )
    assert chain.status == 409
    other_team = await hub.post(
        f"{base(first)}/merge", json={"conversation_id": parcel}, headers=bernd
    )
    assert other_team.status == 403
    stranger = await hub.post(
        f"{base(first)}/merge", json={"conversation_id": typed}, headers=admin
    )
    assert stranger.status == 404
    entries = await rows(hub, AuditEntry, AuditEntry.action == "conversation_merged")
    assert {(e.target, tuple(e.detail.items())) for e in entries} == {
        (first, (("merged", confirmed),)),
        (confirmed, (("into", first),)),
    }
    # erasing a merged conversation takes its merge and tags along (foreign keys hold on PostgreSQL)
    erased = await hub.app[REPO].erase_conversation(first)
    assert erased["conversation_merges"] == 1 and erased["conversation_tags"] == 1
    assert erased["conversations"] == 1
    body = await history(hub, confirmed, admin)
    assert ids(body) == {confirmed, parcel}
    assert all(c["merged_into"] is None for c in body["conversations"])
    assert eva
