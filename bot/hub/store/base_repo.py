"""What every repository mixin needs: the session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Executable, Update, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def updating(model: Any) -> Update:
    """A Core UPDATE of the model's table. The repository never keeps loaded rows around, so the ORM's
    bulk-update bookkeeping (session synchronisation, compile state) is pure cost: a py-spy profile of
    the hub showed ~9 % of its time there. Values are given by column name."""
    return update(model.__table__)


async def core(db: AsyncSession, statement: Executable, params: Any = None) -> CursorResult[Any]:
    """Runs a Core statement on the session's connection, past the ORM's execute machinery
    (which still wraps a Core UPDATE in its bulk-update handling): the hot path of a turn."""
    return await (await db.connection()).execute(statement, params)


class RepoBase:
    sessions: async_sessionmaker[AsyncSession]
