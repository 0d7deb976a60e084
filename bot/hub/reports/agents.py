"""Agents: what each agent took from the queue in the period, and how fast they answered and finished.

Per handoff claimed in the period (attributed to the agent who claimed it, also after a transfer):
- first response = the first agent message in the conversation after the claim - claimed_at;
- handling time = finished_at - claimed_at (finished ones only);
- hand-back: the agent gave the conversation back to the bot; closed: the agent (or idle
  housekeeping, or the customer ending the chat) closed it; open: still with an agent.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict, List

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, where_team
from bot.hub.reports.sql import percentile, seconds, summary, within
from bot.hub.states import ConversationState, Sender
from bot.hub.store.models import Agent, Conversation, Handoff, Message

Json = Dict[str, Any]


def first_agent_reply() -> Any:
    return (
        select(func.min(Message.created_at))
        .where(
            Message.conversation_id == Handoff.conversation_id,
            Message.sender == Sender.AGENT,
            Message.created_at >= Handoff.claimed_at,
            or_(Handoff.finished_at.is_(None), Message.created_at <= Handoff.finished_at),
        )
        .correlate(Handoff)
        .scalar_subquery()
    )


async def agents(db: AsyncSession, period: Period, scope: Scope) -> Json:
    channel = scope.channel
    query = (
        select(
            Handoff.claimed_by,
            Agent.name,
            Handoff.claimed_at,
            Handoff.finished_at,
            Handoff.outcome,
            first_agent_reply(),
        )
        .join(Agent, Agent.id == Handoff.claimed_by)
        .where(within(Handoff.claimed_at, period))
    )
    if channel:
        query = query.join(Conversation, Conversation.id == Handoff.conversation_id).where(
            Conversation.channel == channel
        )
    query = where_team(query, scope)
    per: DefaultDict[int, Json] = defaultdict(
        lambda: {
            "name": "",
            "conversations": 0,
            "handbacks": 0,
            "closed": 0,
            "open": 0,
            "first": [],
            "handling": [],
        }
    )
    first_all: List[float] = []
    handling_all: List[float] = []
    for agent_id, name, claimed_at, finished_at, outcome, replied_at in (
        await db.execute(query)
    ).all():
        row = per[agent_id]
        row["name"] = name
        row["conversations"] += 1
        if finished_at is None:
            row["open"] += 1
        elif outcome == ConversationState.BOT:
            row["handbacks"] += 1
        else:
            row["closed"] += 1
        first = seconds(replied_at, claimed_at)
        if first is not None:
            row["first"].append(first)
            first_all.append(first)
        handling = seconds(finished_at, claimed_at)
        if handling is not None:
            row["handling"].append(handling)
            handling_all.append(handling)
    rows = [
        {
            "agent_id": agent_id,
            "name": r["name"],
            "conversations": r["conversations"],
            "handbacks": r["handbacks"],
            "closed": r["closed"],
            "open": r["open"],
            "first_response_p50": percentile(r["first"], 50),
            "handling_p50": percentile(r["handling"], 50),
        }
        for agent_id, r in sorted(
            per.items(), key=lambda item: (-item[1]["conversations"], item[1]["name"])
        )
    ]
    return {
        "agents": rows,
        "conversations": sum(r["conversations"] for r in rows),
        "handbacks": sum(r["handbacks"] for r in rows),
        "first_response_seconds": summary(first_all),
        "handling_seconds": summary(handling_all),
    }
