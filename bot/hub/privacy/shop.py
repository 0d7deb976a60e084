"""The records the bot created in the shop backend (actions/shop.py), seen from the hub.

The bot creates returns (`shop_returns`) and complaint tickets (`shop_tickets`)
and names their references to the customer ("RT-123456", "TK-123456"); that is
what ties a record to a conversation. Erasure anonymises the customer's own
words in them (return reason, complaint description) and keeps the business
fact (a return exists for order X, with its label), which the shop needs to
process it and keeps under its own legal basis, like the order itself.
Cancellations and address changes only change the order: nothing of the
conversation is stored there.
"""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterable, List

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bot.hub.store.db import async_url

Json = Dict[str, Any]
_meta = MetaData()
# The columns of actions/shop.py's Return and Ticket (tests/unit/hub/test_gdpr.py checks they match).
RETURNS = Table(
    "shop_returns",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20)),
    Column("order_id", String(12)),
    Column("reason", Text),
    Column("mode", String(20)),
    Column("label_reference", String(30)),
    Column("created_at", DateTime),
)
TICKETS = Table(
    "shop_tickets",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20)),
    Column("order_id", String(12)),
    Column("kind", String(30)),
    Column("description", Text),
    Column("created_at", DateTime),
)
FREE_TEXT = {RETURNS.name: "reason", TICKETS.name: "description"}  # the customer's words
PREFIXES = {"RT": RETURNS, "TK": TICKETS}
REFERENCE = re.compile(r"\b(RT|TK)-\d{6}\b")
ERASED = "[gelöscht]"


def references(texts: Iterable[str]) -> List[str]:
    """Shop record references in texts the bot wrote, sorted and unique."""
    return sorted({m.group(0) for text in texts for m in REFERENCE.finditer(text or "")})


def _json(row: Any) -> Json:
    return {k: (v.isoformat() + "Z" if isinstance(v, datetime) else v) for k, v in row.items()}


class ShopRecords:
    def __init__(self, url: str) -> None:
        self.url = async_url(url)

    @asynccontextmanager
    async def _connect(self) -> AsyncIterator[AsyncConnection | None]:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            yield None
            return
        engine = create_async_engine(
            self.url,
            poolclass=NullPool,
            connect_args={"timeout": 30} if url.get_backend_name() == "sqlite" else {},
        )
        try:
            async with engine.begin() as conn:
                yield conn
        finally:
            await engine.dispose()

    @staticmethod
    def _by_table(refs: Iterable[str]) -> Dict[Table, List[str]]:
        grouped: Dict[Table, List[str]] = {}
        for ref in refs:
            grouped.setdefault(PREFIXES[ref[:2]], []).append(ref)
        return grouped

    @staticmethod
    async def _tables(conn: AsyncConnection) -> set[str]:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))

    async def export(self, refs: List[str]) -> Json:
        out: Json = {"returns": [], "tickets": []}
        if not refs:
            return out
        async with self._connect() as conn:
            if conn is None:
                return out
            present = await self._tables(conn)
            for table, wanted in self._by_table(refs).items():
                if table.name in present:
                    rows = (
                        (
                            await conn.execute(
                                select(table)
                                .where(table.c.reference.in_(wanted))
                                .order_by(table.c.id)
                            )
                        )
                        .mappings()
                        .all()
                    )
                    out["returns" if table is RETURNS else "tickets"] = [_json(r) for r in rows]
        return out

    async def anonymise(self, refs: List[str]) -> Dict[str, int]:
        """Replaces the customer's words in these records; returns how many records were changed."""
        counts = {"returns": 0, "tickets": 0}
        if not refs:
            return counts
        async with self._connect() as conn:
            if conn is None:
                return counts
            present = await self._tables(conn)
            for table, wanted in self._by_table(refs).items():
                if table.name not in present:
                    continue
                column = table.c[FREE_TEXT[table.name]]
                result = await conn.execute(
                    update(table)
                    .where(table.c.reference.in_(wanted), column != ERASED)
                    .values({column.name: ERASED})
                )
                counts["returns" if table is RETURNS else "tickets"] += int(result.rowcount or 0)
        return counts
