"""The mail outbox and the tickets e-mail belongs to.

Enqueueing is idempotent (unique dedupe_key), claiming is one conditional UPDATE with a lease, so
however many hubs run the sender loop, one of them sends a given mail, and a retried request never
queues a second copy.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, List, cast

from sqlalchemy import CursorResult, case, func, or_, select
from sqlalchemy.exc import IntegrityError

from bot.hub.errors import NotFound
from bot.hub.states import ACTIVE_TICKET, MailState, TicketStatus
from bot.hub.store.base_repo import RepoBase, updating
from bot.hub.store.models import MailOutbox, Note, Ticket, utcnow


class MailRepo(RepoBase):
    async def enqueue_mail(self, mail: MailOutbox) -> MailOutbox:
        """Stores the mail unless one with its dedupe_key exists; returns the stored one."""
        try:
            async with self.sessions.begin() as db:
                db.add(mail)
            return mail
        except IntegrityError:
            async with self.sessions() as db:
                existing = (
                    await db.scalars(
                        select(MailOutbox).where(MailOutbox.dedupe_key == mail.dedupe_key)
                    )
                ).first()
            if existing is None:
                raise
            return existing

    async def claim_mail(
        self, now: datetime, lease_seconds: float, limit: int = 10
    ) -> List[MailOutbox]:
        """Due mails (pending, or sending with an expired lease) this hub now owns until the lease ends."""
        due = or_(
            MailOutbox.state == MailState.PENDING,
            (MailOutbox.state == MailState.SENDING) & (MailOutbox.lease_until < now),
        )
        until = now + timedelta(seconds=lease_seconds)
        claimed: List[MailOutbox] = []
        async with self.sessions() as db:
            ids = (
                await db.scalars(
                    select(MailOutbox.id)
                    .where(due, MailOutbox.next_attempt_at <= now)
                    .order_by(MailOutbox.next_attempt_at, MailOutbox.id)
                    .limit(limit)
                )
            ).all()
        for mail_id in ids:
            async with self.sessions.begin() as db:
                result = await db.execute(
                    updating(MailOutbox)
                    .where(MailOutbox.id == mail_id, due)
                    .values(state=MailState.SENDING, lease_until=until)
                )
                if cast(CursorResult[Any], result).rowcount == 1:
                    row = await db.get(MailOutbox, mail_id, populate_existing=True)
                    assert row is not None
                    claimed.append(row)
        return claimed

    async def mail_sent(self, mail_id: int) -> None:
        async with self.sessions.begin() as db:
            await db.execute(
                updating(MailOutbox)
                .where(MailOutbox.id == mail_id)
                .values(
                    state=MailState.SENT,
                    sent_at=utcnow(),
                    lease_until=None,
                    attempts=MailOutbox.attempts + 1,
                )
            )

    async def mail_failed(self, mail_id: int, error: str, retry_at: datetime | None) -> None:
        """A failed attempt: back to pending until `retry_at`, or failed for good (None)."""
        state = MailState.PENDING if retry_at else MailState.FAILED
        async with self.sessions.begin() as db:
            await db.execute(
                updating(MailOutbox)
                .where(MailOutbox.id == mail_id)
                .values(
                    state=state,
                    last_error=error[:2000],
                    lease_until=None,
                    attempts=MailOutbox.attempts + 1,
                    next_attempt_at=retry_at or utcnow(),
                )
            )

    async def mail(self, mail_id: int) -> MailOutbox | None:
        async with self.sessions() as db:
            return await db.get(MailOutbox, mail_id)

    async def mails_of_ticket(self, ticket_id: int) -> List[MailOutbox]:
        async with self.sessions() as db:
            return list(
                (
                    await db.scalars(
                        select(MailOutbox)
                        .where(MailOutbox.ticket_id == ticket_id)
                        .order_by(MailOutbox.id)
                    )
                ).all()
            )

    async def mails_to(self, address: str, kind: str, since: datetime) -> int:
        """How many mails of `kind` went to `address` (any request) since then: a cap per mailbox."""
        async with self.sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(MailOutbox)
                    .where(
                        MailOutbox.kind == kind,
                        func.lower(MailOutbox.to_addr) == address.lower(),
                        MailOutbox.created_at >= since,
                    )
                )
                or 0
            )

    async def confirm_contact(self, ticket_id: int, address: str) -> Ticket | None:
        """The owner of `address` confirmed it for this open request (its contact still): from now on the
        hub mails it. None: no such open request with that contact (changed, done or gone)."""
        async with self.sessions.begin() as db:
            ticket = await db.get(Ticket, ticket_id)
            if (
                ticket is None
                or ticket.status not in ACTIVE_TICKET
                or (ticket.contact or "").strip().lower() != address.lower()
            ):
                return None
            ticket.contact_confirmed = address
        return ticket

    async def park_mail(self, conv_id: str, text: str) -> Note:
        """An inbound mail from a sender who is not the request's confirmed contact: an internal note
        (agents read it in the conversation; the customer never sees it)."""
        note = Note(conversation_id=conv_id, agent_id=None, text=text)
        async with self.sessions.begin() as db:
            db.add(note)
        return note

    async def ticket(self, ticket_id: int) -> Ticket:
        async with self.sessions() as db:
            ticket = await db.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.")
        return ticket

    async def reopen_ticket(self, ticket_id: int) -> None:
        """The customer answered: the request is back on the team's list - reopened when it was done,
        open when it waited for the customer (issue 27.7)."""
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Ticket)
                .where(
                    Ticket.id == ticket_id,
                    Ticket.status.in_([TicketStatus.DONE, TicketStatus.WAITING]),
                )
                .values(
                    status=case(
                        (Ticket.status == TicketStatus.DONE, TicketStatus.REOPENED.value),
                        else_=TicketStatus.OPEN.value,
                    ),
                    closed_at=None,
                    closed_by=None,
                    status_changed_at=utcnow(),
                )
            )
