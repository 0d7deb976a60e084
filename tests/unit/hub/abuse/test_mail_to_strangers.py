"""Threat: the hub as a mail cannon and an inbox thief. Anyone could type any address as their contact
(`victim@example.org,ceo,buchhaltung` became three SMTP recipients), the hub mailed its confirmation
there, and the victim's reply ("Wer sind Sie?") landed in the attacker's chat window.

A contact is exactly one plain address; the hub mails only an address verified against an order or
confirmed by its owner (one mail with the link, nothing else until it is used, at most three a day per
mailbox); a reply from anyone but the confirmed contact is parked as a note for agents, never shown
to the customer (issue 23.5).
"""

from __future__ import annotations

import re
import socket
from typing import Any, Dict, List, Tuple

import pytest
from aiosmtpd.controller import Controller

from bot.hub.keys.mail import MAIL
from bot.hub.store.models import MailOutbox, Note, Ticket
from tests.unit.hub.conftest import auth, rows, start

SECRET = "inbound-secret"
HOOK = {"Authorization": f"Bearer {SECRET}"}


class Envelopes:
    """aiosmtpd handler: what the SMTP server really got (envelope recipients, not headers)."""

    def __init__(self) -> None:
        self.received: List[Tuple[List[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


@pytest.fixture()
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    handler = Envelopes()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture()
def settings(settings, smtp):
    settings.mail_enabled = True
    settings.smtp_port = smtp[1]
    settings.mail_from = "service@waldmann-outdoor.de"
    settings.mail_reply_domain = "antwort.waldmann-outdoor.de"
    settings.mail_inbound_secret = SECRET
    settings.mail_poll_interval = 0  # the test drives the outbox
    return settings


async def queued(client) -> Dict[str, Any]:
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich will einen Menschen"},
        headers=auth(conv),
    )
    assert resp.status == 200
    return conv


async def callback(client, conv: Dict[str, Any], contact: str):
    return await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": contact},
        headers=auth(conv),
    )


async def test_a_list_or_a_display_name_is_no_contact(client, agent, smtp):
    conv = await queued(client)
    for contact in (
        "victim@example.org,ceo,buchhaltung",
        "victim@example.org; ceo@waldmann-outdoor.de",
        "Chefin <ceo@waldmann-outdoor.de>",
        '"ceo@waldmann-outdoor.de"@example.org',
        "victim@example.org\r\nBcc: ceo@waldmann-outdoor.de",
        "ruft mich an",
    ):
        resp = await callback(client, conv, contact)
        assert resp.status == 422, contact
        assert (await resp.json())["error"]["code"] == "invalid_contact"
    assert await rows(client, Ticket) == [] and await rows(client, MailOutbox) == []
    assert await client.app[MAIL].send_due() == 0 and smtp[0].received == []


async def test_an_address_typed_after_an_offer_is_one_recipient(client, smtp, fake_rasa):
    """Nobody is online: the bot records a request and offers a callback; the answer is typed."""
    conv = await queued(client)  # no agent online: a recorded request with the callback offer
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "victim@example.org,ceo@waldmann-outdoor.de,buchhaltung@waldmann-outdoor.de"},
        headers=auth(conv),
    )
    assert resp.status == 200
    (ticket,) = await rows(client, Ticket)
    assert ticket.contact == "victim@example.org"
    assert await client.app[MAIL].send_due() == 1
    ((recipients, content),) = smtp[0].received
    assert recipients == ["victim@example.org"]  # one RCPT TO, whatever was typed
    assert "/mail/bestaetigen?t=" in content  # a confirmation link, nothing more


async def test_a_stranger_gets_one_link_and_nothing_else(client, agent, smtp):
    for _ in range(4):  # four requests naming the same victim: three links a day at most
        assert (await callback(client, await queued(client), "victim@example.org")).status == 201
    outbox = await rows(client, MailOutbox)
    assert [m.kind for m in outbox] == ["contact_optin"] * 3
    tickets = await rows(client, Ticket, order_by=Ticket.id)
    resp = await client.post(
        f"/api/v1/agent/tickets/{tickets[0].id}/email", json={"text": "Hallo"}, headers=agent
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "email_unconfirmed"
    # a token for another request, or for another address, confirms nothing
    mail = client.app[MAIL]
    for token in (
        mail.optin_token(tickets[1].id, "victim@example.org").replace(
            str(tickets[1].id), str(tickets[0].id), 1
        ),
        mail.optin_token(tickets[0].id, "attacker@example.net"),
    ):
        resp = await client.post("/mail/bestaetigen", data={"t": token})
        assert resp.status == 404 and (await resp.json())["error"]["code"] == "invalid_link"
    assert {t.contact_confirmed for t in await rows(client, Ticket)} == {None}
    assert await mail.send_due() == 3
    assert all(rcpt == ["victim@example.org"] for rcpt, _ in smtp[0].received)


async def test_the_victims_reply_never_reaches_the_attackers_chat(client, agent, smtp):
    attacker = await queued(client)
    cid = attacker["conversation_id"]
    ticket_id = (await (await callback(client, attacker, "victim@example.org")).json())["id"]
    mail = client.app[MAIL]
    assert await mail.send_due() == 1
    (_, content) = smtp[0].received[0]
    subject = re.search(r"^Subject: (.*)$", content, re.M)
    assert subject
    reply = {
        "from": "Vera Victim <victim@example.org>",
        "to": f"antwort+{mail.token(ticket_id)}@antwort.waldmann-outdoor.de",
        "subject": "Re: " + subject.group(1),
        "message_id": "<v1@example.org>",
        "text": "Wer sind Sie? Ich habe nichts angefragt. Meine Kundennummer ist 4711.",
    }
    resp = await client.post("/api/v1/mail/inbound", json=reply, headers=HOOK)
    assert resp.status == 200
    result = await resp.json()
    assert result["parked"] and result["message"] is None

    transcript = await (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=auth(attacker))
    ).json()
    assert "4711" not in str(transcript)  # the attacker reads nothing of it
    detail = await (await client.get(f"/api/v1/agent/conversations/{cid}", headers=agent)).json()
    (note,) = detail["notes"]  # the agents do, as an internal note
    assert note["agent_name"] == "E-Mail-Eingang" and "4711" in note["text"]
    assert "victim@example.org" in note["text"]
    (stored,) = await rows(client, Note)
    assert stored.agent_id is None


async def test_after_confirmation_only_the_contact_writes_into_the_chat(client, agent, smtp):
    customer = await queued(client)
    cid = customer["conversation_id"]
    ticket_id = (await (await callback(client, customer, "anna.schmidt@web.de")).json())["id"]
    mail = client.app[MAIL]
    await mail.confirm(mail.optin_token(ticket_id, "anna.schmidt@web.de"))
    to = f"antwort+{mail.token(ticket_id)}@antwort.waldmann-outdoor.de"
    for n, sender in enumerate(("mallory@example.net", "", "anna.schmidt@web.de, x@example.net")):
        resp = await client.post(
            "/api/v1/mail/inbound",
            json={"from": sender, "to": to, "message_id": f"<m{n}@x>", "text": "Ich bin Anna."},
            headers=HOOK,
        )
        assert (await resp.json())["parked"], sender
    resp = await client.post(
        "/api/v1/mail/inbound",
        json={"from": "ANNA.SCHMIDT@web.de", "to": to, "message_id": "<a1@x>", "text": "Danke!"},
        headers=HOOK,
    )
    assert not (await resp.json())["parked"]
    transcript = await (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=auth(customer))
    ).json()
    texts = [m["text"] for m in transcript["messages"]]
    assert "Danke!" in texts and "Ich bin Anna." not in texts
