"""The customer's e-mail reply, back into the conversation it belongs to.

Providers that receive mail post it to POST /api/v1/mail/inbound (generic JSON, or Postmark's field
names). The ticket is found from the per-ticket Reply-To address (`antwort+<ticket>-<sig>@...`) or
the tag in the subject (`[Anfrage #<ticket>-<sig>]`); the signature means nobody can post into a
ticket by guessing its number. The reply is stored as a customer message (shown in the console),
logged into Rasa's tracker like any message during agent mode, and reopens the ticket. A provider's
redelivery (same Message-ID) is recognised and ignored.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Dict, List, Mapping

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.events import Json
from bot.hub.mail.outbox import MailService
from bot.hub.states import Delivery, Sender
from bot.hub.store.serialize import message_json, ticket_json

ADDRESS_TOKEN = re.compile(r"\+(\d{1,12}-[0-9a-f]{10})@", re.IGNORECASE)
SUBJECT_TOKEN = re.compile(r"#(\d{1,12}-[0-9a-f]{10})\b", re.IGNORECASE)
QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(Ursprüngliche|Original)|Am .{3,120} schrieb .{1,200}:$|On .{3,120} wrote:$"
    r"|(Von|From): )",
    re.IGNORECASE,
)
MAX_REPLY = 10_000


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
        }
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
    return {"ticket_id": ticket_id, "conversation_id": conv.id, "message": data, "duplicate": False}
