"""What every repository mixin needs: the session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def updating(model: Any) -> Update:
    """An UPDATE that skips the ORM's in-Python session synchronisation: the repository never keeps
    loaded rows around, so there is nothing to synchronise (a profile showed ~9 % of the hub's time there)."""
    return update(model).execution_options(synchronize_session=False)


class RepoBase:
    sessions: async_sessionmaker[AsyncSession]
