"""Requests (tickets) as agents work them (issue 27.7): the filtered list, the assignee, status moves
(each one conditional, so two agents at once cannot both move the same request) and taking a request
over into a chat with its customer."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple, cast

from sqlalchemy import ColumnElement, CursorResult, case, select

from bot.hub.errors import Conflict, NotFound
from bot.hub.states import ConversationState, HandoffState, TicketStatus
from bot.hub.store.base_repo import RepoBase, updating
from bot.hub.store.models import Agent, Conversation, Handoff, Ticket, TicketTag, utcnow
from bot.hub.tickets.status import sources_of

LIST_LIMIT = 500
# "due": the requests waiting for the team longest first (open and reopened), then those waiting for
# the customer, then done ones
DUE_ORDER = case(
    (Ticket.status.in_([TicketStatus.OPEN, TicketStatus.REOPENED]), 0),
    (Ticket.status == TicketStatus.WAITING, 1),
    else_=2,
)


class TicketsRepo(RepoBase):
    async def list_tickets(
        self,
        statuses: Sequence[str] | None,
        sort: str = "oldest",
        assignee: int | None = None,
        unassigned: bool = False,
        tag_id: int | None = None,
    ) -> Sequence[Tuple[Ticket, Conversation | None]]:
        """Requests with their conversations, filtered and sorted in the database (teams are the
        caller's: their rule lives in HandoffQueue.team_filter); at most LIST_LIMIT."""
        where: List[ColumnElement[bool]] = []
        if statuses is not None:
            where.append(Ticket.status.in_(list(statuses)))
        if assignee is not None:
            where.append(Ticket.assignee_id == assignee)
        if unassigned:
            where.append(Ticket.assignee_id.is_(None))
        if tag_id is not None:
            where.append(
                select(TicketTag.ticket_id)
                .where(TicketTag.ticket_id == Ticket.id, TicketTag.tag_id == tag_id)
                .exists()
            )
        orders: Dict[str, List[Any]] = {
            "newest": [Ticket.created_at.desc(), Ticket.id.desc()],
            "due": [DUE_ORDER, Ticket.created_at, Ticket.id],
        }
        order = orders.get(sort, [Ticket.created_at, Ticket.id])
        async with self.sessions() as db:
            rows = await db.execute(
                select(Ticket, Conversation)
                .outerjoin(Conversation, Conversation.id == Ticket.conversation_id)
                .where(*where)
                .order_by(*order)
                .limit(LIST_LIMIT)
            )
            return [(t, c) for t, c in rows.all()]

    async def agent_names(self, ids: Sequence[int]) -> Dict[int, str]:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        async with self.sessions() as db:
            rows = await db.execute(select(Agent.id, Agent.name).where(Agent.id.in_(wanted)))
            return {i: n for i, n in rows.all()}

    async def assign_ticket(self, ticket_id: int, agent_id: int | None) -> Ticket:
        """Sets (or with None clears) who works on a request that is not done."""
        async with self.sessions.begin() as db:
            if agent_id is not None:
                target = await db.get(Agent, agent_id)
                if target is None or not target.active:
                    raise NotFound("agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
            result = await db.execute(
                updating(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status != TicketStatus.DONE)
                .values(assignee_id=agent_id)
            )
            ticket = await db.get(Ticket, ticket_id, populate_existing=True)
            if ticket is None:
                raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.")
            if cast(CursorResult[Any], result).rowcount == 0:
                raise Conflict("ticket_done", "Diese Anfrage ist bereits erledigt.")
        return ticket

    async def move_ticket(self, ticket_id: int, target: str, agent_id: int) -> Tuple[Ticket, str]:
        """Moves a request to `target` if its status allows it (TRANSITIONS); returns it and the status
        it had. Done stores who and when; reopened forgets both."""
        now = utcnow()
        values: Dict[str, Any] = {"status": target, "status_changed_at": now}
        if target == TicketStatus.DONE:
            values.update(closed_at=now, closed_by=agent_id)
        elif target == TicketStatus.REOPENED:
            values.update(closed_at=None, closed_by=None)
        async with self.sessions.begin() as db:
            before = await db.scalar(select(Ticket.status).where(Ticket.id == ticket_id))
            if before is None:
                raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.")
            result = await db.execute(
                updating(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status.in_(sources_of(target)))
                .values(**values)
            )
            if cast(CursorResult[Any], result).rowcount == 0:
                raise Conflict(
                    "invalid_transition",
                    "Dieser Statuswechsel ist für die Anfrage gerade nicht möglich.",
                )
            ticket = await db.get(Ticket, ticket_id, populate_existing=True)
            assert ticket is not None
        return ticket, str(before)

    async def take_over(self, ticket: Ticket, agent_id: int) -> Conversation:
        """The request's conversation goes from the bot to `agent_id` at once (a claimed handoff of the
        request's team; no queue) and the request is theirs. 409 when it is not with the bot."""
        now = utcnow()
        async with self.sessions.begin() as db:
            result = await db.execute(
                updating(Conversation)
                .where(
                    Conversation.id == ticket.conversation_id,
                    Conversation.state == ConversationState.BOT,
                )
                .values(state=ConversationState.AGENT, assigned_agent_id=agent_id, updated_at=now)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                raise Conflict(
                    "not_with_bot",
                    "Das Gespräch ist gerade nicht beim Bot – es wartet oder wird schon betreut.",
                )
            db.add(
                Handoff(
                    conversation_id=ticket.conversation_id,
                    reason=ticket.reason or "callback",
                    summary=ticket.summary or {},
                    state=HandoffState.CLAIMED,
                    queued_at=now,
                    claimed_at=now,
                    claimed_by=agent_id,
                    team=ticket.team,
                )
            )
            await db.execute(
                updating(Ticket).where(Ticket.id == ticket.id).values(assignee_id=agent_id)
            )
            conv = await db.get(Conversation, ticket.conversation_id, populate_existing=True)
            assert conv is not None
        return conv
