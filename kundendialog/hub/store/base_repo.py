"""What every repository mixin needs: the session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def updating(model: Any) -> Update:
    """A Core UPDATE of the model's table. The repository never keeps loaded rows around, so the ORM's
    bulk-update bookkeeping (session synchronisation, compile state) is pure cost: a py-spy profile of
    the hub showed ~9 % of its time there. Values are given by column name."""
    return update(model.__table__)


class RepoBase:
    sessions: async_sessionmaker[AsyncSession]
