"""The hub database for one command or a benchmark's set-up (migrated first, disposed after)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from bot.hub.settings import Settings
from bot.hub.store.db import make_engine, migrate, session_factory
from bot.hub.store.repository import Repository


@asynccontextmanager
async def hub_repository(settings: Settings) -> AsyncIterator[Repository]:
    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
        yield Repository(session_factory(engine))
    finally:
        await engine.dispose()
