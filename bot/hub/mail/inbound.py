"""The customer's e-mail reply, back into the conversation it belongs to.

Providers that receive mail post it to POST /api/v1/mail/inbound (generic JSON, or Postmark's field
names). The ticket is found from the per-ticket Reply-To address (`antwort+<ticket>-<sig>@...`) or
the tag in the subject (`[Anfrage #<ticket>-<sig>]`); the signature means nobody can post into a
ticket by guessing its number. The reply is stored as a customer message (shown in the console),
logged into Rasa's tracker like any message during agent mode, and reopens the ticket. A provider's
redelivery (same Message-ID) is recognised and ignored.

Only the request's contact writes into the conversation: a mail whose sender (`from`, or Postmark's
From/FromFull) is not that address, confirmed as the customer's (outbox.MailService.mailable), is
parked for agents: an internal note on the conversation, never shown to the customer, and the
request is not reopened. Otherwise a stranger's reply to a mail someone else had sent them would land
in the chat of whoever typed their address.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Dict, List, Mapping

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.events import Json
from bot.hub.mail.address import same_address, sender_address
from bot.hub.mail.outbox import MailService
from bot.hub.states import Delivery, Sender
from bot.hub.store.handoffs_repo import HUB_NOTE_AUTHOR
from bot.hub.store.serialize import iso, message_json, ticket_json

ADDRESS_TOKEN = re.compile(r"\+(\d{1,12}-[0-9a-f]{10})@", re.IGNORECASE)
SUBJECT_TOKEN = re.compile(r"#(\d{1,12}-[0-9a-f]{10})\b", re.IGNORECASE)
QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(Ursprüngliche|Original)|Am .{3,120} schrieb .{1,200}:$|On .{3,120} wrote:$"
    r"|(Von|From): )",
    re.IGNORECASE,
)
MAX_REPLY = 10_000
MAX_PARKED = 4_000  # of a parked mail's text in the note


def sender_of(body: Mapping[str, Any]) -> str | None:
    """The sender's address: `from`/`From` ("Name <addr>" or an address), `sender`, or Postmark's
    FromFull.Email; None when missing or not exactly one plain address."""
    full = body.get("FromFull")
    if isinstance(full, dict) and isinstance(full.get("Email"), str):
        return sender_address(full["Email"])
    for name in ("from", "From", "sender", "Sender"):
        value = body.get(name)
        if isinstance(value, str) and value.strip():
            return sender_address(value)
    return None


def _field(body: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = body.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything before the quoted earlier mail."""
    kept: List[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if QUOTE_START.match(line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def ticket_token(to: str, subject: str) -> List[str]:
    return ADDRESS_TOKEN.findall(to) + SUBJECT_TOKEN.findall(subject)


async def receive(mail: MailService, body: Dict[str, Any]) -> Json:
    """Stores one inbound reply; returns where it went (duplicate: already stored earlier)."""
    to = _field(body, "to", "To", "recipient", "OriginalRecipient")
    subject = _field(body, "subject", "Subject")
    text = strip_quoted(
        _field(body, "stripped_text", "StrippedTextReply", "text", "TextBody", "body-plain")
    )
    message_id = _field(body, "message_id", "MessageID", "Message-Id")
    if not text:
        raise InvalidInput("invalid_field", "Die E-Mail enthält keinen Text.")
    ticket_id = next(
        (t for t in map(mail.ticket_of_token, ticket_token(to, subject)) if t is not None), None
    )
    if ticket_id is None:
        raise NotFound("ticket_not_found", "Diese E-Mail gehört zu keiner Anfrage.")
    ticket = await mail.repo.ticket(ticket_id)
    dedupe = message_id or hashlib.sha256(f"{ticket_id}\n{subject}\n{text}".encode()).hexdigest()
    if not await mail.conversations.first_delivery("email", dedupe[:200]):
        return {
            "ticket_id": ticket_id,
            "conversation_id": ticket.conversation_id,
            "message": None,
            "duplicate": True,
            "parked": False,
        }
    sender = sender_of(body)
    if not same_address(sender, mail.mailable(ticket)):
        return await _park(mail, ticket_id, ticket.conversation_id, sender, subject, text)
    conversations = mail.conversations
    conv = await conversations.get(ticket.conversation_id)
    msg = await conversations.store(
        conv.id,
        Sender.CUSTOMER,
        text[:MAX_REPLY],
        delivery=Delivery.DONE,
        custom={"via": "email", "ticket": ticket_id},
    )
    data = message_json(msg)
    await conversations.publish(conv, [data])
    conversations.background(conversations.log_customer_message(conv, msg))
    await mail.repo.reopen_ticket(ticket_id)
    await mail.notifier.to_agents(
        {"type": "ticket", "ticket": ticket_json(await mail.repo.ticket(ticket_id))}
    )
    return {
        "ticket_id": ticket_id,
        "conversation_id": conv.id,
        "message": data,
        "duplicate": False,
        "parked": False,
    }


async def _park(
    mail: MailService,
    ticket_id: int,
    conv_id: str,
    sender: str | None,
    subject: str,
    text: str,
) -> Json:
    """A reply from someone other than the request's confirmed contact: a note for the agents only."""
    shown = text if len(text) <= MAX_PARKED else text[:MAX_PARKED] + " …"
    note = (
        f"E-Mail zu Anfrage {ticket_id} von {sender or 'unbekanntem Absender'} – nicht an den "
        "Kunden weitergegeben, weil der Absender nicht die bestätigte Kontaktadresse der Anfrage "
        f"ist.\nBetreff: {subject[:300]}\n\n{shown}"
    )
    row = await mail.repo.park_mail(conv_id, note)
    data = {
        "id": row.id,
        "agent_name": HUB_NOTE_AUTHOR,
        "text": note,
        "created_at": iso(row.created_at),
    }
    await mail.notifier.to_agents({"type": "note", "conversation_id": conv_id, "note": data})
    return {
        "ticket_id": ticket_id,
        "conversation_id": conv_id,
        "message": None,
        "duplicate": False,
        "parked": True,
    }
