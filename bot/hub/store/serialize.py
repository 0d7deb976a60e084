"""Rows -> the JSON shapes of the public API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Iterable, List

from bot.hub.store.models import Conversation, Handoff, Message, Ticket
from bot.shared.wire import REASON_LABELS

# Why a request was recorded, in German (the handoff reasons, and a callback the customer asked for).
TICKET_REASONS = {**REASON_LABELS, "callback": "Rückruf gewünscht"}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def message_json(m: Message, agent_name: str | None = None) -> Dict[str, Any]:
    return {
        "id": m.id,
        "seq": m.seq,
        "sender": m.sender,
        "text": m.text,
        "buttons": m.buttons or [],
        "created_at": iso(m.created_at),
        "agent_name": agent_name,
        "custom": m.custom,
    }


# What a customer may see of a message. `custom` keeps only what the widget shows (queue position,
# ticket, the kind of content they sent); the handoff payload (reason, mood, intents, summary,
# "Kunde ist verärgert") is triage for agents and never leaves the hub towards the customer.
CUSTOMER_FIELDS = ("id", "seq", "sender", "text", "buttons", "created_at", "agent_name", "custom")
CUSTOMER_CUSTOM = frozenset({"queue", "ticket", "callback", "unsupported", "attachment", "welcome"})


def customer_message(message: Dict[str, Any]) -> Dict[str, Any] | None:
    """A message (message_json) as its customer sees it; None when it carried nothing but triage."""
    custom = message.get("custom")
    public = (
        {k: v for k, v in custom.items() if k in CUSTOMER_CUSTOM}
        if isinstance(custom, dict)
        else {}
    )
    if not (message.get("text") or message.get("buttons") or public):
        return None
    return {**{k: message.get(k) for k in CUSTOMER_FIELDS}, "custom": public or None}


def customer_messages(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [shown for shown in map(customer_message, messages) if shown is not None]


def register_of(c: Conversation) -> str:
    """How the customer is addressed: "du" once they wrote du, else "sie"."""
    return "du" if c.register == "du" else "sie"


def conversation_json(c: Conversation) -> Dict[str, Any]:
    return {
        "conversation_id": c.id,
        "state": c.state,
        "channel": c.channel,
        "display_name": c.display_name,
        "assigned_agent_id": c.assigned_agent_id,
        "register": c.register,
        "rating": c.rating,
        "created_at": iso(c.created_at),
        "last_message_at": iso(c.last_message_at),
    }


def handoff_json(h: Handoff, now: datetime) -> Dict[str, Any]:
    summary = h.summary or {}
    return {
        "id": h.id,
        "conversation_id": h.conversation_id,
        "reason": h.reason,
        "reason_label": h.reason_label,
        "priority": h.priority,
        "state": h.state,
        "queued_at": iso(h.queued_at),
        "wait_seconds": int((now - h.queued_at).total_seconds()),
        "mood": summary.get("mood"),
        "topic": summary.get("topic"),
        "summary": summary,
    }


def ticket_json(t: Ticket) -> Dict[str, Any]:
    return {
        "id": t.id,
        "conversation_id": t.conversation_id,
        "contact": t.contact,
        "note": t.note,
        "summary": t.summary,
        "status": t.status,
        "reason": t.reason,
        "reason_label": TICKET_REASONS.get(t.reason or "", t.reason),
        "created_at": iso(t.created_at),
        "team": t.team,
        "closed_at": iso(t.closed_at),
        "closed_by": t.closed_by,
    }
