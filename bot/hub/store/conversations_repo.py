"""Conversations, their messages and processed platform updates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Callable, Dict, List, Sequence, Tuple, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Delete,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.hub.errors import Conflict
from bot.hub.states import ACTIVE_TICKET, ConversationState, Delivery, Sender
from bot.hub.store.base_repo import RepoBase, run_core, updating
from bot.hub.store.models import (
    Agent,
    Conversation,
    ConversationMerge,
    ConversationTag,
    Handoff,
    HandoffTransfer,
    InboundUpdate,
    MailOutbox,
    Message,
    Note,
    Tag,
    Ticket,
    TicketTag,
    WsTicket,
    utcnow,
)


def new_id() -> str:
    return uuid.uuid4().hex


Row = Tuple[str, str | None, Dict[str, Any]]  # sender, text, further columns
# (conversation, (first message, its answers) of a retried POST, the new customer message,
#  the bot's, agent's or system's latest message before it when the caller wanted it)
TurnStart = Tuple[
    Conversation | None,
    Tuple[Message, Sequence[Message]] | None,
    Message | None,
    Message | None,
]
REVOKED_TOKEN = (
    "revoked"  # token_hash of a withdrawn customer token: no SHA-256 hex digest equals it
)
CHUNK = 500  # ids per IN (...) list


def _last_reply(db: Session, conv_id: str, seq: int) -> Message | None:
    return (
        db.scalars(
            select(Message)
            .where(
                Message.conversation_id == conv_id,
                Message.seq < seq,
                Message.sender != Sender.CUSTOMER,
            )
            .order_by(Message.seq.desc())
            .limit(1)
        )
    ).first()


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        Message.delivery == Delivery.PENDING,
        and_(Message.delivery == Delivery.IN_FLIGHT, Message.lease_until < now),
    )


def _by_client_id(
    db: Session, conv_id: str, client_message_id: str
) -> Tuple[Message, Sequence[Message]] | None:
    first = (
        db.scalars(
            select(Message).where(
                Message.conversation_id == conv_id, Message.client_message_id == client_message_id
            )
        )
    ).first()
    if first is None:
        return None
    replies = (
        db.scalars(
            select(Message)
            .where(Message.conversation_id == conv_id, Message.reply_to == first.id)
            .order_by(Message.seq)
        )
    ).all()
    return first, replies


def _offered_payloads(db: Session, conv_id: str) -> set[str]:
    """Payloads of the buttons the bot (or a system notice) offered since the customer last wrote."""
    last_customer = (
        select(func.max(Message.seq))
        .where(Message.conversation_id == conv_id, Message.sender == Sender.CUSTOMER)
        .scalar_subquery()
    )
    buttons = (
        db.scalars(
            select(Message.buttons).where(
                Message.conversation_id == conv_id,
                Message.sender.in_((Sender.BOT, Sender.SYSTEM)),
                Message.seq > func.coalesce(last_customer, 0),
            )
        )
    ).all()
    return {str(b.get("payload")) for row in buttons for b in (row or []) if isinstance(b, dict)}


def _has_undelivered(db: Session, conv_id: str, before: int | None) -> bool:
    query = select(Message.seq).where(
        Message.conversation_id == conv_id,
        Message.delivery.in_((Delivery.PENDING, Delivery.IN_FLIGHT)),
    )
    if before is not None:
        query = query.where(Message.seq < before)
    return db.scalars(query.limit(1)).first() is not None


MESSAGE_DEFAULTS: Dict[str, Any] = {
    "buttons": [],
    "custom": None,
    "payload": None,
    "agent_id": None,
    "client_message_id": None,
    "reply_to": None,
    "delivery": Delivery.DONE,
    "lease_owner": None,
    "lease_until": None,
    "client_tag": None,
    "intent": None,
    "mood": None,
}


def _insert_messages(db: Session, conv_id: str, rows: List[Row]) -> List[Message]:
    """One Core INSERT ... RETURNING seq for all rows, plus the conversation's activity times.

    The ORM unit of work (flush, identity map) cost ~9 % of the hub's time per turn; the
    returned Message objects are plain snapshots for serialisation."""
    if not rows:
        return []
    now = utcnow()
    values = [
        {
            **MESSAGE_DEFAULTS,
            "id": new_id(),
            "conversation_id": conv_id,
            "sender": sender,
            "text": text,
            "created_at": now,
            **fields,
        }
        for sender, text, fields in rows
    ]
    table = cast(Table, Message.__table__)
    result = run_core(
        db, insert(table).returning(table.c.seq, sort_by_parameter_order=True), values
    )
    messages = [
        Message(seq=seq, **v) for seq, v in zip(result.scalars().all(), values, strict=True)
    ]
    activity: Dict[str, Any] = {"last_message_at": now, "updated_at": now}
    if any(sender == Sender.CUSTOMER for sender, _, _ in rows):
        activity["last_customer_at"] = now
    run_core(db, updating(Conversation).where(Conversation.id == conv_id).values(**activity))
    return messages


def _add_messages(
    db: Session,
    conv_id: str,
    rows: List[Row],
    delivered_seq: int | None,
    reading: Dict[str, Any] | None,
) -> List[Message]:
    if delivered_seq is not None:
        run_core(
            db,
            updating(Message)
            .where(Message.seq == delivered_seq)
            .values(
                delivery=Delivery.DONE,
                lease_owner=None,
                lease_until=None,
                client_tag=None,
                **(reading or {}),
            ),
        )
    return _insert_messages(db, conv_id, rows)


def _turn_start(
    db: Session,
    conv_id: str,
    client_message_id: str | None,
    text: str,
    payload: str | None,
    delivery: Callable[[Conversation, bool], Dict[str, Any]],
    strict_payload: bool,
    reply_wanted: Callable[[Conversation, Message], bool] | None,
    admit: Callable[[Conversation], None] | None,
) -> TurnStart:
    """ConversationsRepo.turn_start's transaction."""
    conv = db.get(Conversation, conv_id)
    if conv is None:
        return None, None, None, None
    if admit is not None:
        admit(conv)
    db.expunge(conv)  # a snapshot: changes below go through Core statements
    stored = _by_client_id(db, conv_id, client_message_id) if client_message_id else None
    if stored is not None:
        return conv, stored, None, None
    if payload is not None and payload not in _offered_payloads(db, conv_id):
        if not strict_payload:
            payload = None
        else:
            raise Conflict(
                "payload_not_offered",
                "Diese Auswahl ist nicht mehr aktuell. Bitte schreiben "
                "Sie mir einfach, was Sie möchten.",
            )
    if conv.state == ConversationState.CLOSED:
        run_core(
            db,
            updating(Conversation)
            .where(Conversation.id == conv_id)
            .values(state=ConversationState.BOT, closed_at=None),
        )
        conv.state, conv.closed_at = ConversationState.BOT, None
    fields = delivery(conv, _has_undelivered(db, conv_id, None))
    row = (
        Sender.CUSTOMER,
        text,
        {"payload": payload, "client_message_id": client_message_id, **fields},
    )
    msg = _insert_messages(db, conv_id, [row])[0]
    wanted = reply_wanted is not None and reply_wanted(conv, msg)
    return conv, None, msg, _last_reply(db, conv_id, msg.seq) if wanted else None


def _deleting(model: Any) -> Delete:
    """A Core DELETE of the model's table (no ORM session bookkeeping, as `updating`)."""
    return delete(model.__table__)


def _count(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


async def _inbound_update_ids(db: AsyncSession, conv_id: str, channel: str) -> List[str]:
    """Platform update ids of the conversation's messages: a channel stores each customer message
    under client_message_id "<channel>:<update id>" (hashed when too long: those cannot be traced
    back and expire with the retention of inbound_updates)."""
    prefix = f"{channel}:"
    ids = (
        await db.scalars(
            select(Message.client_message_id).where(
                Message.conversation_id == conv_id,
                Message.client_message_id.startswith(prefix, autoescape=True),
            )
        )
    ).all()
    return [i[len(prefix) :] for i in ids if i]


class ConversationsRepo(RepoBase):
    async def add_conversation(self, conv: Conversation) -> Conversation:
        async with self.sessions.begin() as db:
            db.add(conv)
        return conv

    async def conversation(self, conv_id: str) -> Conversation | None:
        return await self.in_one_hop(Session.get, Conversation, conv_id)

    async def latest_by_external(self, channel: str, external_id: str) -> Conversation | None:
        async with self.sessions() as db:
            return (
                await db.scalars(
                    select(Conversation)
                    .where(Conversation.channel == channel, Conversation.external_id == external_id)
                    .order_by(Conversation.created_at.desc())
                    .limit(1)
                )
            ).first()

    async def update_conversation(self, conv_id: str, **values: Any) -> None:
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Conversation).where(Conversation.id == conv_id).values(**values)
            )

    async def agent_conversations(self, agent_id: int | None) -> Sequence[Conversation]:
        """Conversations in agent mode, of one agent (None: all)."""
        query = select(Conversation).where(Conversation.state == ConversationState.AGENT)
        if agent_id is not None:
            query = query.where(Conversation.assigned_agent_id == agent_id)
        async with self.sessions() as db:
            return (await db.scalars(query.order_by(Conversation.last_message_at.desc()))).all()

    async def idle_agent_conversations(self, before: datetime) -> Sequence[Conversation]:
        async with self.sessions() as db:
            return (
                await db.scalars(
                    select(Conversation).where(
                        Conversation.state == ConversationState.AGENT,
                        Conversation.last_message_at < before,
                    )
                )
            ).all()

    # -- messages ------------------------------------------------------------
    async def add_messages(
        self,
        conv_id: str,
        rows: List[Row],
        delivered_seq: int | None = None,
        reading: Dict[str, Any] | None = None,
    ) -> List[Message]:
        """Messages of one conversation in one transaction (the hot path of every turn);
        optionally marks the customer message they answer as delivered, with Rasa's reading of it."""
        return await self.in_one_hop(_add_messages, conv_id, rows, delivered_seq, reading)

    async def transcript(
        self, conv_id: str, after_seq: int = 0
    ) -> Sequence[Tuple[Message, str | None]]:
        """Messages oldest first, each with the name of the agent who wrote it."""
        async with self.sessions() as db:
            rows = await db.execute(
                select(Message, Agent.name)
                .outerjoin(Agent, Message.agent_id == Agent.id)
                .where(Message.conversation_id == conv_id, Message.seq > after_seq)
                .order_by(Message.seq)
            )
            return [(m, name) for m, name in rows.all()]

    async def turn_start(
        self,
        conv_id: str,
        client_message_id: str | None,
        text: str,
        payload: str | None,
        delivery: Callable[[Conversation, bool], Dict[str, Any]],
        strict_payload: bool = True,
        reply_wanted: Callable[[Conversation, Message], bool] | None = None,
        admit: Callable[[Conversation], None] | None = None,
    ) -> TurnStart:
        """A customer turn's first transaction (the hot path): the conversation (a closed one reopens),
        the stored answer to a retried POST, or else the new message, stored with the delivery fields
        `delivery(conversation, an earlier message still waits for Rasa)` chooses, and the last reply
        before it when `reply_wanted(conversation, message)` says so (in the same transaction: one
        session less per turn). A payload the bot did not offer since the customer last wrote is
        refused (strict) or dropped, the text kept. `admit(conversation)` may refuse the turn (raise)
        before anything is written."""
        return await self.in_one_hop(
            _turn_start,
            conv_id,
            client_message_id,
            text,
            payload,
            delivery,
            strict_payload,
            reply_wanted,
            admit,
        )

    async def last_reply_before(self, conv_id: str, seq: int) -> Message | None:
        """The latest bot, agent or system message before `seq`: what the customer answers."""
        return await self.in_one_hop(_last_reply, conv_id, seq)

    async def system_reply(self, conv_id: str, message_id: str) -> Message | None:
        """The system notice answering `message_id` (the outage notice), through the conversation's
        index: by reply_to alone it was a scan of every message (bench/scale.py shows the plans)."""
        async with self.sessions() as db:
            return (
                await db.scalars(
                    select(Message).where(
                        Message.conversation_id == conv_id,
                        Message.reply_to == message_id,
                        Message.sender == Sender.SYSTEM,
                    )
                )
            ).first()

    async def claimable(self, now: datetime, limit: int = 100) -> Sequence[Message]:
        """Customer messages waiting for Rasa: pending, or in flight with an expired lease (their hub died)."""
        async with self.sessions() as db:
            return (
                await db.scalars(
                    select(Message).where(_claimable(now)).order_by(Message.seq).limit(limit)
                )
            ).all()

    async def has_undelivered(self, conv_id: str, before: int | None = None) -> bool:
        """Whether a customer message of the conversation (below seq `before`) still waits for Rasa."""
        return await self.in_one_hop(_has_undelivered, conv_id, before)

    async def claim_delivery(
        self, seq: int, owner: str, now: datetime, until: datetime
    ) -> Message | None:
        """Takes one message for forwarding, atomically (one conditional UPDATE): across hubs exactly one wins."""
        async with self.sessions.begin() as db:
            result = await db.execute(
                updating(Message)
                .where(Message.seq == seq, _claimable(now))
                .values(delivery=Delivery.IN_FLIGHT, lease_owner=owner, lease_until=until)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                return None
            return await db.get(Message, seq, populate_existing=True)

    async def mark_delivery(self, seq: int, delivery: Delivery) -> None:
        """Ends a lease: done, failed, or pending again (to be retried by any hub, with its client tag)."""
        kept = {} if delivery == Delivery.PENDING else {"client_tag": None}
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Message)
                .where(Message.seq == seq)
                .values(delivery=delivery, lease_owner=None, lease_until=None, **kept)
            )

    async def annotate(
        self, seq: int, intent: str | None, mood: float | None, **reading: Any
    ) -> None:
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Message)
                .where(Message.seq == seq)
                .values(intent=intent, mood=mood, **reading)
            )

    # -- platform updates ----------------------------------------------------
    async def first_delivery(self, channel: str, external_id: str) -> bool:
        """Records a platform update id; False when it was processed before."""
        try:
            async with self.sessions.begin() as db:
                db.add(InboundUpdate(channel=channel, external_id=external_id))
        except IntegrityError:
            return False
        return True

    # -- data lifecycle: export, erasure, retention ------------------------------
    async def conversation_ids_by_external(
        self, external_id: str, channel: str | None = None
    ) -> List[str]:
        """A messenger customer's conversations (their platform user id), oldest first."""
        query = select(Conversation.id).where(Conversation.external_id == external_id)
        if channel:
            query = query.where(Conversation.channel == channel)
        async with self.sessions() as db:
            return list((await db.scalars(query.order_by(Conversation.created_at))).all())

    async def conversation_ids_with_meta(self, value: str) -> List[str]:
        """Conversations whose metadata (what the embedding page passed) holds `value` as a top-level
        value, compared case-insensitively."""
        wanted = value.strip().lower()
        async with self.sessions() as db:
            rows = await db.execute(
                select(Conversation.id, Conversation.meta).where(
                    func.lower(sql_cast(Conversation.meta, Text)).contains(wanted, autoescape=True)
                )
            )
            return [
                cid
                for cid, meta in rows.all()
                if isinstance(meta, dict)
                and any(isinstance(v, str) and v.strip().lower() == wanted for v in meta.values())
            ]

    async def revoke(self, conv_id: str) -> None:
        """Withdraws the customer token (the chat was ended or is being erased) and stops forwarding
        the conversation's waiting messages to Rasa."""
        async with self.sessions.begin() as db:
            await db.execute(
                updating(Conversation)
                .where(Conversation.id == conv_id)
                .values(token_hash=REVOKED_TOKEN)
            )
            await db.execute(
                updating(Message)
                .where(
                    Message.conversation_id == conv_id,
                    Message.delivery.in_((Delivery.PENDING, Delivery.IN_FLIGHT)),
                )
                .values(delivery=Delivery.DONE, lease_owner=None, lease_until=None, client_tag=None)
            )

    async def texts_of(self, conv_id: str, sender: Sender) -> List[str]:
        async with self.sessions() as db:
            return [
                t
                for t in (
                    await db.scalars(
                        select(Message.text)
                        .where(Message.conversation_id == conv_id, Message.sender == sender)
                        .order_by(Message.seq)
                    )
                ).all()
                if t
            ]

    async def conversation_record(self, conv_id: str) -> Dict[str, Any] | None:
        """Everything the hub database holds about one conversation (export), None if it is unknown."""
        async with self.sessions() as db:
            conv = await db.get(Conversation, conv_id)
            if conv is None:
                return None
            messages = (
                await db.execute(
                    select(Message, Agent.name)
                    .outerjoin(Agent, Message.agent_id == Agent.id)
                    .where(Message.conversation_id == conv_id)
                    .order_by(Message.seq)
                )
            ).all()
            # agents' notes only: a mail parked because a stranger sent it (agent_id NULL) is not the
            # data of whoever asks for this conversation's export
            notes = (
                await db.execute(
                    select(Note, Agent.name)
                    .join(Agent, Note.agent_id == Agent.id)
                    .where(Note.conversation_id == conv_id)
                    .order_by(Note.id)
                )
            ).all()
            update_ids = await _inbound_update_ids(db, conv_id, conv.channel)
            updates: List[InboundUpdate] = []
            for start in range(0, len(update_ids), CHUNK):
                updates += (
                    await db.scalars(
                        select(InboundUpdate).where(
                            InboundUpdate.channel == conv.channel,
                            InboundUpdate.external_id.in_(update_ids[start : start + CHUNK]),
                        )
                    )
                ).all()
            return {
                "conversation": conv,
                "messages": [(m, name) for m, name in messages],
                "handoffs": (
                    await db.scalars(
                        select(Handoff)
                        .where(Handoff.conversation_id == conv_id)
                        .order_by(Handoff.id)
                    )
                ).all(),
                "tickets": (
                    await db.scalars(
                        select(Ticket).where(Ticket.conversation_id == conv_id).order_by(Ticket.id)
                    )
                ).all(),
                "notes": [(n, name) for n, name in notes],
                "inbound_updates": updates,
                # the tags on it and its requests (issue 27.9), and merges it is part of (27.12)
                "tags": (
                    await db.execute(
                        select(ConversationTag, Tag.name)
                        .join(Tag, Tag.id == ConversationTag.tag_id)
                        .where(ConversationTag.conversation_id == conv_id)
                        .order_by(Tag.name)
                    )
                ).all(),
                "ticket_tags": (
                    await db.execute(
                        select(TicketTag, Tag.name)
                        .join(Tag, Tag.id == TicketTag.tag_id)
                        .join(Ticket, Ticket.id == TicketTag.ticket_id)
                        .where(Ticket.conversation_id == conv_id)
                        .order_by(TicketTag.ticket_id, Tag.name)
                    )
                ).all(),
                "merges": (
                    await db.scalars(
                        select(ConversationMerge).where(
                            or_(
                                ConversationMerge.conversation_id == conv_id,
                                ConversationMerge.into_id == conv_id,
                            )
                        )
                    )
                ).all(),
            }

    async def erase_conversation(self, conv_id: str) -> Dict[str, int]:
        """Deletes the conversation and every hub row that belongs to it, in one transaction;
        returns the rows deleted per table (all zero when it was already gone)."""
        counts: Dict[str, int] = {"inbound_updates": 0}
        async with self.sessions.begin() as db:
            channel = await db.scalar(
                select(Conversation.channel).where(Conversation.id == conv_id)
            )
            if channel is not None:
                update_ids = await _inbound_update_ids(db, conv_id, channel)
                for start in range(0, len(update_ids), CHUNK):
                    counts["inbound_updates"] += _count(
                        await db.execute(
                            _deleting(InboundUpdate).where(
                                InboundUpdate.channel == channel,
                                InboundUpdate.external_id.in_(update_ids[start : start + CHUNK]),
                            )
                        )
                    )
            counts["handoff_transfers"] = _count(
                await db.execute(
                    _deleting(HandoffTransfer).where(
                        HandoffTransfer.handoff_id.in_(
                            select(Handoff.id).where(Handoff.conversation_id == conv_id)
                        )
                    )
                )
            )
            counts["ticket_tags"] = _count(
                await db.execute(
                    _deleting(TicketTag).where(
                        TicketTag.ticket_id.in_(
                            select(Ticket.id).where(Ticket.conversation_id == conv_id)
                        )
                    )
                )
            )
            counts["conversation_merges"] = _count(
                await db.execute(
                    _deleting(ConversationMerge).where(
                        or_(
                            ConversationMerge.conversation_id == conv_id,
                            ConversationMerge.into_id == conv_id,
                        )
                    )
                )
            )
            for name, model in (
                ("conversation_tags", ConversationTag),
                ("notes", Note),
                ("mail_outbox", MailOutbox),
                ("tickets", Ticket),
                ("handoffs", Handoff),
                ("messages", Message),
                ("ws_tickets", WsTicket),
            ):
                counts[name] = _count(
                    await db.execute(_deleting(model).where(model.conversation_id == conv_id))
                )
            counts["conversations"] = _count(
                await db.execute(_deleting(Conversation).where(Conversation.id == conv_id))
            )
        return counts

    async def expired_conversation_ids(self, before: datetime, limit: int = 100) -> List[str]:
        """Conversations past their retention: no message since `before`, not waiting for or talking to an
        agent, no open request (ticket) left; the longest silent first."""
        last = func.coalesce(Conversation.last_message_at, Conversation.created_at)
        open_ticket = (
            select(Ticket.id)
            .where(Ticket.conversation_id == Conversation.id, Ticket.status.in_(ACTIVE_TICKET))
            .exists()
        )
        async with self.sessions() as db:
            return list(
                (
                    await db.scalars(
                        select(Conversation.id)
                        .where(
                            Conversation.state.in_(
                                (ConversationState.BOT, ConversationState.CLOSED)
                            ),
                            last < before,
                            ~open_ticket,
                        )
                        .order_by(last)
                        .limit(limit)
                    )
                ).all()
            )

    async def existing_conversation_ids(self, ids: List[str]) -> set[str]:
        async with self.sessions() as db:
            found: set[str] = set()
            for start in range(0, len(ids), CHUNK):
                found.update(
                    (
                        await db.scalars(
                            select(Conversation.id).where(
                                Conversation.id.in_(ids[start : start + CHUNK])
                            )
                        )
                    ).all()
                )
            return found

    async def prune_inbound_updates(self, before: datetime) -> int:
        """Forgets processed platform update ids older than `before` (webhook redelivery dedupe)."""
        async with self.sessions.begin() as db:
            return _count(
                await db.execute(_deleting(InboundUpdate).where(InboundUpdate.created_at < before))
            )
