"""Threat: customers send photos and documents (a damaged parcel, an invoice, an ID); an agent who opens
them left no trace, while opening the conversation did, so a leak of these files could not be traced.

Every file an agent reads, full size or preview, is in the audit log: who, which attachment of which
conversation, from where; admins read it with GET /api/v1/agent/audit (issue 23.12).
"""

from __future__ import annotations

from typing import Dict

from bot.hub.store.models import AuditEntry
from tests.unit.hub.conftest import auth, rows
from tests.unit.hub.test_agent_security import agent_id, claimed_by
from tests.unit.hub.test_attachments import PDF, image_bytes


async def upload(client, conv, data: bytes, name: str) -> dict:
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        data=data,
        params={"name": name},
        headers={**auth(conv), "Content-Type": "application/octet-stream"},
    )
    assert resp.status == 201, await resp.text()
    return (await resp.json())["messages"][0]["custom"]["attachment"]


async def test_every_file_an_agent_opens_is_in_the_audit_log(
    client, team: Dict[str, Dict[str, str]]
):
    conv = await claimed_by(client, team["eva"])
    cid = conv["conversation_id"]
    photo = await upload(client, conv, image_bytes("JPEG"), "schaden.jpg")
    invoice = await upload(client, conv, PDF, "Rechnung.pdf")
    base = f"/api/v1/agent/conversations/{cid}/attachments"
    for path, params in (
        (f"{base}/{photo['id']}", {"variant": "thumb"}),
        (f"{base}/{photo['id']}", {}),
        (f"{base}/{invoice['id']}", {}),
    ):
        assert (await client.get(path, params=params, headers=team["eva"])).status == 200
    assert (await client.get(f"{base}/{photo['id']}", headers=team["sue"])).status == 200

    entries = await rows(
        client, AuditEntry, AuditEntry.action == "view_attachment", order_by=AuditEntry.id
    )
    eva, sue = await agent_id(client, "eva"), await agent_id(client, "sue")
    assert [(e.agent_id, e.target, e.detail, e.ip) for e in entries] == [
        (eva, cid, {"attachment": photo["id"], "kind": "image", "variant": "thumb"}, "127.0.0.1"),
        (eva, cid, {"attachment": photo["id"], "kind": "image", "variant": "full"}, "127.0.0.1"),
        (
            eva,
            cid,
            {"attachment": invoice["id"], "kind": "document", "variant": "full"},
            "127.0.0.1",
        ),
        (sue, cid, {"attachment": photo["id"], "kind": "image", "variant": "full"}, "127.0.0.1"),
    ]
    assert all("schaden" not in str(e.detail) for e in entries)  # names can carry personal data

    resp = await client.get(
        "/api/v1/agent/audit", params={"action": "view_attachment"}, headers=team["chefin"]
    )
    listed = (await resp.json())["entries"]
    assert [e["agent_name"] for e in listed] == ["Sue", "Eva", "Eva", "Eva"]
    forbidden = await client.get("/api/v1/agent/audit", headers=team["eva"])
    assert forbidden.status == 403

    own = await client.get(
        f"/api/v1/conversations/{cid}/attachments/{photo['id']}", headers=auth(conv)
    )
    assert own.status == 200  # the customer reading their own file is no agent access
    assert len(await rows(client, AuditEntry, AuditEntry.action == "view_attachment")) == 4
