"""SLA attainment of the handoffs queued in the period, per team and per agent (issue 27.13), and
the same handoffs one row each for the CSV export.

First response counts for the agent who wrote the first reply, resolution for the agent who had the
conversation when it was closed or handed back. Met/missed are stopped clocks; open ones are counted
apart (still running, or already breached). Only the team's business time counts (bot/hub/sla).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, AsyncIterator, DefaultDict, Dict, List, Tuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, tagged
from bot.hub.sla import store
from bot.hub.sla.service import KINDS, attainment, figures, merged
from bot.hub.sla.store import Clocked
from bot.hub.sla.targets import Target, configured_targets
from bot.hub.store.models import Agent, Conversation, Handoff
from bot.hub.teams import Teams, load_teams
from bot.shared.company import Company

Json = Dict[str, Any]
CSV_COLUMNS = [
    "handoff_id",
    "conversation_id",
    "team",
    "queued_at",
    "first_reply_at",
    "first_reply_agent",
    "first_response_target_seconds",
    "first_response_business_seconds",
    "first_response_state",
    "finished_at",
    "resolution_agent",
    "resolution_target_seconds",
    "resolution_business_seconds",
    "resolution_state",
]


async def _clocked(
    db: AsyncSession,
    period: Period,
    company: Company,
    teams: Teams,
    channel: str | None = None,
    tag: int | None = None,
) -> Tuple[List[Tuple[Clocked, Json]], Dict[str, Target], Dict[int, str]]:
    """The handoffs queued in the period (of the channel, of conversations carrying the tag) with
    their clocks; the filters go into the query, so only those handoffs are loaded and counted."""
    targets = merged(configured_targets(company, teams), await store.overrides(db))
    start, end = period.bounds
    where = [Conversation.channel == channel] if channel else []
    tag_clause = tagged(Handoff.conversation_id, tag)
    if tag_clause is not None:
        where.append(tag_clause)
    items = await store.queued_between(db, start, end, *where)
    now = datetime.now(timezone.utc)
    shown = [(i, figures(teams, i, targets[teams.get(i.team).key], now)) for i in items]
    names = dict((await db.execute(select(Agent.id, Agent.name))).tuples().all())
    return shown, targets, names


async def sla(db: AsyncSession, period: Period, scope: Scope) -> Json:
    shown, targets, names = await _clocked(
        db, period, scope.company, scope.teams, scope.channel, scope.tag
    )
    if scope.team:
        shown = [(i, f) for i, f in shown if scope.teams.get(i.team).key == scope.team]
    by_team: DefaultDict[str, DefaultDict[str, List[Json]]] = defaultdict(lambda: defaultdict(list))
    by_agent: DefaultDict[int, DefaultDict[str, List[Json]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for item, shown_ in shown:
        team = scope.teams.get(item.team).key
        for kind in KINDS:
            if shown_[kind] is None:
                continue
            by_team[team][kind].append(shown_[kind])
            agent = item.first_reply_by if kind == "first_response" else item.claimed_by
            if agent is not None and shown_[kind]["state"] in ("met", "missed"):
                by_agent[agent][kind].append(shown_[kind])
    teams = [
        {
            "team": key,
            "team_name": scope.teams.get(key).name,
            "targets": targets[key].json(),
            **{kind: attainment(by_team[key][kind]) for kind in KINDS},
        }
        for key in scope.teams.order
        if scope.team in (None, key)
    ]
    agents: List[Json] = [
        {
            "agent_id": agent_id,
            "name": names.get(agent_id, "?"),
            **{kind: attainment(kinds[kind]) for kind in KINDS},
        }
        for agent_id, kinds in sorted(by_agent.items(), key=lambda a: names.get(a[0], "?"))
    ]
    return {"teams": teams, "agents": agents}


async def sla_rows(
    sessions: async_sessionmaker[AsyncSession],
    period: Period,
    channel: str | None,
    company: Company,
    tag: int | None = None,
) -> AsyncIterator[Json]:
    """One CSV row per handoff queued in the period (times local, durations in business seconds)."""
    teams = load_teams(company)
    async with sessions() as db:
        shown, _targets, names = await _clocked(db, period, company, teams, channel, tag)
    for item, shown_ in sorted(shown, key=lambda pair: pair[0].handoff_id):
        first, resolution = shown_["first_response"] or {}, shown_["resolution"] or {}
        yield {
            "handoff_id": item.handoff_id,
            "conversation_id": item.conversation_id,
            "team": teams.get(item.team).key,
            "queued_at": _local(period, item.queued_at),
            "first_reply_at": _local(period, item.first_reply_at),
            "first_reply_agent": names.get(item.first_reply_by or 0, ""),
            "first_response_target_seconds": first.get("target_seconds", ""),
            "first_response_business_seconds": first.get("elapsed_seconds", ""),
            "first_response_state": first.get("state", ""),
            "finished_at": _local(period, item.finished_at),
            "resolution_agent": names.get(item.claimed_by or 0, "") if item.finished_at else "",
            "resolution_target_seconds": resolution.get("target_seconds", ""),
            "resolution_business_seconds": resolution.get("elapsed_seconds", ""),
            "resolution_state": resolution.get("state", ""),
        }


def _local(period: Period, moment: datetime | None) -> str:
    return period.local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
