"""All of the hub's queries, async. Services call these; nothing else touches SQL.

Split by aggregate into mixins (conversations and messages, handoff queue,
agents) that share one `async_sessionmaker`; `Repository` is their union.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.store.agents_repo import AgentsRepo
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.handoffs_repo import HandoffsRepo
from bot.hub.store.mail_repo import MailRepo
from bot.hub.store.teams_repo import TeamsRepo


class Repository(ConversationsRepo, HandoffsRepo, AgentsRepo, TeamsRepo, MailRepo):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def ping(self) -> None:
        async with self.sessions() as db:
            await db.execute(text("SELECT 1"))
