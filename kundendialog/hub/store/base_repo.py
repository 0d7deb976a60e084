"""What every repository mixin needs: the session factory."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class RepoBase:
    sessions: async_sessionmaker[AsyncSession]
