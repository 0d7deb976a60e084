"""Rows for the search tests, written straight into the hub's database (through the ORM, so the
SQLite triggers see them as they see the hub's own writes)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Dict, List

from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, Handoff, Message, Note, Ticket


async def conversation(
    client,
    texts: List[str],
    *,
    state: str = "bot",
    channel: str = "webchat",
    assigned: int | None = None,
    queued_team: str | None = None,
    display_name: str | None = None,
    external_id: str | None = None,
    at: datetime | None = None,
    notes: List[str] = (),  # type: ignore[assignment]
    ticket: Dict[str, Any] | None = None,
) -> Dict[str, Any]:
    """A conversation with customer messages `texts`; its ids (conversation, message seqs, ticket)."""
    conv_id = uuid.uuid4().hex
    stamp = at or datetime(2026, 11, 23, 9, 0)
    async with client.app[REPO].sessions.begin() as db:
        db.add(
            Conversation(
                id=conv_id,
                token_hash="h",
                channel=channel,
                state=state,
                assigned_agent_id=assigned,
                display_name=display_name,
                external_id=external_id,
                created_at=stamp,
            )
        )
        await db.flush()
        messages = [
            Message(
                id=uuid.uuid4().hex,
                conversation_id=conv_id,
                sender="customer",
                text=t,
                created_at=stamp,
            )
            for t in texts
        ]
        db.add_all(messages)
        if state == "queued" or queued_team is not None:
            db.add(
                Handoff(
                    conversation_id=conv_id,
                    reason="customer_request",
                    state="queued",
                    team=queued_team,
                )
            )
        for text in notes:
            db.add(Note(conversation_id=conv_id, agent_id=assigned, text=text, created_at=stamp))
        made = Ticket(conversation_id=conv_id, created_at=stamp, **ticket) if ticket else None
        if made is not None:
            db.add(made)
        await db.flush()
        return {
            "id": conv_id,
            "seqs": [m.seq for m in messages],
            "ticket": made.id if made is not None else None,
        }
