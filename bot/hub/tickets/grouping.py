"""Repeated requests of one customer about one matter, shown as one group with a count (issue 27.7).

Two requests belong together when the same customer - known for sure, by a verified e-mail or their
messenger account (bot/hub/store/history_repo.py) - asks about the same order, or without an order,
the same topic. A request without such a contact stands alone: an address someone typed is no proof
that two requests came from one person."""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Sequence, Tuple

from bot.hub.states import ChannelName
from bot.hub.store.history_repo import confirmed_email, summary_email
from bot.hub.store.models import Conversation, Ticket


def verified_contact(ticket: Ticket, conv: Conversation | None) -> str | None:
    found = summary_email(ticket.summary) or confirmed_email(ticket)
    if found:
        return found
    if conv is not None and conv.external_id and conv.channel != ChannelName.WEBCHAT:
        return f"{conv.channel}:{conv.external_id}"
    return None


def matter(ticket: Ticket) -> str | None:
    """The order the request is about, else its topic (else why it was recorded)."""
    summary = ticket.summary if isinstance(ticket.summary, dict) else {}
    order = summary.get("order_id")
    if order:
        return f"order:{order}"
    topic = summary.get("topic_key") or ticket.reason
    return f"topic:{topic}" if topic else None


def group_key(ticket: Ticket, conv: Conversation | None) -> str | None:
    """A short opaque key (the contact itself is not repeated in it); None: the request stands alone."""
    contact, about = verified_contact(ticket, conv), matter(ticket)
    if not contact or not about:
        return None
    return hashlib.sha256(f"{contact}\n{about}".encode()).hexdigest()[:16]


def groups(rows: Sequence[Tuple[Ticket, Conversation | None]]) -> Dict[int, Dict[str, Any]]:
    """ticket id -> {key, count, ticket_ids (in the order given)} for requests of a group of two or more."""
    members: Dict[str, List[int]] = {}
    for ticket, conv in rows:
        key = group_key(ticket, conv)
        if key is not None:
            members.setdefault(key, []).append(ticket.id)
    return {
        ticket_id: {"key": key, "count": len(ids), "ticket_ids": ids}
        for key, ids in members.items()
        if len(ids) > 1
        for ticket_id in ids
    }
