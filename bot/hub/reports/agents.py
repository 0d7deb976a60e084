"""Agents: what each agent took from the queue in the period, and how fast they answered and finished.

Every claim made in the period counts for the agent who made it, also when the conversation was then
transferred to another team and claimed again (the earlier claim is kept in handoff_transfers):
- first response = the claiming agent's first message in the conversation during the claim - claimed_at;
- handling time = end of the claim - claimed_at (ended ones only);
- hand-back: the agent gave the conversation back to the bot; closed: the agent (or idle
  housekeeping, or the customer ending the chat) closed it; transferred: the agent passed it to another
  team; open: still with an agent;
- replies: every message an agent wrote in the period, for the agent who wrote it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict, Iterable, List, Tuple

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, where_tag, where_team
from bot.hub.reports.sql import percentile, seconds, summary, within
from bot.hub.states import ConversationState, Sender
from bot.hub.store.models import Agent, Conversation, Handoff, HandoffTransfer, Message

Json = Dict[str, Any]
TRANSFERRED = "transferred"
# agent id, name, claimed_at, ended_at, outcome (None: open), first reply
Claim = Tuple[int, str, Any, Any, str | None, Any]


def first_reply(conv: Any, agent: Any, start: Any, end: Any, outer: Any) -> Any:
    """The claiming agent's first message in the conversation between the claim's start and end."""
    return (
        select(func.min(Message.created_at))
        .where(
            Message.conversation_id == conv,
            Message.sender == Sender.AGENT,
            Message.agent_id == agent,
            Message.created_at >= start,
            or_(end.is_(None), Message.created_at <= end),
        )
        .correlate(outer)
        .scalar_subquery()
    )


def _conversations(query: Any, conv: Any, scope: Scope) -> Any:
    """The channel and tag filters on the conversation of a claim or reply."""
    if scope.channel:
        query = query.join(Conversation, Conversation.id == conv).where(
            Conversation.channel == scope.channel
        )
    return where_tag(query, conv, scope.tag)


async def _current_claims(db: AsyncSession, period: Period, scope: Scope) -> Iterable[Claim]:
    query = (
        select(
            Handoff.claimed_by,
            Agent.name,
            Handoff.claimed_at,
            Handoff.finished_at,
            Handoff.outcome,
            first_reply(
                Handoff.conversation_id,
                Handoff.claimed_by,
                Handoff.claimed_at,
                Handoff.finished_at,
                Handoff,
            ),
        )
        .join(Agent, Agent.id == Handoff.claimed_by)
        .where(within(Handoff.claimed_at, period))
    )
    query = where_team(_conversations(query, Handoff.conversation_id, scope), scope)
    return [tuple(r) for r in (await db.execute(query)).all()]  # type: ignore[misc]


async def _transferred_claims(db: AsyncSession, period: Period, scope: Scope) -> Iterable[Claim]:
    query = (
        select(
            HandoffTransfer.agent_id,
            Agent.name,
            HandoffTransfer.claimed_at,
            HandoffTransfer.transferred_at,
            first_reply(
                Handoff.conversation_id,
                HandoffTransfer.agent_id,
                HandoffTransfer.claimed_at,
                HandoffTransfer.transferred_at,
                HandoffTransfer,
            ),
        )
        .join(Handoff, Handoff.id == HandoffTransfer.handoff_id)
        .join(Agent, Agent.id == HandoffTransfer.agent_id)
        .where(within(HandoffTransfer.claimed_at, period))
    )
    query = _conversations(query, Handoff.conversation_id, scope)
    team = scope.handoff_team(HandoffTransfer.team)
    if team is not None:
        query = query.where(team)
    return [
        (agent, name, claimed, ended, TRANSFERRED, replied)
        for agent, name, claimed, ended, replied in (await db.execute(query)).all()
    ]


async def _replies(db: AsyncSession, period: Period, scope: Scope) -> Dict[int, Tuple[str, int]]:
    """Messages per agent in the period (with a team filter: in conversations with a handoff of the team)."""
    query = (
        select(Message.agent_id, Agent.name, func.count())
        .join(Agent, Agent.id == Message.agent_id)
        .where(Message.sender == Sender.AGENT, within(Message.created_at, period))
        .group_by(Message.agent_id, Agent.name)
    )
    query = _conversations(query, Message.conversation_id, scope)
    team = scope.handoff_team()
    if team is not None:
        query = query.where(
            exists().where(Handoff.conversation_id == Message.conversation_id, team)
        )
    return {agent: (name, int(n)) for agent, name, n in (await db.execute(query)).all()}


def _row() -> Json:
    return {
        "name": "",
        "conversations": 0,
        "handbacks": 0,
        "closed": 0,
        "transferred": 0,
        "open": 0,
        "replies": 0,
        "first": [],
        "handling": [],
    }


async def agents(db: AsyncSession, period: Period, scope: Scope) -> Json:
    per: DefaultDict[int, Json] = defaultdict(_row)
    first_all: List[float] = []
    handling_all: List[float] = []
    claims = [
        *await _current_claims(db, period, scope),
        *await _transferred_claims(db, period, scope),
    ]
    for agent_id, name, claimed_at, ended_at, outcome, replied_at in claims:
        row = per[agent_id]
        row["name"] = name
        row["conversations"] += 1
        if ended_at is None:
            row["open"] += 1
        elif outcome == TRANSFERRED:
            row["transferred"] += 1
        elif outcome == ConversationState.BOT:
            row["handbacks"] += 1
        else:
            row["closed"] += 1
        first = seconds(replied_at, claimed_at)
        if first is not None:
            row["first"].append(first)
            first_all.append(first)
        handling = seconds(ended_at, claimed_at)
        if handling is not None:
            row["handling"].append(handling)
            handling_all.append(handling)
    for agent_id, (name, count) in (await _replies(db, period, scope)).items():
        per[agent_id]["name"] = name
        per[agent_id]["replies"] = count
    rows = [
        {
            "agent_id": agent_id,
            "name": r["name"],
            "conversations": r["conversations"],
            "handbacks": r["handbacks"],
            "closed": r["closed"],
            "transferred": r["transferred"],
            "open": r["open"],
            "replies": r["replies"],
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
        "transfers": sum(r["transferred"] for r in rows),
        "replies": sum(r["replies"] for r in rows),
        "first_response_seconds": summary(first_all),
        "handling_seconds": summary(handling_all),
    }
