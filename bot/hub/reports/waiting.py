"""The queue: how long customers waited for a human, who gave up, and what became a request.

Over the handoffs requested in the period:
- queued: went into the queue (all but tickets);
- taken: an agent claimed it; wait = claimed_at - queued_at (p50/p90 by nearest rank), one wait per
  claim: a handoff transferred to another team waits again, from the transfer to the next claim;
- abandoned: ended without an agent (the customer ended the chat or the conversation was closed);
- callback: the customer left a callback / e-mail request instead of waiting;
- still waiting: queued now;
- tickets: nobody could answer, recorded as a request - outside the service hours of the handoff's
  team (company.yml) or inside them with no agent of the team online.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, DefaultDict, Dict, List

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, where_tag, where_team
from bot.hub.reports.sql import rate, seconds, summary, within
from bot.hub.states import HandoffState
from bot.hub.store.models import Conversation, Handoff, HandoffTransfer

Json = Dict[str, Any]
# Upper bounds of the wait histogram, in seconds (the last bucket is open).
BUCKETS = [
    (60, "< 1 min"),
    (180, "1–3 min"),
    (300, "3–5 min"),
    (600, "5–10 min"),
    (1800, "10–30 min"),
    (None, "> 30 min"),
]


def histogram(waits: List[float]) -> List[Json]:
    out, lower = [], 0.0
    for upper, label in BUCKETS:
        count = sum(1 for w in waits if w >= lower and (upper is None or w < upper))
        out.append({"label": label, "count": count})
        lower = float(upper or 0)
    return out


async def _transfers(db: AsyncSession, period: Period) -> DefaultDict[int, List[Any]]:
    """Per handoff of the period: its earlier stints in the queue (ended by a transfer), oldest first."""
    rows = await db.execute(
        select(
            HandoffTransfer.handoff_id,
            HandoffTransfer.queued_at,
            HandoffTransfer.claimed_at,
            HandoffTransfer.transferred_at,
        )
        .join(Handoff, Handoff.id == HandoffTransfer.handoff_id)
        .where(within(Handoff.queued_at, period))
        .order_by(HandoffTransfer.id)
    )
    out: DefaultDict[int, List[Any]] = defaultdict(list)
    for handoff_id, *stint in rows.all():
        out[handoff_id].append(stint)
    return out


def _waits(queued_at: datetime, claimed_at: datetime | None, stints: List[Any]) -> List[float]:
    """One wait per claim: each earlier stint's, then the current one's, from the last transfer on."""
    waits = [seconds(claimed, queued) or 0.0 for queued, claimed, _ in stints if claimed]
    if claimed_at is not None:
        since = stints[-1][2] if stints else queued_at
        waits.append(seconds(claimed_at, since) or 0.0)
    return waits


async def waiting(db: AsyncSession, period: Period, scope: Scope) -> Json:
    query = select(
        Handoff.id, Handoff.state, Handoff.queued_at, Handoff.claimed_at, Handoff.team
    ).where(within(Handoff.queued_at, period))
    if scope.channel:
        query = query.join(Conversation, Conversation.id == Handoff.conversation_id).where(
            Conversation.channel == scope.channel
        )
    query = where_tag(where_team(query, scope), Handoff.conversation_id, scope.tag)
    counts = dict.fromkeys(
        (
            "queued",
            "taken",
            "abandoned",
            "callback",
            "still_waiting",
            "tickets_outside_hours",
            "tickets_no_agent",
        ),
        0,
    )
    waits: List[float] = []
    transfers = await _transfers(db, period)
    for handoff_id, state, queued_at, claimed_at, team in (await db.execute(query)).all():
        if state == HandoffState.TICKET:
            is_open = scope.open_at(team, queued_at)
            counts["tickets_no_agent" if is_open else "tickets_outside_hours"] += 1
            continue
        counts["queued"] += 1
        stints = transfers.get(handoff_id, [])
        waits += _waits(queued_at, claimed_at, stints)
        if claimed_at is not None or any(claimed for _, claimed, _ in stints):
            counts["taken"] += 1
        elif state == HandoffState.LEFT:
            counts["callback"] += 1
        elif state == HandoffState.QUEUED:
            counts["still_waiting"] += 1
        else:
            counts["abandoned"] += 1
    return {
        **counts,
        "tickets": counts["tickets_outside_hours"] + counts["tickets_no_agent"],
        "abandon_rate": rate(counts["abandoned"], counts["queued"]),
        "wait_seconds": summary(waits),
        "wait_histogram": histogram(waits),
    }
