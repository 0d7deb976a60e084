"""E-mail follow-up is off by default: no mail is queued, the routes say so."""

from bot.hub.store.models import MailOutbox, Ticket
from tests.unit.hub.conftest import auth, rows, start


async def test_mail_is_off_by_default(client, agent):
    conv = await start(client)
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich will einen Menschen"},
        headers=auth(conv),
    )
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "anna.schmidt@web.de"},
        headers=auth(conv),
    )
    assert resp.status == 201
    assert await rows(client, MailOutbox) == []
    ticket = (await rows(client, Ticket))[0]
    resp = await client.post(
        f"/api/v1/agent/tickets/{ticket.id}/email", json={"text": "Hallo"}, headers=agent
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "mail_disabled"
    resp = await client.post("/api/v1/mail/inbound", json={"to": "x", "text": "y"})
    assert resp.status == 404
