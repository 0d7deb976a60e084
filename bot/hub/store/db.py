"""Async engine and sessions: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) by URL.

Settings keep the familiar sync-style URLs (sqlite:///..., postgresql://...); the
async driver is chosen here. The schema is migrated with Alembic on the same
engine, through `run_sync`, so start-up never blocks the event loop either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.hub.search.fold import match_count
from bot.hub.search.index_sql import ensure_sqlite_triggers

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


def async_url(url: str) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if "+" in parsed.drivername or backend not in DRIVERS:
        return url
    return parsed.set(drivername=DRIVERS[backend]).render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
    dbapi_conn.create_function("kd_match", 2, match_count, deterministic=True)  # bot/hub/search


def make_engine(url: str) -> AsyncEngine:
    url = async_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pooled connection keeps its PRAGMAs: they run once per connection, not per session.
        # No ROLLBACK when a connection goes back to the pool: pysqlite opens a transaction only for
        # writes, and every write here runs in `sessions.begin()`, which commits or rolls back itself;
        # the reset was a thread hop (aiosqlite) on each of a turn's read sessions for nothing.
        engine = create_async_engine(
            url,
            connect_args={"timeout": 30},
            pool_size=5,
            max_overflow=5,
            pool_reset_on_return=None,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)
    # a table rebuilt by a later migration lost its search triggers: put them back
    ensure_sqlite_triggers(connection)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`, the newest by default (idempotent).

    On SQLite, batch migrations copy a table and drop the original, which other
    tables reference: foreign keys are switched off for the migration (it cannot
    be done inside a transaction) and checked once it is done.
    """
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
        try:
            await conn.run_sync(_upgrade, revision)
            if (
                sqlite
                and (await conn.exec_driver_sql("PRAGMA foreign_key_check")).first() is not None
            ):
                raise RuntimeError(
                    "migration left rows with dangling foreign keys; nothing was changed"
                )
            await conn.commit()
        finally:
            if sqlite:
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()
