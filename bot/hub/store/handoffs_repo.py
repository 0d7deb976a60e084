"""The handoff queue, tickets and internal notes.

A claim is a single conditional UPDATE, so two agents clicking at once can
never both win, on SQLite or PostgreSQL, in one hub or several.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple, cast

from sqlalchemy import ColumnElement, CursorResult, Text, case, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.errors import Conflict, NotFound
from bot.hub.states import ACTIVE_TICKET, ConversationState, HandoffState, Sender, TicketStatus
from bot.hub.store.base_repo import RepoBase, updating
from bot.hub.store.models import Agent, Conversation, Handoff, Message, Note, Ticket, utcnow
from bot.hub.store.teams_repo import handoff_in_team

HUB_NOTE_AUTHOR = "E-Mail-Eingang"  # notes the hub writes itself (agent_id NULL)
PRIORITY_ORDER = case((Handoff.priority == "urgent", 0), else_=1)
OPEN_HANDOFF = (HandoffState.QUEUED, HandoffState.CLAIMED)


async def _latest_handoff(db: AsyncSession, conv_id: str) -> Handoff | None:
    return (
        await db.scalars(
            select(Handoff)
            .where(Handoff.conversation_id == conv_id)
            .order_by(Handoff.id.desc())
            .limit(1)
        )
    ).first()


class HandoffsRepo(RepoBase):
    async def queued(self) -> Sequence[Tuple[Handoff, Conversation]]:
        """Waiting handoffs, urgent first, then first come, with their conversations."""
        async with self.sessions() as db:
            rows = await db.execute(
                select(Handoff, Conversation)
                .join(Conversation, Handoff.conversation_id == Conversation.id)
                .where(Handoff.state == HandoffState.QUEUED)
                .order_by(PRIORITY_ORDER, Handoff.queued_at, Handoff.id)
            )
            return [(h, c) for h, c in rows.all()]

    async def recent_claim_waits(
        self,
        limit: int = 20,
        team: str | None = None,
        default: bool = False,
        known: Sequence[str] = (),
    ) -> Sequence[float]:
        """Seconds from queueing to claim of the last `limit` claims; of one team's handoffs when `team` is given
        (the default team also counts handoffs without a known team)."""
        where: List[ColumnElement[bool]] = [Handoff.claimed_at.is_not(None)]
        if team is not None:
            where.append(handoff_in_team(team, default, known))
        async with self.sessions() as db:
            rows = (
                await db.execute(
                    select(Handoff.queued_at, Handoff.claimed_at)
                    .where(*where)
                    .order_by(Handoff.claimed_at.desc())
                    .limit(limit)
                )
            ).all()
        return [(c - q).total_seconds() for q, c in rows if c and q]

    async def customer_said(self, conv_id: str) -> List[Tuple[str | None, str | None]]:
        """The customer's messages in order as (text, payload): a tapped button's title and payload."""
        async with self.sessions() as db:
            rows = await db.execute(
                select(Message.text, Message.payload)
                .where(Message.conversation_id == conv_id, Message.sender == Sender.CUSTOMER)
                .order_by(Message.seq)
            )
            return [(text, payload) for text, payload in rows.all()]

    async def latest_handoff(self, conv_id: str) -> Handoff | None:
        async with self.sessions() as db:
            return await _latest_handoff(db, conv_id)

    async def queue_handoff(self, handoff: Handoff) -> None:
        """Stores the handoff and puts its conversation in the queue, atomically."""
        async with self.sessions.begin() as db:
            db.add(handoff)
            await db.execute(
                updating(Conversation)
                .where(Conversation.id == handoff.conversation_id)
                .values(state=ConversationState.QUEUED)
            )

    async def add_ticket(self, ticket: Ticket, handoff: Handoff | None = None) -> Ticket:
        async with self.sessions.begin() as db:
            db.add(ticket)
            if handoff is not None:
                db.add(handoff)
        return ticket

    async def leave_queue(
        self, conv_id: str, contact: str, note: str | None
    ) -> Tuple[Ticket, bool]:
        """A callback request instead of waiting: the ticket, and whether the customer was queued."""
        async with self.sessions.begin() as db:
            handoff = await _latest_handoff(db, conv_id)
            ticket = Ticket(
                conversation_id=conv_id,
                reason=handoff.reason if handoff else "callback",
                contact=contact,
                note=note,
                summary=handoff.summary if handoff else {},
                team=handoff.team if handoff else None,
            )
            db.add(ticket)
            if handoff is not None and handoff.state == HandoffState.QUEUED:
                handoff.state = HandoffState.LEFT
            conv = await db.get(Conversation, conv_id)
            was_waiting = conv is not None and conv.state == ConversationState.QUEUED
            if conv is not None and was_waiting:
                conv.state = ConversationState.BOT
        return ticket, was_waiting

    async def active_count(self, agent_id: int) -> int:
        async with self.sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(Conversation)
                    .where(
                        Conversation.assigned_agent_id == agent_id,
                        Conversation.state == ConversationState.AGENT,
                    )
                )
                or 0
            )

    async def claim(self, agent_id: int, conv_id: str) -> Conversation:
        now = utcnow()
        async with self.sessions.begin() as db:
            result = await db.execute(
                updating(Handoff)
                .where(Handoff.conversation_id == conv_id, Handoff.state == HandoffState.QUEUED)
                .values(state=HandoffState.CLAIMED, claimed_by=agent_id, claimed_at=now)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                raise Conflict(
                    "already_claimed",
                    "Dieses Gespräch wurde bereits übernommen oder ist nicht mehr in der Warteschlange.",
                )
            conv = await db.get(Conversation, conv_id)
            assert conv is not None  # a handoff row references it
            conv.state, conv.assigned_agent_id = ConversationState.AGENT, agent_id
        return conv

    async def assign(self, conv_id: str, agent_id: int) -> Agent:
        async with self.sessions.begin() as db:
            target = await db.get(Agent, agent_id)
            if target is None or not target.active:
                raise NotFound("agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
            await db.execute(
                updating(Conversation)
                .where(Conversation.id == conv_id)
                .values(assigned_agent_id=agent_id)
            )
        return target

    async def finish(
        self, conv_id: str, state: ConversationState, resolution: str | None = None
    ) -> Conversation:
        """Ends open handoffs and moves the conversation to `state` (bot or closed)."""
        now = utcnow()
        values: Dict[str, Any] = {"state": state, "assigned_agent_id": None}
        if state == ConversationState.CLOSED:
            values.update(closed_at=now, resolution=resolution)
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Handoff)
                .where(Handoff.conversation_id == conv_id, Handoff.state.in_(OPEN_HANDOFF))
                .values(state=HandoffState.DONE, finished_at=now, outcome=state)
            )  # reports
            await db.execute(
                updating(Conversation).where(Conversation.id == conv_id).values(**values)
            )
            conv = await db.get(Conversation, conv_id, populate_existing=True)
            if conv is None:
                raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
        return conv

    # -- tickets and notes ---------------------------------------------------
    async def open_ticket(self, conv_id: str) -> Ticket | None:
        """The conversation's newest open request (one matter, one request: bot/hub/handoff/requests.py)."""
        async with self.sessions() as db:
            return (
                await db.scalars(
                    select(Ticket)
                    .where(Ticket.conversation_id == conv_id, Ticket.status == TicketStatus.OPEN)
                    .order_by(Ticket.id.desc())
                    .limit(1)
                )
            ).first()

    async def open_ticket_teams(self, conv_id: str) -> List[str | None]:
        """The teams of a conversation's open tickets (None: the default team)."""
        async with self.sessions() as db:
            return list(
                (
                    await db.scalars(
                        select(Ticket.team).where(
                            Ticket.conversation_id == conv_id, Ticket.status.in_(ACTIVE_TICKET)
                        )
                    )
                ).all()
            )

    async def close_ticket(self, ticket_id: int, agent_id: int | None = None) -> Ticket:
        """Marks an open request done by `agent_id`, once: one conditional UPDATE, so of two closing at the
        same time one wins and the other gets 409 (a done request keeps who closed it and when)."""
        async with self.sessions.begin() as db:
            closed = await db.execute(
                updating(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status.in_(ACTIVE_TICKET))
                .values(
                    status=TicketStatus.DONE,
                    closed_at=utcnow(),
                    closed_by=agent_id,
                    status_changed_at=utcnow(),
                )
            )
            ticket = await db.get(Ticket, ticket_id, populate_existing=True)
            if ticket is None:
                raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.")
            if cast(CursorResult[Any], closed).rowcount == 0:
                raise Conflict("ticket_done", "Diese Anfrage ist bereits erledigt.")
        return ticket

    async def add_ticket_contact(self, ticket_id: int, contact: str) -> Ticket | None:
        """The customer typed how to reach them after the request was recorded: that contact is used; one
        noted before (the order's e-mail, the messenger account) stays in the note. None: no open request."""
        async with self.sessions.begin() as db:
            ticket = await db.get(Ticket, ticket_id)
            if ticket is None or ticket.status not in ACTIVE_TICKET:
                return None
            old = ticket.contact
            if old and old != contact:
                ticket.note = "\n".join(filter(None, [ticket.note, f"Vorher hinterlegt: {old}"]))
            ticket.contact = contact
        return ticket

    async def add_ticket_note(self, ticket_id: int, conv_id: str, text: str) -> Ticket | None:
        """A wish the customer gave for the conversation's open request, added to its note (the
        agents read it with the request). None: no such open request of this conversation."""
        async with self.sessions.begin() as db:
            ticket = await db.get(Ticket, ticket_id)
            if (
                ticket is None
                or ticket.status not in ACTIVE_TICKET
                or ticket.conversation_id != conv_id
            ):
                return None
            ticket.note = "\n".join(filter(None, [ticket.note, f"Wunsch des Kunden: {text}"]))
        return ticket

    async def add_note(self, conv_id: str, agent_id: int, text: str) -> Note:
        note = Note(conversation_id=conv_id, agent_id=agent_id, text=text)
        async with self.sessions.begin() as db:
            db.add(note)
        return note

    async def notes(self, conv_id: str) -> Sequence[Tuple[Note, str]]:
        """Internal notes with their author; the hub's own (a parked inbound mail) as "E-Mail-Eingang"."""
        async with self.sessions() as db:
            rows = await db.execute(
                select(Note, Agent.name)
                .outerjoin(Agent, Note.agent_id == Agent.id)
                .where(Note.conversation_id == conv_id)
                .order_by(Note.id)
            )
            return [(n, name or HUB_NOTE_AUTHOR) for n, name in rows.all()]

    # -- data lifecycle ----------------------------------------------------------
    async def conversation_ids_with_contact(self, email: str) -> List[str]:
        """Conversations where the customer left this e-mail as callback contact, or verified it against
        an order before a handoff (the summary's e-mail is only set once verified)."""
        wanted = email.strip().lower()
        async with self.sessions() as db:
            found = set(
                (
                    await db.scalars(
                        select(Ticket.conversation_id).where(
                            func.lower(func.trim(Ticket.contact)) == wanted
                        )
                    )
                ).all()
            )
            rows = await db.execute(
                select(Handoff.conversation_id, Handoff.summary).where(
                    func.lower(sql_cast(Handoff.summary, Text)).contains(wanted, autoescape=True)
                )
            )
            found.update(
                cid
                for cid, summary in rows.all()
                if isinstance(summary, dict)
                and str(summary.get("email") or "").strip().lower() == wanted
            )
        return sorted(found)
