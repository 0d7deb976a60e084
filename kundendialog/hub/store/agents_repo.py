"""Agent accounts, their login sessions and presence."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence, Tuple

from sqlalchemy import delete, func, select

from kundendialog.core.states import AgentStatus
from kundendialog.hub.store.base_repo import RepoBase, updating
from kundendialog.hub.store.models import Agent, AgentSession


class AgentsRepo(RepoBase):
    async def add_agent(self, agent: Agent) -> Agent:
        async with self.sessions.begin() as db:
            db.add(agent)
        return agent

    async def agent_by_email(self, email: str, active_only: bool = True) -> Agent | None:
        query = select(Agent).where(Agent.email == email)
        if active_only:
            query = query.where(Agent.active.is_(True))
        async with self.sessions() as db:
            return (await db.scalars(query)).first()

    async def active_agents(self) -> Sequence[Agent]:
        async with self.sessions() as db:
            return (await db.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name))).all()

    async def online_count(self) -> int:
        async with self.sessions() as db:
            return int(await db.scalar(select(func.count()).select_from(Agent).where(
                Agent.status == AgentStatus.ONLINE, Agent.active.is_(True))) or 0)

    async def set_presence(self, agent_id: int, status: AgentStatus, seen_at: datetime) -> Agent:
        async with self.sessions.begin() as db:
            agent = await db.get(Agent, agent_id)
            assert agent is not None  # callers hold an authenticated agent
            agent.status, agent.last_seen_at = status, seen_at
        return agent

    async def auto_away(self, silent_since: datetime) -> None:
        async with self.sessions.begin() as db:
            await db.execute(updating(Agent).where(Agent.status == AgentStatus.ONLINE, Agent.last_seen_at.is_not(None),
                                                 Agent.last_seen_at < silent_since).values(status=AgentStatus.AWAY))

    # -- login sessions --------------------------------------------------------
    async def open_session(self, session: AgentSession, seen_at: datetime) -> Agent:
        """Stores the session and marks its agent online."""
        async with self.sessions.begin() as db:
            db.add(session)
            agent = await db.get(Agent, session.agent_id)
            assert agent is not None
            agent.status, agent.last_seen_at = AgentStatus.ONLINE, seen_at
        return agent

    async def close_session(self, token_hash: str) -> None:
        async with self.sessions.begin() as db:
            await db.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash))

    async def session_agent(self, token_hash: str, now: datetime,
                            touch_after: float = 15.0) -> Tuple[AgentSession | None, Agent | None]:
        """The session behind a token and its agent; refreshes last_seen_at at most every `touch_after` s."""
        async with self.sessions.begin() as db:
            session = await db.get(AgentSession, token_hash)
            if session is None:
                return None, None
            agent = await db.get(Agent, session.agent_id)
            if agent is not None and agent.active and session.expires_at >= now and (
                    agent.last_seen_at is None or (now - agent.last_seen_at).total_seconds() > touch_after):
                agent.last_seen_at = now
        return session, agent
