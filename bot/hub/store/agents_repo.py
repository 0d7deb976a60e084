"""Agent accounts, their login sessions and presence; websocket tickets, the login throttle and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Iterable, List, Sequence, Tuple, cast

from sqlalchemy import CursorResult, case, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.states import AgentRole, AgentStatus
from bot.hub.store.base_repo import RepoBase, updating
from bot.hub.store.models import (
    Agent,
    AgentSession,
    AuditEntry,
    LoginThrottle,
    WsTicket,
)


class AgentsRepo(RepoBase):
    async def add_agent(self, agent: Agent) -> Agent:
        async with self.sessions.begin() as db:
            db.add(agent)
        return agent

    async def agent(self, agent_id: int) -> Agent | None:
        async with self.sessions() as db:
            return await db.get(Agent, agent_id)

    async def agent_by_email(self, email: str, active_only: bool = True) -> Agent | None:
        query = select(Agent).where(Agent.email == email)
        if active_only:
            query = query.where(Agent.active.is_(True))
        async with self.sessions() as db:
            return (await db.scalars(query)).first()

    async def active_agents(self) -> Sequence[Agent]:
        async with self.sessions() as db:
            return (
                await db.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name))
            ).all()

    async def all_agents(self) -> Sequence[Agent]:
        async with self.sessions() as db:
            return (await db.scalars(select(Agent).order_by(Agent.name))).all()

    async def update_agent(self, agent_id: int, **values: Any) -> Agent | None:
        """Changes columns of one agent; the agent as stored afterwards (None: no such agent)."""
        async with self.sessions.begin() as db:
            await db.execute(updating(Agent).where(Agent.id == agent_id).values(**values))
            return await db.get(Agent, agent_id, populate_existing=True)

    async def active_admin_count(self) -> int:
        async with self.sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(Agent)
                    .where(Agent.role == AgentRole.ADMIN, Agent.active.is_(True))
                )
                or 0
            )

    async def online_count(self) -> int:
        async with self.sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(Agent)
                    .where(Agent.status == AgentStatus.ONLINE, Agent.active.is_(True))
                )
                or 0
            )

    async def set_presence(self, agent_id: int, status: AgentStatus, seen_at: datetime) -> Agent:
        async with self.sessions.begin() as db:
            agent = await db.get(Agent, agent_id)
            assert agent is not None  # callers hold an authenticated agent
            agent.status, agent.last_seen_at = status, seen_at
        return agent

    async def auto_away(self, silent_since: datetime) -> int:
        """Online agents silent since `silent_since` become away; how many."""
        async with self.sessions.begin() as db:
            result = await db.execute(
                updating(Agent)
                .where(
                    Agent.status == AgentStatus.ONLINE,
                    Agent.last_seen_at.is_not(None),
                    Agent.last_seen_at < silent_since,
                )
                .values(status=AgentStatus.AWAY)
            )
        return int(cast(CursorResult[Any], result).rowcount or 0)

    # -- login sessions --------------------------------------------------------
    async def open_session(
        self, session: AgentSession, seen_at: datetime, online: bool = True
    ) -> Agent:
        """Stores the session and marks its agent online; the agent's expired sessions go."""
        async with self.sessions.begin() as db:
            await db.execute(
                delete(AgentSession).where(
                    AgentSession.agent_id == session.agent_id, AgentSession.expires_at < seen_at
                )
            )
            db.add(session)
            agent = await db.get(Agent, session.agent_id)
            assert agent is not None
            if online:
                agent.status, agent.last_seen_at = AgentStatus.ONLINE, seen_at
        return agent

    async def use_totp_step(self, agent_id: int, step: int) -> bool:
        """Records a TOTP time step as used, only if it is newer than the last one (one conditional
        UPDATE: a code replayed, even concurrently on another hub, is refused)."""
        async with self.sessions.begin() as db:
            result = await db.execute(
                updating(Agent)
                .where(
                    Agent.id == agent_id,
                    or_(Agent.totp_last_step.is_(None), Agent.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
        return cast(CursorResult[Any], result).rowcount == 1

    async def close_session(self, token_hash: str) -> None:
        async with self.sessions.begin() as db:
            await db.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash))

    async def close_sessions(self, agent_id: int, keep: str | None = None) -> int:
        """Ends every session of an agent (but `keep`, a token hash); how many ended."""
        query = delete(AgentSession).where(AgentSession.agent_id == agent_id)
        if keep is not None:
            query = query.where(AgentSession.token_hash != keep)
        async with self.sessions.begin() as db:
            result = await db.execute(query)
        return int(cast(CursorResult[Any], result).rowcount or 0)

    async def widen_session(self, token_hash: str) -> None:
        """The session two-factor was just confirmed in: a full one (no longer set-up only) that
        counts as having passed a code."""
        async with self.sessions.begin() as db:
            await db.execute(
                updating(AgentSession)
                .where(AgentSession.token_hash == token_hash)
                .values(setup_only=False, two_factor=True)
            )

    async def session_agent(
        self, token_hash: str, now: datetime, touch_after: float | None = 15.0
    ) -> Tuple[AgentSession | None, Agent | None]:
        """The session behind a token and its agent; refreshes last_seen_at at most every `touch_after` s
        (None: never - an open websocket's re-check is no sign of activity)."""
        async with self.sessions.begin() as db:
            session = await db.get(AgentSession, token_hash)
            if session is None:
                return None, None
            agent = await db.get(Agent, session.agent_id)
            if (
                touch_after is not None
                and agent is not None
                and agent.active
                and session.expires_at >= now
                and (
                    agent.last_seen_at is None
                    or (now - agent.last_seen_at).total_seconds() > touch_after
                )
            ):
                agent.last_seen_at = now
        return session, agent

    async def prune_sessions(
        self, now: datetime, throttle_idle: timedelta = timedelta(hours=24)
    ) -> int:
        """Housekeeping: deletes expired agent sessions and websocket tickets, and login-throttle
        counters without a failure for `throttle_idle` that block nothing. Returns the sessions deleted."""
        async with self.sessions.begin() as db:
            result = await db.execute(delete(AgentSession).where(AgentSession.expires_at < now))
            await db.execute(delete(WsTicket).where(WsTicket.expires_at < now))
            await db.execute(
                delete(LoginThrottle).where(
                    LoginThrottle.last_failure_at < now - throttle_idle,
                    or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
                )
            )
        return int(cast(CursorResult[Any], result).rowcount or 0)

    # -- websocket tickets -----------------------------------------------------
    async def add_ws_ticket(self, ticket: WsTicket) -> None:
        async with self.sessions.begin() as db:
            db.add(ticket)

    async def take_ws_ticket(self, ticket_hash: str, now: datetime) -> WsTicket | None:
        """Redeems a ticket: returns it once (a conditional DELETE: across hubs exactly one caller wins),
        None when unknown, used or expired."""
        async with self.sessions.begin() as db:
            ticket = await db.get(WsTicket, ticket_hash)
            if ticket is None:
                return None
            result = await db.execute(delete(WsTicket).where(WsTicket.ticket_hash == ticket_hash))
            if cast(CursorResult[Any], result).rowcount != 1 or ticket.expires_at < now:
                return None
        return ticket

    # -- login throttle --------------------------------------------------------
    async def login_blocked_until(self, keys: Iterable[str]) -> datetime | None:
        """The latest moment until which any of the keys is blocked (None: none is)."""
        async with self.sessions() as db:
            return await db.scalar(
                select(func.max(LoginThrottle.blocked_until)).where(
                    LoginThrottle.key.in_(list(keys))
                )
            )

    async def record_login_failure(
        self,
        keys: Sequence[Tuple[str, Callable[[int], float]]],
        now: datetime,
        window: timedelta,
        audit: Dict[str, Any] | None = None,
    ) -> List[int]:
        """Counts a failed login for each key (a counter idle for `window` starts over) and blocks a key
        for `delay(failures)` seconds when that is positive; optionally appends an audit entry (the
        columns of AuditEntry) - all in one transaction. Returns the failures counted per key.
        Each UPDATE comes before its read, so the transaction holds the row (or SQLite's write lock)."""
        for _ in range(3):
            try:
                async with self.sessions.begin() as db:
                    counts = [
                        await _count_failure(db, key, delay, now, window) for key, delay in keys
                    ]
                    if audit is not None:
                        db.add(AuditEntry(**audit))
                return counts
            except (
                IntegrityError
            ):  # another hub inserted the same key first: count again on its row
                continue
        return [1 for _ in keys]

    async def clear_login_failures(self, key: str) -> None:
        async with self.sessions.begin() as db:
            await db.execute(delete(LoginThrottle).where(LoginThrottle.key == key))

    # -- audit log -------------------------------------------------------------
    async def audit(
        self,
        agent_id: int | None,
        action: str,
        target: str | None = None,
        detail: Dict[str, Any] | None = None,
        ip: str | None = None,
    ) -> None:
        """Appends one entry to the audit log (who did what to which target, from where)."""
        async with self.sessions.begin() as db:
            db.add(
                AuditEntry(
                    agent_id=agent_id,
                    action=action[:40],
                    target=target[:200] if target else None,
                    detail=detail or {},
                    ip=ip[:64] if ip else None,
                )
            )

    async def audit_entries(
        self,
        limit: int = 50,
        before_id: int | None = None,
        agent_id: int | None = None,
        action: str | None = None,
    ) -> Sequence[Tuple[AuditEntry, str | None]]:
        """Newest first, each with the acting agent's name; page on with `before_id` (keyset pagination)."""
        query = select(AuditEntry, Agent.name).outerjoin(Agent, AuditEntry.agent_id == Agent.id)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        if agent_id is not None:
            query = query.where(AuditEntry.agent_id == agent_id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        async with self.sessions() as db:
            rows = await db.execute(query.order_by(AuditEntry.id.desc()).limit(limit))
            return [(entry, name) for entry, name in rows.all()]


async def _count_failure(
    db: AsyncSession, key: str, delay: Callable[[int], float], now: datetime, window: timedelta
) -> int:
    stale = LoginThrottle.last_failure_at < now - window
    counted = await db.execute(
        updating(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(failures=case((stale, 1), else_=LoginThrottle.failures + 1), last_failure_at=now)
    )
    if cast(CursorResult[Any], counted).rowcount == 0:
        db.add(LoginThrottle(key=key, failures=1, last_failure_at=now))
        await db.flush()
        failures = 1
    else:
        failures = int(
            await db.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) or 1
        )
    seconds = delay(failures)
    await db.execute(
        updating(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(blocked_until=now + timedelta(seconds=seconds) if seconds > 0 else None)
    )
    return failures
