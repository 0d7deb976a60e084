"""The macros' queries, on the hub's session factory (like reports/ and learning/, next to their feature)."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.errors import NotFound
from bot.hub.store.models import Macro, utcnow


def not_found() -> NotFound:
    return NotFound("macro_not_found", "Dieses Makro gibt es nicht (oder es ist nicht für Sie).")


class MacroStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def visible(self, agent_id: int, teams: Sequence[str] | None) -> List[Macro]:
        """The agent's own macros and the shared ones of `teams` (None: every team's) and of all teams."""
        shared: ColumnElement[bool] = Macro.owner_agent_id.is_(None)
        if teams is not None:
            shared = and_(shared, or_(Macro.team.is_(None), Macro.team.in_(list(teams))))
        async with self.sessions() as db:
            rows = await db.scalars(
                select(Macro)
                .where(Macro.deleted_at.is_(None), or_(Macro.owner_agent_id == agent_id, shared))
                .order_by(Macro.title, Macro.id)
            )
            return list(rows.all())

    async def get(self, macro_id: int) -> Macro:
        async with self.sessions() as db:
            macro = await db.get(Macro, macro_id)
        if macro is None or macro.deleted_at is not None:
            raise not_found()
        return macro

    async def add(self, macro: Macro) -> Macro:
        async with self.sessions.begin() as db:
            db.add(macro)
        return macro

    async def update(self, macro_id: int, fields: Dict[str, Any]) -> Macro:
        async with self.sessions.begin() as db:
            macro = await db.get(Macro, macro_id)
            if macro is None or macro.deleted_at is not None:
                raise not_found()
            for key, value in fields.items():
                setattr(macro, key, value)
            macro.updated_at = utcnow()
        return macro

    async def delete(self, macro_id: int) -> None:
        """Kept with deleted_at: an imported canned reply stays deleted after a restart."""
        await self.update(macro_id, {"deleted_at": utcnow()})

    async def import_missing(self, macros: Sequence[Macro]) -> int:
        """Adds each macro whose source_key is not stored yet (deleted ones count as stored); several
        hubs starting at once insert each one once (the unique key)."""
        keys = [m.source_key for m in macros if m.source_key]
        async with self.sessions() as db:
            known = set(
                (await db.scalars(select(Macro.source_key).where(Macro.source_key.in_(keys)))).all()
            )
        added = 0
        for macro in macros:
            if macro.source_key in known:
                continue
            try:
                async with self.sessions.begin() as db:
                    db.add(macro)
                added += 1
            except IntegrityError:  # another hub imported it a moment ago
                continue
        return added
