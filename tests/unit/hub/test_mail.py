"""E-mail follow-up: confirmation of a callback request through a real (local) SMTP server, an agent's
answer by e-mail, the customer's reply through the inbound webhook back into the conversation and the
tracker, retries with back-off that never send a mail twice, and everything off by default."""

from __future__ import annotations

import asyncio
import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message as EmailMessage
from typing import Any, Dict, List

import pytest
from aiosmtpd.controller import Controller

from bot.hub.events import TicketCreated
from bot.hub.keys.mail import MAIL
from bot.hub.states import MailState
from bot.hub.store.models import Conversation, MailOutbox, Message, Ticket
from tests.unit.hub.conftest import BUSINESS_HOURS, auth, rows, start

SECRET = "inbound-secret"


class Catcher:
    """aiosmtpd handler: every accepted mail, parsed."""

    def __init__(self) -> None:
        self.mails: List[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def smtp_server():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield catcher, controller.port
    controller.stop()


@pytest.fixture()
def settings(settings, smtp_server):
    settings.mail_enabled = True
    settings.smtp_port = smtp_server[1]
    settings.mail_from = "service@waldmann-outdoor.de"
    settings.mail_reply_domain = "antwort.waldmann-outdoor.de"
    settings.mail_inbound_secret = SECRET
    settings.mail_poll_interval = 0  # no sender loop: the tests drive the outbox themselves
    return settings


async def queued_conversation(client) -> dict:
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Ich will einen Menschen"},
        headers=auth(conv),
    )
    assert resp.status == 200
    return conv


def confirmation_link(mail: EmailMessage) -> str:
    """The path of the confirmation link in an opt-in mail."""
    found = re.search(r"https?://[^/\s]+(/mail/bestaetigen\?t=[0-9a-f-]+)", mail.get_content())
    assert found, mail.get_content()
    return found.group(1)


async def confirm(client, link: str) -> str:
    """The owner opens the link and presses the button; the page's text."""
    page = await client.get(link)
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    token = re.search(r'name="t" value="([^"]+)"', await page.text())
    assert token
    done = await client.post("/mail/bestaetigen", data={"t": token.group(1)})
    assert done.status == 200
    return await done.text()


async def test_callback_confirmation_agent_answer_and_reply_round_trip(
    client, agent, smtp_server, fake_rasa
):
    catcher, _port = smtp_server
    mail = client.app[MAIL]
    conv = await queued_conversation(client)
    cid = conv["conversation_id"]
    resp = await client.post(
        f"/api/v1/conversations/{cid}/callback",
        json={"contact": "anna.schmidt@web.de"},
        headers=auth(conv),
    )
    assert resp.status == 201
    ticket_id = (await resp.json())["id"]
    # typed in the chat, not verified: first the confirmation link, and nothing else
    assert await mail.send_due() == 1
    optin = catcher.mails[0]
    assert optin["To"] == "anna.schmidt@web.de" and optin["Auto-Submitted"] == "auto-generated"
    assert "bestätigen" in optin["Subject"] and f"Vorgangsnummer {ticket_id}" in optin["Subject"]
    assert "Ihr Team von Waldmann Outdoor" in optin.get_content()
    url = f"/api/v1/agent/tickets/{ticket_id}/email"
    resp = await client.post(url, json={"text": "Vorab"}, headers=agent)
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "email_unconfirmed"
    assert "Vorgangsnummer" in await confirm(client, confirmation_link(optin))
    assert (await rows(client, Ticket))[0].contact_confirmed == "anna.schmidt@web.de"

    resp = await client.post(
        url, json={"text": "Guten Tag Frau Schmidt, die Gutschrift ist veranlasst."}, headers=agent
    )
    assert resp.status == 201
    body = await resp.json()
    assert body["message"]["sender"] == "agent" and body["mail"]["state"] == "pending"
    assert await mail.send_due() == 1
    answer = catcher.mails[1]
    assert answer["To"] == "anna.schmidt@web.de"
    assert f"Vorgangsnummer {ticket_id}" in answer["Subject"]
    assert answer["Reply-To"] == f"antwort+{mail.token(ticket_id)}@antwort.waldmann-outdoor.de"
    assert "Gutschrift ist veranlasst" in answer.get_content() and answer["Auto-Submitted"] is None
    assert "Ihr Team von Waldmann Outdoor" in answer.get_content()
    mails = (
        await (await client.get(f"/api/v1/agent/tickets/{ticket_id}/emails", headers=agent)).json()
    )["mails"]
    assert [(m["kind"], m["state"]) for m in mails] == [
        ("contact_optin", "sent"),
        ("agent_reply", "sent"),
    ]

    reply = {
        "from": "Anna Schmidt <Anna.Schmidt@web.de>",
        "to": answer["Reply-To"],
        "subject": "Re: " + answer["Subject"],
        "message_id": "<r1@web.de>",
        "text": "Danke, das passt so!\n\nAm 23.11.2026 schrieb Waldmann Outdoor:\n> Guten Tag Frau Schmidt",
    }
    assert (await client.post("/api/v1/mail/inbound", json=reply)).status == 401
    assert (
        await client.post(
            "/api/v1/mail/inbound", json=reply, headers={"Authorization": "Bearer falsch"}
        )
    ).status == 401
    hook = {"Authorization": f"Bearer {SECRET}"}
    resp = await client.post("/api/v1/mail/inbound", json=reply, headers=hook)
    assert resp.status == 200
    result = await resp.json()
    assert result["conversation_id"] == cid and not result["duplicate"] and not result["parked"]
    assert result["message"]["text"] == "Danke, das passt so!"
    again = await (await client.post("/api/v1/mail/inbound", json=reply, headers=hook)).json()
    assert again["duplicate"]
    forged = {
        **reply,
        "to": f"antwort+{ticket_id}-0000000000@antwort.waldmann-outdoor.de",
        "subject": "Re",
        "message_id": "<r2@web.de>",
    }
    assert (await client.post("/api/v1/mail/inbound", json=forged, headers=hook)).status == 404
    # subject tag alone (providers that keep only the sender address as Reply-To), Postmark's fields
    tagged = {
        "FromFull": {"Email": "anna.schmidt@web.de", "Name": "Anna Schmidt"},
        "To": "service@waldmann-outdoor.de",
        "Subject": "AW: " + answer["Subject"],
        "MessageID": "r3",
        "TextBody": "Und noch eine Frage.",
    }
    assert (await client.post("/api/v1/mail/inbound", json=tagged, headers=hook)).status == 200

    detail = await (await client.get(f"/api/v1/agent/conversations/{cid}", headers=agent)).json()
    customer = [m["text"] for m in detail["messages"] if m["sender"] == "customer"]
    assert customer[-2:] == ["Danke, das passt so!", "Und noch eine Frage."]
    stored = await rows(
        client, Message, Message.conversation_id == cid, Message.text == "Danke, das passt so!"
    )
    assert len(stored) == 1 and stored[0].custom == {"via": "email", "ticket": ticket_id}
    await asyncio.sleep(0.05)  # the tracker log runs in the background
    logged = [e.get("text") for e in fake_rasa.events.get(cid, []) if e.get("event") == "user"]
    assert "Danke, das passt so!" in logged
    assert [e.get("text") for e in fake_rasa.events[cid] if e.get("event") == "bot"][-1].startswith(
        "Guten Tag Frau"
    )


async def test_an_address_verified_against_an_order_gets_the_confirmation_at_once(
    client, agent, smtp_server, fake_rasa
):
    """The bot verified the e-mail against an order before the handoff (the summary says so)."""
    catcher, _port = smtp_server
    verified = {"topic": "Lieferstatus", "email": "jonas.becker@gmx.de", "email_verified": True}

    def handoff(sender: str, text: str) -> List[Dict[str, Any]]:
        payload = {"reason": "customer_request", "priority": "normal", "summary": verified}
        return [{"recipient_id": sender, "custom": {"handoff": payload}}]

    fake_rasa.answer = handoff
    conv = await queued_conversation(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "Jonas.Becker@gmx.de"},
        headers=auth(conv),
    )
    assert resp.status == 201
    assert await client.app[MAIL].send_due() == 1
    confirmation = catcher.mails[0]
    assert confirmation["To"] == "Jonas.Becker@gmx.de"
    assert "Rückrufwunsch" in confirmation["Subject"] and "Team Kundenservice" in (
        confirmation.get_content()
    )
    assert "/mail/bestaetigen" not in confirmation.get_content()


async def test_retry_with_backoff_never_sends_twice(client, agent, smtp_server):
    catcher, port = smtp_server
    mail = client.app[MAIL]
    now = BUSINESS_HOURS
    mail.clock = lambda: now
    conv = await queued_conversation(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "jonas.becker@gmx.de"},
        headers=auth(conv),
    )
    ticket = (await rows(client, Ticket))[0]
    assert resp.status == 201
    # the same event again (a retried request, a second listener): still one mail queued
    conv_row = (await rows(client, Conversation))[0]
    await mail.on_ticket_created(TicketCreated(conv_row, ticket, "callback"))
    assert len(await rows(client, MailOutbox)) == 1

    mail.smtp = type(mail.smtp)(port=free_port(), timeout=2)  # nobody listens there
    assert await mail.send_due() == 0
    row = (await rows(client, MailOutbox))[0]
    assert row.state == MailState.PENDING and row.attempts == 1 and row.last_error
    assert (
        await mail.send_due() == 0 and (await rows(client, MailOutbox))[0].attempts == 1
    )  # not due yet

    mail.smtp = type(mail.smtp)(port=port)
    now = BUSINESS_HOURS + timedelta(seconds=mail.backoff(1) + 1)
    results = await asyncio.gather(
        mail.send_due(), mail.send_due(), mail.send_due()
    )  # three hubs at once
    assert sum(results) == 1 and len(catcher.mails) == 1
    assert await mail.send_due() == 0 and len(catcher.mails) == 1
    row = (await rows(client, MailOutbox))[0]
    assert row.state == MailState.SENT and row.attempts == 2
    assert mail.backoff(1) < mail.backoff(2) < mail.backoff(3)


async def test_gives_up_after_the_last_attempt(client, agent, smtp_server):
    mail = client.app[MAIL]
    client.app[MAIL].settings.mail_max_attempts = 2
    mail.clock = lambda: BUSINESS_HOURS
    conv = await queued_conversation(client)
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "leonie.wagner@t-online.de"},
        headers=auth(conv),
    )
    mail.smtp = type(mail.smtp)(port=free_port(), timeout=2)
    for _ in range(2):
        await mail.send_due()
        mail.clock = lambda: BUSINESS_HOURS + timedelta(days=1)
    assert (await rows(client, MailOutbox))[0].state == MailState.FAILED


async def test_phone_contact_sends_nothing(client, agent, smtp_server):
    conv = await queued_conversation(client)
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "0171 1234567"},
        headers=auth(conv),
    )
    assert await rows(client, MailOutbox) == []
    ticket = (await rows(client, Ticket))[0]
    resp = await client.post(
        f"/api/v1/agent/tickets/{ticket.id}/email", json={"text": "Hallo"}, headers=agent
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "no_email"
