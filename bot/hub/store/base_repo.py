"""What every repository mixin needs: the session factory, and a transaction run as one unit."""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from sqlalchemy import CursorResult, Engine, Executable, Update, create_engine, event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

from bot.hub.store.db import _sqlite_pragmas as sqlite_pragmas

T = TypeVar("T")
DB_THREADS = 4  # SQLite work threads of one hub (the sync pool has 10 connections)


def updating(model: Any) -> Update:
    """A Core UPDATE of the model's table. The repository never keeps loaded rows around, so the ORM's
    bulk-update bookkeeping (session synchronisation, compile state) is pure cost: a py-spy profile of
    the hub showed ~9 % of its time there. Values are given by column name."""
    return update(model.__table__)


async def core(db: AsyncSession, statement: Executable, params: Any = None) -> CursorResult[Any]:
    """Runs a Core statement on the session's connection, past the ORM's execute machinery
    (which still wraps a Core UPDATE in its bulk-update handling): the hot path of a turn."""
    return await (await db.connection()).execute(statement, params)


def run_core(db: Session, statement: Executable, params: Any = None) -> CursorResult[Any]:
    """`core` inside a transaction run by `RepoBase.in_one_hop`."""
    return db.connection().execute(statement, params)


class _SqliteWorkers:
    """A synchronous engine on the hub's SQLite file and the threads that use it."""

    def __init__(self, engine: AsyncEngine) -> None:
        url = engine.url.set(drivername="sqlite+pysqlite")
        self.engine: Engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=5,
            max_overflow=5,
            pool_reset_on_return=None,  # as the async engine: every write commits or rolls back itself
        )
        event.listen(self.engine, "connect", sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.threads = ThreadPoolExecutor(DB_THREADS, thread_name_prefix="hub-sqlite")

    def run(self, work: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self.sessions.begin() as db:
            return work(db, *args)


class RepoBase:
    sessions: async_sessionmaker[AsyncSession]
    _sqlite: _SqliteWorkers | None

    async def in_one_hop(self, work: Callable[..., T], *args: Any) -> T:
        """Runs `work(session, *args)`, a whole transaction written against a sync Session, as one unit:
        committed when it returns, rolled back when it raises. On SQLite it runs in one worker thread
        with pysqlite: aiosqlite hops to its thread and back for every cursor, execute, fetch and
        close, which a py-spy profile showed as ~45 % of the hub's own CPU per turn (a turn's
        transactions make ~40 hops). On PostgreSQL it runs on the async session (asyncpg, no threads)."""
        sqlite = self._sqlite_workers()
        if sqlite is None:
            async with self.sessions.begin() as db:
                return await db.run_sync(work, *args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(sqlite.threads, functools.partial(sqlite.run, work, args))

    def _sqlite_workers(self) -> _SqliteWorkers | None:
        try:
            return self._sqlite
        except AttributeError:
            engine = self.sessions.kw.get("bind")
            self._sqlite = (
                _SqliteWorkers(engine)
                if isinstance(engine, AsyncEngine) and engine.dialect.name == "sqlite"
                else None
            )
            return self._sqlite
