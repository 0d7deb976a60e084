"""Every state a stored row can be in: one list for the database CHECKs, the API and the console.

`str` mixins keep the members plain strings on the wire and in SQL, so
`conv.state == ConversationState.BOT` works on values read back from the database.
"""

from __future__ import annotations

from enum import Enum
from typing import Dict, Type


class StateEnum(str, Enum):
    """Formats and prints as its value on every Python (3.12 changed str() of mixed-in enums)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class ConversationState(StateEnum):
    BOT = "bot"
    QUEUED = "queued"
    AGENT = "agent"
    CLOSED = "closed"


class HandoffState(StateEnum):
    QUEUED = "queued"
    CLAIMED = "claimed"
    DONE = "done"
    TICKET = "ticket"
    LEFT = "left"


class TicketStatus(StateEnum):
    """A request's life (issue 27.7): open, waiting for the customer, done, reopened after done."""

    OPEN = "open"
    WAITING = "waiting"
    DONE = "done"
    REOPENED = "reopened"


# Requests still to be worked on (on the team's list, opening their conversation to the team).
ACTIVE_TICKET = (TicketStatus.OPEN, TicketStatus.WAITING, TicketStatus.REOPENED)


class Delivery(StateEnum):
    """A customer message's way to Rasa."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"  # claimed by one hub until lease_until
    DONE = "done"
    FAILED = "failed"


class Sender(StateEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class AgentRole(StateEnum):
    """agent: the queue, own conversations, team tickets; supervisor: reads and acts on every conversation;
    admin: everything, plus accounts and the audit log."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class AgentStatus(StateEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class MailState(StateEnum):
    """An outgoing e-mail in the outbox (bot/hub/mail/outbox.py)."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by one hub until lease_until
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class ChannelName(StateEnum):
    WEBCHAT = "webchat"
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"


def values(enum: Type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


# German labels for the console, served by GET /api/v1/states.
LABELS: Dict[str, Dict[str, str]] = {
    "conversation": {
        "bot": "Bot",
        "queued": "Wartet",
        "agent": "Mitarbeiter",
        "closed": "Abgeschlossen",
    },
    "handoff": {
        "queued": "Wartet",
        "claimed": "Übernommen",
        "done": "Erledigt",
        "ticket": "Anfrage notiert",
        "left": "Rückruf gewünscht",
    },
    "ticket": {
        "open": "Offen",
        "waiting": "Wartet auf Kunde",
        "done": "Erledigt",
        "reopened": "Wieder geöffnet",
    },
    "delivery": {
        "pending": "Ausstehend",
        "in_flight": "In Bearbeitung",
        "done": "Zugestellt",
        "failed": "Fehlgeschlagen",
    },
    "sender": {"customer": "Kunde", "bot": "Bot", "agent": "Mitarbeiter", "system": "System"},
    "agent_role": {"agent": "Mitarbeiter", "supervisor": "Teamleitung", "admin": "Administrator"},
    "agent_status": {"online": "Online", "away": "Abwesend", "offline": "Offline"},
    "mail": {
        "pending": "Wartet auf Versand",
        "sending": "Wird gesendet",
        "sent": "Gesendet",
        "failed": "Fehlgeschlagen",
    },
    "channel": {
        "webchat": "Webchat",
        "telegram": "Telegram",
        "messenger": "Messenger",
        "whatsapp": "WhatsApp",
    },
}
ENUMS: Dict[str, Type[Enum]] = {
    "conversation": ConversationState,
    "handoff": HandoffState,
    "ticket": TicketStatus,
    "delivery": Delivery,
    "sender": Sender,
    "agent_role": AgentRole,
    "agent_status": AgentStatus,
    "channel": ChannelName,
    "mail": MailState,
}
