"""The request (ticket) in the path, for an agent who may have it.

Ticket ids are sequential, so the id proves nothing: a request is for the members of its team
(supervisors and admins: all, as with conversations), and only one not done can be answered or closed.
Every access and every refusal goes to the audit log, so who read, answered or closed a customer's
request is on record (issue 23.3).
"""

from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from bot.hub.errors import Conflict, NotFound, PermissionDenied
from bot.hub.handoff.audit import Audit
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.states import TicketStatus
from bot.hub.store.models import Agent, Ticket
from bot.hub.web.body import id_value
from bot.hub.web.proxy import client_address


def target(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


async def audit(
    request: web.Request, agent: Agent, action: str, ticket_id: int, detail: Dict[str, Any]
) -> None:
    await request.app[REPO].audit(
        agent.id, action, target(ticket_id), detail, client_address(request)
    )


async def ticket_for(
    request: web.Request, agent: Agent, action: str, open_only: bool = False
) -> Ticket:
    """The ticket of the path if `agent` may `action` it (403 another team's, 409 done when
    `open_only`: not done); a refusal is audited as ticket_denied with the action and the error code."""
    ticket_id = id_value(request.match_info["ticket_id"])  # beyond INTEGER: a 500 on PostgreSQL
    if ticket_id is None:
        raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.")
    ticket = await request.app[REPO].ticket(ticket_id)
    refusal: PermissionDenied | Conflict | None = None
    if not (await request.app[QUEUE].team_filter(agent))(ticket.team):
        refusal = PermissionDenied("not_visible", "Diese Anfrage ist für Sie nicht freigegeben.")
    elif open_only and ticket.status == TicketStatus.DONE:
        refusal = Conflict("ticket_done", "Diese Anfrage ist bereits erledigt.")
    if refusal is not None:
        await refused(request, agent, ticket.id, action, refusal)
        raise refusal
    return ticket


async def refused(
    request: web.Request,
    agent: Agent,
    ticket_id: int,
    action: str,
    error: PermissionDenied | Conflict,
) -> None:
    await audit(
        request, agent, Audit.TICKET_DENIED, ticket_id, {"action": action, "code": error.code}
    )
