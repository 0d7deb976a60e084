"""Rasa's tracker store, read and cleaned from the hub side.

Rasa's SQLTrackerStore keeps one row per event in the table `events`, keyed by
`sender_id` – the hub's conversation id. The hub opens the database that Rasa's
endpoints.yml names (var/endpoints.yml, written by bot.ops.launcher)
with SQLAlchemy; it never imports Rasa.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterable, List, Mapping, Set, Tuple

import yaml
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bot.hub.errors import Conflict
from bot.hub.rasa_tracker import (  # the launcher writes endpoints.yml with it
    is_sql_store,
    rasa_tracker_store,
)
from bot.hub.settings import ROOT, Settings
from bot.hub.store.db import DRIVERS

Json = Dict[str, Any]

# Rasa 3.6's SQLTrackerStore.SQLEvent, the columns the hub needs.
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
CHUNK = 500
_ENV_VAR = re.compile(r"\$\{([^}]+)\}")


class UnsupportedTrackerStore(Conflict):
    """The tracker store is not SQL: the hub cannot reach its data (and must not claim it erased it)."""


def _expand(value: Any) -> Any:
    """Rasa expands ${VAR} in endpoints.yml from the environment; so does the hub."""
    return (
        _ENV_VAR.sub(lambda m: os.environ.get(m.group(1), ""), value)
        if isinstance(value, str)
        else value
    )


def tracker_config(settings: Settings) -> Dict[str, Any]:
    """The `tracker_store` section Rasa runs with: var/endpoints.yml, else what the launcher would write."""
    path = settings.var_dir / "endpoints.yml"
    if path.exists():
        store = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
        return {key: _expand(value) for key, value in store.items()}
    return dict(rasa_tracker_store(settings))


def tracker_url(config: Mapping[str, Any]) -> str:
    """An async SQLAlchemy URL for a SQL tracker store section (Rasa's own rules: SQLTrackerStore.get_db_url)."""
    if not is_sql_store(config.get("type")):
        raise UnsupportedTrackerStore(
            "tracker_store_unsupported",
            f"Rasa-Tracker-Store vom Typ {config.get('type')!r}: nur SQL wird unterstützt.",
        )
    dialect = str(config.get("dialect") or "sqlite")
    db = str(config.get("db") or "rasa.db")
    if dialect.startswith("sqlite"):
        path = (
            Path(db) if Path(db).is_absolute() else ROOT / db
        )  # Rasa runs in the project directory
        return f"sqlite+aiosqlite:///{path}"
    host = str(config.get("url") or "")
    if "://" in host:
        url = make_url(host)
    else:
        port = config.get("port")
        url = URL.create(
            dialect,
            username=config.get("username") or None,
            password=config.get("password") or None,
            host=host or None,
            port=int(port) if port else None,
            database=db,
        )
    backend = url.get_backend_name()
    if backend in DRIVERS:
        url = url.set(drivername=DRIVERS[backend])
    return url.render_as_string(hide_password=False)


def verified_emails(rows: Iterable[Tuple[str, str | None]]) -> Set[str]:
    """E-mails that were verified against an order in one tracker: (type_name, data) rows, oldest first.

    The verification form keeps the `email` slot only when it matches the order and sets
    `verified_order` with it; a typed e-mail that did not match never counts."""
    email: str | None = None
    found: Set[str] = set()
    for type_name, data in rows:
        if type_name == "restart":
            email = None
            continue
        if type_name != "slot" or not data:
            continue
        event = json.loads(data)
        value = event.get("value")
        if event.get("name") == "email":
            email = value.strip().lower() if isinstance(value, str) else None
        elif event.get("name") == "verified_order" and value and email:
            found.add(email)
    return found


class TrackerStore:
    """Rasa's tracker database; its location is read from endpoints.yml at each use (the supervisor
    rewrites that file at start-up)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def url(self) -> str:
        return tracker_url(tracker_config(self.settings))

    @asynccontextmanager
    async def _connect(self) -> AsyncIterator[AsyncConnection | None]:
        """One transaction on the tracker database; None when it (or its table) does not exist yet."""
        address = self.url
        url = make_url(address)
        sqlite = url.get_backend_name() == "sqlite"
        if sqlite and not Path(url.database or "").exists():
            yield None  # Rasa never ran: nothing stored (and no empty file created)
            return
        engine = create_async_engine(
            address, poolclass=NullPool, connect_args={"timeout": 30} if sqlite else {}
        )
        try:
            async with engine.begin() as conn:
                exists = await conn.run_sync(lambda sync: inspect(sync).has_table(EVENTS.name))
                yield conn if exists else None
        finally:
            await engine.dispose()

    async def has(self, sender_id: str) -> bool:
        async with self._connect() as conn:
            return (
                conn is not None
                and (
                    await conn.execute(
                        select(EVENTS.c.id).where(EVENTS.c.sender_id == sender_id).limit(1)
                    )
                ).first()
                is not None
            )

    async def events(self, sender_id: str) -> List[Json]:
        """The sender's events, oldest first, with their data parsed."""
        async with self._connect() as conn:
            if conn is None:
                return []
            rows = (
                (
                    await conn.execute(
                        select(EVENTS).where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)
                    )
                )
                .mappings()
                .all()
            )
        return [
            {
                "type": r["type_name"],
                "timestamp": r["timestamp"],
                "intent": r["intent_name"],
                "action": r["action_name"],
                "data": json.loads(r["data"]) if r["data"] else None,
            }
            for r in rows
        ]

    async def erase(self, sender_ids: List[str]) -> int:
        """Deletes every event of these senders; returns the rows deleted."""
        if not sender_ids:
            return 0
        async with self._connect() as conn:
            if conn is None:
                return 0
            deleted = 0
            for start in range(0, len(sender_ids), CHUNK):
                result = await conn.execute(
                    delete(EVENTS).where(EVENTS.c.sender_id.in_(sender_ids[start : start + CHUNK]))
                )
                deleted += int(result.rowcount or 0)
            return deleted

    async def senders_with_verified_email(self, email: str) -> Set[str]:
        wanted = email.strip().lower()
        async with self._connect() as conn:
            if conn is None:
                return set()
            candidates = (
                (
                    await conn.execute(
                        select(EVENTS.c.sender_id)
                        .distinct()
                        .where(
                            EVENTS.c.type_name == "slot",
                            func.lower(EVENTS.c.data).contains(wanted, autoescape=True),
                        )
                    )
                )
                .scalars()
                .all()
            )
            found: Set[str] = set()
            for sender in candidates:
                rows = (
                    await conn.execute(
                        select(EVENTS.c.type_name, EVENTS.c.data)
                        .where(
                            EVENTS.c.sender_id == sender,
                            EVENTS.c.type_name.in_(("slot", "restart")),
                        )
                        .order_by(EVENTS.c.id)
                    )
                ).all()
                if wanted in verified_emails((t, d) for t, d in rows):
                    found.add(sender)
            return found

    async def stale_senders(self, before: float, after: str = "", limit: int = CHUNK) -> List[str]:
        """Senders whose newest event is older than `before` (epoch seconds), in sender order from
        `after` on (page with the last id of the previous page)."""
        async with self._connect() as conn:
            if conn is None:
                return []
            return list(
                (
                    await conn.execute(
                        select(EVENTS.c.sender_id)
                        .where(EVENTS.c.sender_id > after)
                        .group_by(EVENTS.c.sender_id)
                        .having(func.max(EVENTS.c.timestamp) < before)
                        .order_by(EVENTS.c.sender_id)
                        .limit(limit)
                    )
                )
                .scalars()
                .all()
            )
