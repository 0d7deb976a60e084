"""Single-use websocket tickets: a long-lived token never goes into a URL (proxies log URLs)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.hub.store.agents_repo import AgentsRepo
from bot.hub.store.models import WsTicket, utcnow
from bot.hub.tokens import token_hash


async def issue_ticket(
    repo: AgentsRepo,
    seconds: int,
    *,
    conversation_id: str | None = None,
    agent_id: int | None = None,
    session_hash: str | None = None,
) -> str:
    """A single-use websocket ticket valid for `seconds`; only its hash is stored."""
    ticket = secrets.token_urlsafe(32)
    await repo.add_ws_ticket(
        WsTicket(
            ticket_hash=token_hash(ticket),
            conversation_id=conversation_id,
            agent_id=agent_id,
            session_hash=session_hash,
            expires_at=utcnow() + timedelta(seconds=seconds),
        )
    )
    return ticket


async def redeem_ticket(repo: AgentsRepo, ticket: str | None) -> WsTicket | None:
    if not ticket or len(ticket) > 200:
        return None
    return await repo.take_ws_ticket(token_hash(ticket), utcnow())
