"""The hub's queries, async, split by aggregate into mixins (conversations and messages, handoffs
and tickets, agents, teams, mail) that share one `async_sessionmaker`. `Repository` is their union,
built once at start-up; each service is handed only its part: one mixin, or a Protocol of
parts.py when it spans aggregates.

Outside these mixins, SQL runs in three places, each kept next to its feature:
- reports/ and learning/ build their queries on the same session factory (`repo.sessions`): many
  aggregate queries that belong with the figure or list they compute. Reports only read; learning
  also writes its own table, nlu_reviews (the agents' reviews), and no other.
- reports/backfill.py, an operator command run once after migration 0006, fills the NLU readings of
  older messages in bulk from Rasa's tracker (what `annotate` does for one message).
- privacy/tracker.py and privacy/shop.py read and erase in other databases (Rasa's tracker store,
  the shop's), never the hub's.
Every other hub query, and every other write, goes through the repository.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.store.agents_repo import AgentsRepo
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.hub.store.handoffs_repo import HandoffsRepo
from bot.hub.store.history_repo import HistoryRepo
from bot.hub.store.mail_repo import MailRepo
from bot.hub.store.tags_repo import TagsRepo
from bot.hub.store.teams_repo import TeamsRepo
from bot.hub.store.tickets_repo import TicketsRepo


class Repository(
    ConversationsRepo,
    HandoffsRepo,
    AgentsRepo,
    TeamsRepo,
    MailRepo,
    TicketsRepo,
    TagsRepo,
    HistoryRepo,
):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def ping(self) -> None:
        async with self.sessions() as db:
            await db.execute(text("SELECT 1"))
