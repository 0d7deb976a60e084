"""A customer's earlier conversations and requests, found only by what identifies them for sure
(issue 27.12): the e-mail the bot verified against an order (a handoff summary's `email` with
`email_verified`), an address its owner confirmed by the mailed link (tickets.contact_confirmed),
or the messenger account the platform vouches for (channel + external_id). A typed, unconfirmed
address (tickets.contact, the summary's `email_given`) never links two conversations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Sequence, Tuple

from sqlalchemy import Text, func, or_, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError

from bot.hub.errors import Conflict
from bot.hub.mail.address import parse_email
from bot.hub.states import ChannelName
from bot.hub.store.base_repo import RepoBase
from bot.hub.store.models import Conversation, ConversationMerge, Handoff, Ticket


@dataclass(frozen=True)
class Identity:
    """How a conversation's customer is known for sure: verified e-mails and a messenger account."""

    emails: Tuple[str, ...] = ()
    messenger: Tuple[str, str] | None = None  # (channel, the customer's id there)

    @property
    def known(self) -> bool:
        return bool(self.emails or self.messenger)


def summary_email(summary: Any) -> str | None:
    """The summary's e-mail if the bot verified it against an order."""
    if not isinstance(summary, dict) or summary.get("email_verified") is not True:
        return None
    found = parse_email(str(summary.get("email") or ""))
    return found.lower() if found else None


def confirmed_email(ticket: Ticket) -> str | None:
    found = parse_email(ticket.contact_confirmed or "") if ticket.contact_confirmed else None
    return found.lower() if found else None


@dataclass
class CustomerRows:
    conversations: List[Conversation] = field(default_factory=list)
    tickets: List[Ticket] = field(default_factory=list)
    handoffs: List[Handoff] = field(default_factory=list)
    merges: List[ConversationMerge] = field(default_factory=list)


class HistoryRepo(RepoBase):
    async def identity(self, conv: Conversation) -> Identity:
        async with self.sessions() as db:
            summaries = (
                await db.scalars(select(Handoff.summary).where(Handoff.conversation_id == conv.id))
            ).all()
            tickets = (
                await db.scalars(select(Ticket).where(Ticket.conversation_id == conv.id))
            ).all()
        emails = {e for e in map(summary_email, summaries) if e}
        emails.update(e for e in map(confirmed_email, tickets) if e)
        messenger = (
            (conv.channel, conv.external_id)
            if conv.external_id and conv.channel != ChannelName.WEBCHAT
            else None
        )
        return Identity(tuple(sorted(emails)), messenger)

    async def conversations_of(self, who: Identity) -> List[str]:
        """Every conversation of this customer (the one asked about included)."""
        found: set[str] = set()
        async with self.sessions() as db:
            if who.messenger is not None:
                channel, external = who.messenger
                found.update(
                    (
                        await db.scalars(
                            select(Conversation.id).where(
                                Conversation.channel == channel,
                                Conversation.external_id == external,
                            )
                        )
                    ).all()
                )
            for email in who.emails:
                found.update(
                    (
                        await db.scalars(
                            select(Ticket.conversation_id).where(
                                func.lower(func.trim(Ticket.contact_confirmed)) == email
                            )
                        )
                    ).all()
                )
                rows = await db.execute(
                    select(Handoff.conversation_id, Handoff.summary).where(
                        func.lower(sql_cast(Handoff.summary, Text)).contains(email, autoescape=True)
                    )
                )
                found.update(cid for cid, summary in rows.all() if summary_email(summary) == email)
        return sorted(found)

    async def customer_rows(self, conv_ids: Sequence[str]) -> CustomerRows:
        ids = list(conv_ids)
        out = CustomerRows()
        if not ids:
            return out
        async with self.sessions() as db:
            out.conversations = list(
                (
                    await db.scalars(
                        select(Conversation)
                        .where(Conversation.id.in_(ids))
                        .order_by(Conversation.created_at.desc())
                    )
                ).all()
            )
            out.tickets = list(
                (
                    await db.scalars(
                        select(Ticket)
                        .where(Ticket.conversation_id.in_(ids))
                        .order_by(Ticket.created_at.desc())
                    )
                ).all()
            )
            out.handoffs = list(
                (
                    await db.scalars(
                        select(Handoff).where(Handoff.conversation_id.in_(ids)).order_by(Handoff.id)
                    )
                ).all()
            )
            out.merges = list(
                (
                    await db.scalars(
                        select(ConversationMerge).where(
                            or_(
                                ConversationMerge.conversation_id.in_(ids),
                                ConversationMerge.into_id.in_(ids),
                            )
                        )
                    )
                ).all()
            )
        return out

    async def merge_conversations(self, source: str, into: str, agent_id: int) -> ConversationMerge:
        """`source` is shown under `into` from now on; both keep their messages. Once per conversation,
        and never into one that is itself merged (no chains)."""
        row = ConversationMerge(conversation_id=source, into_id=into, agent_id=agent_id)
        try:
            async with self.sessions.begin() as db:
                nested = await db.scalar(
                    select(func.count())
                    .select_from(ConversationMerge)
                    .where(
                        or_(
                            ConversationMerge.conversation_id == into,
                            ConversationMerge.into_id == source,
                        )
                    )
                )
                if nested:
                    raise Conflict(
                        "merge_chain",
                        "Eines der Gespräche ist schon mit einem anderen zusammengeführt.",
                    )
                db.add(row)
        except IntegrityError:
            raise Conflict(
                "already_merged", "Dieses Gespräch ist bereits zusammengeführt."
            ) from None
        return row
