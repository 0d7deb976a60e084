"""Conversations, their messages and processed platform updates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Dict, List, Sequence, Tuple, cast

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kundendialog.core.states import ConversationState, Delivery, Sender
from kundendialog.hub.store.base_repo import RepoBase, updating
from kundendialog.hub.store.models import Agent, Conversation, InboundUpdate, Message, utcnow


def new_id() -> str:
    return uuid.uuid4().hex


Row = Tuple[str, str | None, Dict[str, Any]]  # sender, text, further columns


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(Message.delivery == Delivery.PENDING,
               and_(Message.delivery == Delivery.IN_FLIGHT, Message.lease_until < now))


async def _by_client_id(db: AsyncSession, conv_id: str,
                        client_message_id: str) -> Tuple[Message, Sequence[Message]] | None:
    first = (await db.scalars(select(Message).where(Message.conversation_id == conv_id,
                                                    Message.client_message_id == client_message_id))).first()
    if first is None:
        return None
    replies = (await db.scalars(select(Message).where(Message.reply_to == first.id).order_by(Message.seq))).all()
    return first, replies


async def _has_undelivered(db: AsyncSession, conv_id: str, before: int | None) -> bool:
    query = select(Message.seq).where(Message.conversation_id == conv_id,
                                      Message.delivery.in_((Delivery.PENDING, Delivery.IN_FLIGHT)))
    if before is not None:
        query = query.where(Message.seq < before)
    return (await db.scalars(query.limit(1))).first() is not None


class ConversationsRepo(RepoBase):
    async def add_conversation(self, conv: Conversation) -> Conversation:
        async with self.sessions.begin() as db:
            db.add(conv)
        return conv

    async def conversation(self, conv_id: str) -> Conversation | None:
        async with self.sessions() as db:
            return await db.get(Conversation, conv_id)

    async def latest_by_external(self, channel: str, external_id: str) -> Conversation | None:
        async with self.sessions() as db:
            return (await db.scalars(select(Conversation).where(Conversation.channel == channel,
                                                                Conversation.external_id == external_id)
                                     .order_by(Conversation.created_at.desc()).limit(1))).first()

    async def update_conversation(self, conv_id: str, **values: Any) -> None:
        async with self.sessions.begin() as db:
            await db.execute(updating(Conversation).where(Conversation.id == conv_id).values(**values))

    async def agent_conversations(self, agent_id: int | None) -> Sequence[Conversation]:
        """Conversations in agent mode, of one agent (None: all)."""
        query = select(Conversation).where(Conversation.state == ConversationState.AGENT)
        if agent_id is not None:
            query = query.where(Conversation.assigned_agent_id == agent_id)
        async with self.sessions() as db:
            return (await db.scalars(query.order_by(Conversation.last_message_at.desc()))).all()

    async def idle_agent_conversations(self, before: datetime) -> Sequence[Conversation]:
        async with self.sessions() as db:
            return (await db.scalars(select(Conversation).where(Conversation.state == ConversationState.AGENT,
                                                                Conversation.last_message_at < before))).all()

    # -- messages ------------------------------------------------------------
    async def add_messages(self, conv_id: str, rows: List[Row], delivered_seq: int | None = None) -> List[Message]:
        """Messages of one conversation in one transaction (the hot path of every turn);
        optionally marks the customer message they answer as delivered."""
        now = utcnow()
        messages = [Message(id=new_id(), conversation_id=conv_id, sender=sender, text=text, created_at=now, **fields)
                    for sender, text, fields in rows]
        async with self.sessions.begin() as db:
            db.add_all(messages)
            if delivered_seq is not None:
                await db.execute(updating(Message).where(Message.seq == delivered_seq)
                                 .values(delivery=Delivery.DONE, lease_owner=None, lease_until=None))
            if messages:
                values: Dict[str, Any] = {"last_message_at": now, "updated_at": now}
                if any(m.sender == Sender.CUSTOMER for m in messages):
                    values["last_customer_at"] = now
                await db.execute(updating(Conversation).where(Conversation.id == conv_id).values(**values))
        return messages

    async def transcript(self, conv_id: str, after_seq: int = 0) -> Sequence[Tuple[Message, str | None]]:
        """Messages oldest first, each with the name of the agent who wrote it."""
        async with self.sessions() as db:
            rows = await db.execute(select(Message, Agent.name).outerjoin(Agent, Message.agent_id == Agent.id)
                                    .where(Message.conversation_id == conv_id, Message.seq > after_seq)
                                    .order_by(Message.seq))
            return [(m, name) for m, name in rows.all()]

    async def turn_start(self, conv_id: str, client_message_id: str | None
                         ) -> Tuple[Conversation | None, Tuple[Message, Sequence[Message]] | None, bool]:
        """What a customer turn needs to know first, in one session (the hot path): the conversation,
        the stored answer to a retried POST, and whether an earlier message still waits for Rasa."""
        async with self.sessions() as db:
            conv = await db.get(Conversation, conv_id)
            stored = await _by_client_id(db, conv_id, client_message_id) if client_message_id else None
            waiting = stored is None and conv is not None and await _has_undelivered(db, conv_id, None)
        return conv, stored, waiting

    async def system_reply(self, message_id: str) -> Message | None:
        async with self.sessions() as db:
            return (await db.scalars(select(Message).where(Message.reply_to == message_id,
                                                           Message.sender == Sender.SYSTEM))).first()

    async def claimable(self, now: datetime, limit: int = 100) -> Sequence[Message]:
        """Customer messages waiting for Rasa: pending, or in flight with an expired lease (their hub died)."""
        async with self.sessions() as db:
            return (await db.scalars(select(Message).where(_claimable(now)).order_by(Message.seq).limit(limit))).all()

    async def has_undelivered(self, conv_id: str, before: int | None = None) -> bool:
        """Whether a customer message of the conversation (below seq `before`) still waits for Rasa."""
        async with self.sessions() as db:
            return await _has_undelivered(db, conv_id, before)

    async def claim_delivery(self, seq: int, owner: str, now: datetime, until: datetime) -> Message | None:
        """Takes one message for forwarding, atomically (one conditional UPDATE): across hubs exactly one wins."""
        async with self.sessions.begin() as db:
            result = await db.execute(updating(Message).where(Message.seq == seq, _claimable(now))
                                      .values(delivery=Delivery.IN_FLIGHT, lease_owner=owner, lease_until=until))
            if cast(CursorResult[Any], result).rowcount != 1:
                return None
            return await db.get(Message, seq, populate_existing=True)

    async def mark_delivery(self, seq: int, delivery: Delivery) -> None:
        """Ends a lease: done, failed, or pending again (to be retried by any hub)."""
        async with self.sessions.begin() as db:
            await db.execute(updating(Message).where(Message.seq == seq)
                             .values(delivery=delivery, lease_owner=None, lease_until=None))

    async def annotate(self, seq: int, intent: str | None, mood: float | None) -> None:
        async with self.sessions.begin() as db:
            await db.execute(updating(Message).where(Message.seq == seq).values(intent=intent, mood=mood))

    # -- platform updates ----------------------------------------------------
    async def first_delivery(self, channel: str, external_id: str) -> bool:
        """Records a platform update id; False when it was processed before."""
        try:
            async with self.sessions.begin() as db:
                db.add(InboundUpdate(channel=channel, external_id=external_id))
        except IntegrityError:
            return False
        return True
