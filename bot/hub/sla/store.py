"""The SLA's reads and the admin's targets, on the hub's session factory (next to the feature, like
reports/): handoffs with their start, first agent reply and end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.states import HandoffState, Sender
from bot.hub.store.models import Conversation, Handoff, Message, SlaTarget, utcnow

CHAT = (
    HandoffState.QUEUED,
    HandoffState.CLAIMED,
    HandoffState.DONE,
)  # tickets and left: no chat SLA


@dataclass(frozen=True)
class Clocked:
    """One handoff as the SLA sees it."""

    handoff_id: int
    conversation_id: str
    team: str | None
    state: str
    queued_at: datetime
    first_reply_at: datetime | None
    first_reply_by: int | None
    finished_at: datetime | None
    claimed_by: int | None
    conversation_state: str
    assigned_agent_id: int | None


def _query(*where: Any) -> Any:
    first = (
        select(func.min(Message.seq))
        .where(
            Message.conversation_id == Handoff.conversation_id,
            Message.sender == Sender.AGENT,
            Message.created_at >= Handoff.queued_at,
        )
        .correlate(Handoff)
        .scalar_subquery()
    )
    return (
        select(
            Handoff,
            Conversation.state,
            Conversation.assigned_agent_id,
            Message.created_at,
            Message.agent_id,
        )
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .outerjoin(Message, Message.seq == first)
        .where(Handoff.state.in_([s.value for s in CHAT]), *where)
    )


def _clocked(row: Any) -> Clocked:
    h, conv_state, assigned, reply_at, reply_by = row
    return Clocked(
        h.id,
        h.conversation_id,
        h.team,
        h.state,
        h.queued_at,
        reply_at,
        reply_by,
        h.finished_at if h.state == HandoffState.DONE else None,
        h.claimed_by,
        conv_state,
        assigned,
    )


async def active(db: AsyncSession) -> List[Clocked]:
    """Handoffs waiting or with an agent now."""
    rows = await db.execute(_query(Handoff.state.in_([HandoffState.QUEUED, HandoffState.CLAIMED])))
    return [_clocked(r) for r in rows.all()]


async def queued_between(
    db: AsyncSession, start: datetime, end: datetime, *where: Any
) -> List[Clocked]:
    """Handoffs queued in [start, end); `where`: more conditions (on Handoff, or Conversation, joined)."""
    rows = await db.execute(_query(Handoff.queued_at >= start, Handoff.queued_at < end, *where))
    return [_clocked(r) for r in rows.all()]


async def finished_since(db: AsyncSession, since: datetime) -> List[Clocked]:
    rows = await db.execute(
        _query(Handoff.state == HandoffState.DONE, Handoff.finished_at >= since)
    )
    return [_clocked(r) for r in rows.all()]


async def overrides(db: AsyncSession) -> Dict[str, SlaTarget]:
    return {t.team: t for t in (await db.scalars(select(SlaTarget))).all()}


async def save_override(
    db: AsyncSession, team: str, first: int | None, resolution: int | None, warn: int, by: int
) -> None:
    row = await db.get(SlaTarget, team)
    if row is None:
        row = SlaTarget(team=team)
        db.add(row)
    row.first_response_seconds, row.resolution_seconds, row.warn_percent = first, resolution, warn
    row.updated_by, row.updated_at = by, utcnow()
