"""Mentions: stored with the note (deleted with it), listed per named agent, marked read."""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.hub.errors import NotFound
from bot.hub.states import AgentStatus
from bot.hub.store.models import Agent, Mention, Note, utcnow

Row = Tuple[Mention, Note, str | None]  # the mention, its note, who wrote it


class MentionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def people(self) -> List[Tuple[int, str]]:
        async with self.sessions() as db:
            rows = await db.execute(select(Agent.id, Agent.name).where(Agent.active.is_(True)))
            return [(i, n) for i, n in rows.tuples().all()]

    async def recipients(self, ids: Sequence[int]) -> List[Agent]:
        async with self.sessions() as db:
            return list((await db.scalars(select(Agent).where(Agent.id.in_(list(ids))))).all())

    async def add(self, note: Note, agent_ids: Sequence[int], by: int) -> List[Mention]:
        added = []
        for agent_id in agent_ids:
            row = Mention(
                note_id=note.id,
                conversation_id=note.conversation_id,
                agent_id=agent_id,
                by_agent_id=by,
            )
            try:
                async with self.sessions.begin() as db:
                    db.add(row)
            except IntegrityError:  # named twice in one note
                continue
            added.append(row)
        return added

    async def of_agent(self, agent_id: int, unread_only: bool, limit: int = 100) -> List[Row]:
        author = aliased(Agent)
        query: Any = (
            select(Mention, Note, author.name)
            .join(Note, Note.id == Mention.note_id)
            .outerjoin(author, author.id == Mention.by_agent_id)
            .where(Mention.agent_id == agent_id)
            .order_by(Mention.id.desc())
            .limit(limit)
        )
        if unread_only:
            query = query.where(Mention.read_at.is_(None))
        async with self.sessions() as db:
            return [(m, n, name) for m, n, name in (await db.execute(query)).tuples().all()]

    async def mark_read(self, agent_id: int, mention_id: int) -> None:
        async with self.sessions.begin() as db:
            found = await db.get(Mention, mention_id)
            if found is None or found.agent_id != agent_id:
                raise NotFound("mention_not_found", "Diese Erwähnung gibt es nicht.")
            if found.read_at is None:
                await db.execute(
                    update(Mention).where(Mention.id == mention_id).values(read_at=utcnow())
                )

    @staticmethod
    def online(agent: Agent) -> bool:
        """At the console, so told live only. "away" is not: set by hand, or by the hub when a console
        stopped its keep-alive (a closed tab); away and offline agents get the mail."""
        return agent.status == AgentStatus.ONLINE
