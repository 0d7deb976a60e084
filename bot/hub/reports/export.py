"""CSV export of a period: one row per conversation, or one row per message.

Rows are read in pages (keyset order), so an export of a busy quarter streams without holding it
in memory. Times are local (the company's time zone), durations in whole seconds. Cells that a
spreadsheet would run as a formula (starting with = + - @ or a tab) get a leading apostrophe:
customers write the messages.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from typing import Any, AsyncIterator, DefaultDict, Dict, List, Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import (
    hour_of,
    hour_range,
    hours_within,
    of_channel,
    parse_hour,
    seconds,
    within,
)
from bot.hub.states import ConversationState, HandoffState, Sender
from bot.hub.store.models import Agent, Conversation, ConversationTag, Handoff, Message, Tag

Json = Dict[str, Any]
PAGE = 1000
CONVERSATION_COLUMNS = [
    "conversation_id",
    "channel",
    "started_at",
    "ended_at",
    "state",
    "state_path",
    "escalation_reason",
    "wait_seconds",
    "handling_seconds",
    "agent",
    "rating",
    "intents",
    "messages",
    "tags",
]
MESSAGE_COLUMNS = [
    "conversation_id",
    "message_id",
    "created_at",
    "channel",
    "sender",
    "agent",
    "text",
    "button_payload",
    "intent",
    "top_intent",
    "confidence",
    "mood",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def local_time(period: Period, moment: datetime | None) -> str:
    return period.local(moment).isoformat(timespec="seconds") if moment else ""


def whole(value: float | None) -> int | str:
    return "" if value is None else round(value)


def state_path(handoffs: Sequence[Handoff], final_state: str) -> str:
    """The conversation's way through the states, e.g. bot>queued>agent>bot>closed."""
    path = [str(ConversationState.BOT)]
    for h in handoffs:
        if h.state == HandoffState.TICKET:
            path.append("ticket")
            continue
        path.append(str(ConversationState.QUEUED))
        if h.claimed_at is not None:
            path.append(str(ConversationState.AGENT))
        if h.state == HandoffState.LEFT:
            path += ["callback", str(ConversationState.BOT)]
        elif h.outcome:
            path.append(h.outcome)
    if path[-1] != final_state:
        path.append(final_state)
    return ">".join(path)


def intents_in_order(intents: List[str]) -> str:
    """Customer intents in order, a repeat of the one before dropped."""
    out: List[str] = []
    for intent in intents:
        if not out or out[-1] != intent:
            out.append(intent)
    return " ".join(out)


async def _handoffs(db: AsyncSession, ids: List[str]) -> DefaultDict[str, List[Any]]:
    rows = await db.execute(
        select(Handoff, Agent.name)
        .outerjoin(Agent, Agent.id == Handoff.claimed_by)
        .where(Handoff.conversation_id.in_(ids))
        .order_by(Handoff.id)
    )
    out: DefaultDict[str, List[Any]] = defaultdict(list)
    for handoff, name in rows.all():
        out[handoff.conversation_id].append((handoff, name))
    return out


async def _intents(db: AsyncSession, ids: List[str]) -> DefaultDict[str, List[str]]:
    rows = await db.execute(
        select(Message.conversation_id, Message.intent)
        .where(
            Message.conversation_id.in_(ids),
            Message.sender == Sender.CUSTOMER,
            Message.intent.is_not(None),
        )
        .order_by(Message.conversation_id, Message.seq)
    )
    out: DefaultDict[str, List[str]] = defaultdict(list)
    for conv_id, intent in rows.all():
        out[conv_id].append(str(intent))
    return out


async def _tags(db: AsyncSession, ids: List[str]) -> DefaultDict[str, List[str]]:
    rows = await db.execute(
        select(ConversationTag.conversation_id, Tag.name)
        .join(Tag, Tag.id == ConversationTag.tag_id)
        .where(ConversationTag.conversation_id.in_(ids))
        .order_by(Tag.name)
    )
    out: DefaultDict[str, List[str]] = defaultdict(list)
    for conv_id, name in rows.all():
        out[conv_id].append(str(name))
    return out


async def _message_counts(db: AsyncSession, ids: List[str]) -> Dict[str, int]:
    rows = await db.execute(
        select(Message.conversation_id, func.count())
        .where(Message.conversation_id.in_(ids))
        .group_by(Message.conversation_id)
    )
    return {conv_id: int(n) for conv_id, n in rows.all()}


def conversation_row(
    period: Period,
    conv: Conversation,
    handoffs: List[Any],
    intents: List[str],
    messages: int,
    tags: Sequence[str] = (),
) -> Json:
    waits = [seconds(h.claimed_at, h.queued_at) for h, _ in handoffs if h.claimed_at]
    handling = [
        seconds(h.finished_at, h.claimed_at) for h, _ in handoffs if h.claimed_at and h.finished_at
    ]
    agents = [name for h, name in handoffs if name]
    return {
        "conversation_id": conv.id,
        "channel": conv.channel,
        "started_at": local_time(period, conv.created_at),
        "ended_at": local_time(period, conv.closed_at or conv.last_message_at),
        "state": conv.state,
        "state_path": state_path([h for h, _ in handoffs], conv.state),
        "escalation_reason": "|".join(h.reason for h, _ in handoffs),
        "wait_seconds": whole(sum(w for w in waits if w is not None)) if waits else "",
        "handling_seconds": whole(sum(h for h in handling if h is not None)) if handling else "",
        "agent": "|".join(dict.fromkeys(agents)),
        "rating": conv.rating if conv.rating is not None else "",
        "intents": intents_in_order(intents),
        "messages": messages,
        "tags": "|".join(tags),
    }


async def conversation_rows(
    sessions: async_sessionmaker[AsyncSession],
    period: Period,
    channel: str | None,
    tag_id: int | None = None,
) -> AsyncIterator[Json]:
    """Conversations started in the period, oldest first; with `tag_id` only those carrying that tag."""
    after: tuple | None = None
    while True:
        query = select(Conversation).where(within(Conversation.created_at, period))
        if channel:
            query = query.where(Conversation.channel == channel)
        query = where_tag(query, Conversation.id, tag_id)
        if after is not None:
            query = query.where(
                or_(
                    Conversation.created_at > after[0],
                    and_(Conversation.created_at == after[0], Conversation.id > after[1]),
                )
            )
        async with sessions() as db:
            page = list(
                (
                    await db.scalars(
                        query.order_by(Conversation.created_at, Conversation.id).limit(PAGE)
                    )
                ).all()
            )
            if not page:
                return
            ids = [c.id for c in page]
            handoffs, intents, counts, tags = (
                await _handoffs(db, ids),
                await _intents(db, ids),
                await _message_counts(db, ids),
                await _tags(db, ids),
            )
        for conv in page:
            yield conversation_row(
                period,
                conv,
                handoffs[conv.id],
                intents[conv.id],
                counts.get(conv.id, 0),
                tags[conv.id],
            )
        after = (page[-1].created_at, page[-1].id)


async def message_rows(
    sessions: async_sessionmaker[AsyncSession],
    period: Period,
    channel: str | None,
    tag_id: int | None = None,
) -> AsyncIterator[Json]:
    """Messages written in the period, in time order: read one hour at a time (an index range on
    either database), only the hours that hold messages, so no page has to sort the whole period.
    With `tag_id` only the messages of conversations carrying that tag."""
    async with sessions() as db:
        bucket = hour_of(Message.created_at)
        buckets = select(bucket).where(hours_within(db, Message.created_at, period))
        if channel:
            buckets = buckets.where(of_channel(Message.conversation_id, channel, period))
        buckets = where_tag(buckets, Message.conversation_id, tag_id)
        hours = [
            parse_hour(h)
            for h in (await db.scalars(buckets.group_by(bucket).order_by(bucket))).all()
        ]
    for hour in hours:
        query = (
            select(Message, Conversation.channel, Agent.name)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .outerjoin(Agent, Agent.id == Message.agent_id)
        )
        async with sessions() as db:
            query = query.where(hour_range(db, Message.created_at, hour))
            if channel:
                query = query.where(Conversation.channel == channel)
            query = where_tag(query, Message.conversation_id, tag_id)
            page = (await db.execute(query.order_by(Message.created_at, Message.seq))).all()
        for m, chan, name in page:
            yield {
                "conversation_id": m.conversation_id,
                "message_id": m.id,
                "created_at": local_time(period, m.created_at),
                "channel": chan,
                "sender": m.sender,
                "agent": name or "",
                "text": m.text or "",
                "button_payload": m.payload or "",
                "intent": m.intent or "",
                "top_intent": m.top_intent or "",
                "confidence": "" if m.confidence is None else m.confidence,
                "mood": "" if m.mood is None else m.mood,
            }


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_line(columns: List[str], row: Json) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue()
