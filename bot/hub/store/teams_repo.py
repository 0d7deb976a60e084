"""Team memberships, per-team queues and the atomic auto-assignment.

Auto-assignment must hold across several hubs on PostgreSQL: the transaction first locks the team's
online agents (SELECT ... FOR UPDATE in id order, so two hubs never deadlock), then counts their
active conversations, then takes the longest-waiting handoff with a conditional UPDATE. A second hub
assigning for an overlapping set of agents waits on the lock and then sees the first one's result,
so nobody goes over capacity and no conversation is assigned twice. SQLite serialises writers
anyway; there the first statement is a write, which takes the database's write lock up front.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Sequence, Tuple, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.errors import Conflict, NotFound
from bot.hub.states import AgentStatus, ConversationState, HandoffState
from bot.hub.store.base_repo import RepoBase, updating
from bot.hub.store.models import Agent, AgentTeam, Conversation, Handoff, HandoffTransfer, utcnow

PRIORITY_FIRST = Handoff.priority != "urgent"  # False (urgent) sorts first
NEVER = datetime(1970, 1, 1)  # agents never assigned come first among equals


def handoff_in_team(team: str, default: bool, known: Sequence[str]) -> ColumnElement[bool]:
    """handoff.team means `team`; the default team also takes NULL and keys no longer configured."""
    if not default:
        return Handoff.team == team
    return or_(Handoff.team.is_(None), Handoff.team == team, Handoff.team.not_in(list(known)))


async def _stint_start(db: AsyncSession, handoff: Handoff) -> datetime:
    """When the handoff last began waiting: its queue time, or its latest transfer."""
    last = await db.scalar(
        select(func.max(HandoffTransfer.transferred_at)).where(
            HandoffTransfer.handoff_id == handoff.id
        )
    )
    return last or handoff.queued_at


def agent_in_team(team: str, default: bool) -> ColumnElement[bool]:
    member = exists().where(AgentTeam.agent_id == Agent.id, AgentTeam.team == team)
    if not default:
        return member
    return or_(member, ~exists().where(AgentTeam.agent_id == Agent.id))


class TeamsRepo(RepoBase):
    async def memberships(self) -> Dict[int, List[str]]:
        async with self.sessions() as db:
            rows = (
                await db.execute(
                    select(AgentTeam.agent_id, AgentTeam.team).order_by(AgentTeam.team)
                )
            ).all()
        out: Dict[int, List[str]] = {}
        for agent_id, team in rows:
            out.setdefault(agent_id, []).append(team)
        return out

    async def agent_team_keys(self, agent_id: int) -> List[str]:
        async with self.sessions() as db:
            return list(
                (
                    await db.scalars(
                        select(AgentTeam.team)
                        .where(AgentTeam.agent_id == agent_id)
                        .order_by(AgentTeam.team)
                    )
                ).all()
            )

    async def set_agent_teams(self, agent_id: int, teams: Sequence[str]) -> None:
        async with self.sessions.begin() as db:
            if await db.get(Agent, agent_id) is None:
                raise NotFound("agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
            await db.execute(delete(AgentTeam).where(AgentTeam.agent_id == agent_id))
            db.add_all([AgentTeam(agent_id=agent_id, team=t) for t in teams])

    async def online_in_team(self, team: str, default: bool) -> int:
        async with self.sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(Agent)
                    .where(
                        Agent.status == AgentStatus.ONLINE,
                        Agent.active.is_(True),
                        agent_in_team(team, default),
                    )
                )
                or 0
            )

    async def requeue(self, conv_id: str, team: str, by_agent: int | None) -> None:
        """Transfer to a team: the open handoff goes back to waiting, in that team's queue, keeping its
        original queue time (the customer has waited already)."""
        async with self.sessions.begin() as db:
            conv = await db.get(Conversation, conv_id)
            if conv is None:
                raise NotFound("conversation_not_found", "Dieses Gespräch gibt es nicht.")
            handoff = (
                await db.scalars(
                    select(Handoff)
                    .where(
                        Handoff.conversation_id == conv_id,
                        Handoff.state.in_((HandoffState.CLAIMED, HandoffState.QUEUED)),
                    )
                    .order_by(Handoff.id.desc())
                    .limit(1)
                    .with_for_update()
                )
            ).first()
            if handoff is None:
                raise Conflict("not_assigned", "Dieses Gespräch ist bei keinem Mitarbeiter.")
            # the claim ends here: kept, so the agents' report still counts it for who made it
            db.add(
                HandoffTransfer(
                    handoff_id=handoff.id,
                    agent_id=handoff.claimed_by,
                    team=handoff.team,
                    to_team=team,
                    queued_at=await _stint_start(db, handoff),
                    claimed_at=handoff.claimed_at,
                    transferred_at=utcnow(),
                )
            )
            handoff.state, handoff.team = HandoffState.QUEUED, team
            handoff.claimed_by = handoff.claimed_at = None
            conv.state, conv.assigned_agent_id = ConversationState.QUEUED, None

    async def auto_assign(
        self, team: str, default: bool, known: Sequence[str]
    ) -> Tuple[Conversation, Agent] | None:
        """Longest-waiting conversation of `team` to its online member with free capacity and the fewest
        active conversations (ties: the one assigned longest ago, then the lowest id). None: nothing to do."""
        now = utcnow()
        async with self.sessions.begin() as db:
            members = and_(
                Agent.status == AgentStatus.ONLINE,
                Agent.active.is_(True),
                agent_in_team(team, default),
            )
            await self._lock_agents(db, members)
            active = (
                select(func.count())
                .select_from(Conversation)
                .where(
                    Conversation.assigned_agent_id == Agent.id,
                    Conversation.state == ConversationState.AGENT,
                )
                .scalar_subquery()
            )
            last = (
                select(func.max(Handoff.claimed_at))
                .where(Handoff.claimed_by == Agent.id)
                .scalar_subquery()
            )
            agent = (
                await db.scalars(
                    select(Agent)
                    .where(members, active < Agent.capacity)
                    .order_by(active, func.coalesce(last, NEVER), Agent.id)
                    .limit(1)
                )
            ).first()
            if agent is None:
                return None
            handoff_id = (
                await db.scalars(
                    select(Handoff.id)
                    .where(
                        Handoff.state == HandoffState.QUEUED, handoff_in_team(team, default, known)
                    )
                    .order_by(PRIORITY_FIRST, Handoff.queued_at, Handoff.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
            ).first()
            if handoff_id is None:
                return None
            result = await db.execute(
                updating(Handoff)
                .where(Handoff.id == handoff_id, Handoff.state == HandoffState.QUEUED)
                .values(state=HandoffState.CLAIMED, claimed_by=agent.id, claimed_at=now)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                return None  # claimed by hand meanwhile; the caller simply tries again
            handoff = await db.get(Handoff, handoff_id, populate_existing=True)
            assert handoff is not None
            conv = await db.get(Conversation, handoff.conversation_id)
            assert conv is not None
            conv.state, conv.assigned_agent_id = ConversationState.AGENT, agent.id
        return conv, agent

    @staticmethod
    async def _lock_agents(db: AsyncSession, members: ColumnElement[bool]) -> None:
        if db.get_bind().dialect.name == "sqlite":
            # the write lock first: another writer waits here (busy_timeout), not in the middle
            await db.execute(updating(Agent).where(Agent.id == -1).values(capacity=Agent.capacity))
            return
        await db.execute(select(Agent.id).where(members).order_by(Agent.id).with_for_update())
