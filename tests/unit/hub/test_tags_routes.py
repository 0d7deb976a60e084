"""Tags (issue 27.9): the bot tags by topic, agents tag what they may see (and nothing else), the
request list filters by tag, admins rename, colour and merge tags, and the list of what carries a tag
never shows a plain agent another team's conversation or request."""

from __future__ import annotations

import csv
import io
from typing import Any, Dict, List

from bot.hub.store.models import AuditEntry
from tests.unit.hub.conftest import rows
from tests.unit.hub.test_tickets_routes import team_agents
from tests.unit.hub.ticket_seed import hub, request_of  # noqa: F401 - `hub` is the fixture

__all__ = ["hub"]
TAGS = "/api/v1/agent/tags"


def conv_path(conv: Dict[str, Any]) -> str:
    return f"/api/v1/agent/conversations/{conv['conversation_id']}"


async def tag_list(client, headers) -> List[Dict[str, Any]]:
    resp = await client.get(TAGS, headers=headers)
    assert resp.status == 200
    return (await resp.json())["tags"]


async def names(client, conv, headers) -> List[str]:
    resp = await client.get(f"{conv_path(conv)}/tags", headers=headers)
    assert resp.status == 200, await resp.text()
    return [t["name"] for t in (await resp.json())["tags"]]


async def test_agents_tag_what_they_see_and_admins_rename_colour_and_merge(hub):  # noqa: F811
    dispute, dispute_ticket = await request_of(hub, "Rückbuchung 100234")
    parcel, parcel_ticket = await request_of(hub, "Wo ist mein Paket")
    admin, eva, bernd = await team_agents(hub)

    assert await names(hub, dispute, bernd) == ["Zahlung"]  # the bot's tag, from the topic
    added = await hub.post(f"{conv_path(dispute)}/tags", json={"name": " Dringend "}, headers=bernd)
    assert added.status == 201
    assert [t["name"] for t in (await added.json())["tags"]] == ["Dringend", "Zahlung"]
    for same in ("ÄRGER", "ärger"):  # one tag however it is written (SQLite folds ASCII only)
        resp = await hub.post(f"{conv_path(dispute)}/tags", json={"name": same}, headers=bernd)
        assert resp.status == 201
    untag = await hub.get(f"{conv_path(dispute)}/tags", headers=bernd)
    urgent_id = {t["name"]: t["id"] for t in (await untag.json())["tags"]}["ÄRGER"]
    await hub.delete(f"{conv_path(dispute)}/tags/{urgent_id}", headers=bernd)
    again = await hub.post(f"{conv_path(dispute)}/tags", json={"name": "dringend"}, headers=bernd)
    assert [t["name"] for t in (await again.json())["tags"]] == ["Dringend", "Zahlung"]  # one tag
    # another team's conversation: not hers to tag or read
    assert (
        await hub.post(f"{conv_path(dispute)}/tags", json={"name": "x"}, headers=eva)
    ).status == 403
    assert (await hub.get(f"{conv_path(dispute)}/tags", headers=eva)).status == 403
    for bad, status in (
        ({}, 422),
        ({"name": " "}, 422),
        ({"name": "x" * 41}, 413),
        ({"name": 3}, 422),
    ):
        resp = await hub.post(f"{conv_path(dispute)}/tags", json=bad, headers=bernd)
        assert resp.status == status, bad

    ticket_tag = await hub.post(
        f"/api/v1/agent/tickets/{parcel_ticket}/tags", json={"name": "Rückruf"}, headers=eva
    )
    assert [t["name"] for t in (await ticket_tag.json())["tags"]] == ["Bestellstatus", "Rückruf"]
    assert (
        await hub.post(
            f"/api/v1/agent/tickets/{dispute_ticket}/tags", json={"name": "x"}, headers=eva
        )
    ).status == 403

    listed = {t["name"]: t for t in await tag_list(hub, admin)}
    assert listed["Dringend"]["conversations"] == 1 and listed["Rückruf"]["tickets"] == 1
    assert all(t["conversations"] is None for t in await tag_list(hub, eva))  # no counts for agents

    urgent, callback = listed["Dringend"]["id"], listed["Rückruf"]["id"]
    assert (
        await hub.post(f"{TAGS}/{urgent}", json={"color": "#b42318"}, headers=bernd)
    ).status == 403
    coloured = await hub.post(
        f"{TAGS}/{urgent}", json={"name": "Eilig", "color": "#b42318"}, headers=admin
    )
    assert await coloured.json() == {"id": urgent, "name": "Eilig", "color": "#b42318"}
    assert (await hub.post(f"{TAGS}/{urgent}", json={"color": "red"}, headers=admin)).status == 422
    clash = await hub.post(f"{TAGS}/{urgent}", json={"name": "rückruf"}, headers=admin)
    assert clash.status == 409

    merged = await hub.post(f"{TAGS}/{urgent}/merge", json={"into_id": callback}, headers=admin)
    assert (await merged.json())["name"] == "Rückruf"
    assert await names(hub, dispute, bernd) == ["Rückruf", "Zahlung"]
    assert "Eilig" not in {t["name"] for t in await tag_list(hub, admin)}
    assert (await hub.post(f"{TAGS}/{urgent}", json={"name": "y"}, headers=admin)).status == 404

    removed = await hub.delete(f"{conv_path(dispute)}/tags/{callback}", headers=bernd)
    assert [t["name"] for t in (await removed.json())["tags"]] == ["Zahlung"]
    assert (await hub.delete(f"{conv_path(dispute)}/tags/{callback}", headers=bernd)).status == 404

    actions = [e.action for e in await rows(hub, AuditEntry, order_by=AuditEntry.id)]
    assert {"tagged", "untagged", "tag_changed", "tag_merged"} <= set(actions)
    assert parcel  # used above


async def test_what_carries_a_tag_is_only_my_teams(hub):  # noqa: F811
    dispute, dispute_ticket = await request_of(hub, "Rückbuchung 100234")
    parcel, parcel_ticket = await request_of(hub, "Wo ist mein Paket")
    admin, eva, bernd = await team_agents(hub)
    for conv, headers in ((dispute, bernd), (parcel, eva)):
        resp = await hub.post(
            f"{conv_path(conv)}/tags", json={"name": "Beschwerde"}, headers=headers
        )
        assert resp.status == 201
    tag = next(t["id"] for t in await tag_list(hub, admin) if t["name"] == "Beschwerde")

    async def items(headers):
        resp = await hub.get(f"{TAGS}/{tag}/items", headers=headers)
        assert resp.status == 200
        body = await resp.json()
        return sorted(c["conversation_id"] for c in body["conversations"]), body["ticket_ids"]

    assert await items(eva) == ([parcel["conversation_id"]], [])
    assert await items(bernd) == ([dispute["conversation_id"]], [])
    everything, _ = await items(admin)
    assert everything == sorted([parcel["conversation_id"], dispute["conversation_id"]])
    zahlung = next(t["id"] for t in await tag_list(hub, admin) if t["name"] == "Zahlung")
    assert (await hub.get(f"{TAGS}/{zahlung}/items", headers=eva)).status == 200
    assert (await (await hub.get(f"{TAGS}/{zahlung}/items", headers=eva)).json())[
        "ticket_ids"
    ] == []
    assert (await (await hub.get(f"{TAGS}/{zahlung}/items", headers=bernd)).json())[
        "ticket_ids"
    ] == [dispute_ticket]
    assert (await hub.get(f"{TAGS}/999999/items", headers=eva)).status == 404
    assert parcel_ticket


async def test_the_conversations_csv_names_tags_and_filters_by_one(hub):  # noqa: F811
    dispute, _ = await request_of(hub, "Rückbuchung 100234")
    parcel, _ = await request_of(hub, "Wo ist mein Paket")
    admin, _eva, bernd = await team_agents(hub)
    await hub.post(f"{conv_path(dispute)}/tags", json={"name": "Beschwerde"}, headers=bernd)
    tag = next(t["id"] for t in await tag_list(hub, admin) if t["name"] == "Beschwerde")

    async def export(query: str = "") -> Dict[str, str]:
        resp = await hub.get(
            f"/api/v1/agent/reports/export/conversations.csv{query}", headers=admin
        )
        assert resp.status == 200, await resp.text()
        table = list(csv.DictReader(io.StringIO(await resp.text())))
        return {r["conversation_id"]: r["tags"] for r in table}

    assert await export() == {
        dispute["conversation_id"]: "Beschwerde|Zahlung",
        parcel["conversation_id"]: "Bestellstatus",
    }
    assert await export(f"?tag={tag}") == {dispute["conversation_id"]: "Beschwerde|Zahlung"}
    # the reports' tag section: conversations and requests per tag, with a chart and its table
    resp = await hub.get("/api/v1/agent/reports/tags?svg=1", headers=admin)
    assert resp.status == 200, await resp.text()
    section = await resp.json()
    counts = {t["name"]: (t["conversations"], t["tickets"]) for t in section["tags"]}
    assert counts == {"Beschwerde": (1, 0), "Zahlung": (1, 1), "Bestellstatus": (1, 1)}
    assert "Beschwerde" in section["charts"]["by_tag"]
    assert (
        await (await hub.get("/api/v1/agent/reports/tags?channel=telegram", headers=admin)).json()
    )["tags"] == []
    assert (
        await hub.get("/api/v1/agent/reports/export/conversations.csv?tag=x", headers=admin)
    ).status == 422
    assert (
        await hub.get("/api/v1/agent/reports/export/conversations.csv", headers=bernd)
    ).status == 403  # reports are for supervisors and admins
