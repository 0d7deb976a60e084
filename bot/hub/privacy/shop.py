"""The records the bot created in the shop backend (bot/shop), seen from the hub.

The bot creates returns and tickets (complaints, invoice changes; order notes in
shops without tickets). Whatever the backend, actions/shop.py writes a row of the
ledger's `shop_conversation_records` (conversation id, kind, reference, backend)
right after the shop confirmed the record: that row, and nothing else, ties a
record to a conversation. The export lists every such row (`records`), so
privacy tooling finds the conversation's records in a real shop by reference; the
demo shop's own `shop_returns` / `shop_tickets` rows are exported and anonymised
here as well. References in texts never
count - customers can type anyone's "RT-123456" and the bot echoes their words.
Erasure anonymises the customer's own words in the records (return reason,
ticket description), keeps the business fact (a return exists for order X, with
its label), which the shop needs to process it and keeps under its own legal
basis like the order itself, and deletes the conversation's rows of
`shop_conversation_records`. Cancellations and address changes only change the
order: nothing of the conversation is stored there.
"""

from __future__ import annotations

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
    delete,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bot.hub.store.db import async_url

Json = Dict[str, Any]
CHUNK = 500  # ids per IN (...)
_meta = MetaData()
# The columns of actions/shop.py's Return, Ticket and CreatedRecord (tests/unit/hub/test_gdpr.py
# checks they match).
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
CREATED = Table(
    "shop_conversation_records",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255)),
    Column("kind", String(10)),
    Column("reference", String(40)),
    Column("backend", String(20)),
    Column("created_at", DateTime),
)
FREE_TEXT = {RETURNS.name: "reason", TICKETS.name: "description"}  # the customer's words
KINDS = {"return": RETURNS, "ticket": TICKETS}  # CREATED.kind -> the record's table
SECTIONS = {RETURNS.name: "returns", TICKETS.name: "tickets"}  # names in exports and counts
ERASED = "[gelöscht]"


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
    async def _tables(conn: AsyncConnection) -> set[str]:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))

    @staticmethod
    async def _created(
        conn: AsyncConnection, conversation_ids: Iterable[str]
    ) -> Dict[Table, List[str]]:
        """References of the records the bot created in these conversations, by table."""
        grouped: Dict[Table, List[str]] = {}
        ids = list(conversation_ids)
        for start in range(0, len(ids), CHUNK):
            rows = await conn.execute(
                select(CREATED.c.kind, CREATED.c.reference)
                .where(CREATED.c.conversation_id.in_(ids[start : start + CHUNK]))
                .order_by(CREATED.c.id)
            )
            for kind, reference in rows:
                if kind in KINDS:
                    grouped.setdefault(KINDS[kind], []).append(reference)
        return grouped

    async def export(self, conversation_id: str) -> Json:
        """The records the bot created in this conversation in any shop (`records`), and the
        demo shop's returns and tickets among them in full."""
        out: Json = {"returns": [], "tickets": [], "records": []}
        async with self._connect() as conn:
            if conn is None:
                return out
            present = await self._tables(conn)
            if CREATED.name not in present:
                return out
            columns = {
                c["name"]
                for c in await conn.run_sync(lambda sync: inspect(sync).get_columns(CREATED.name))
            }
            wanted_columns = [
                c
                for c in CREATED.c
                if c.name in columns and c.name not in ("id", "conversation_id")
            ]
            created = (
                await conn.execute(
                    select(*wanted_columns)
                    .where(CREATED.c.conversation_id == conversation_id)
                    .order_by(CREATED.c.id)
                )
            ).mappings()
            out["records"] = [_json(r) for r in created]
            for table, wanted in (await self._created(conn, [conversation_id])).items():
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
                    out[SECTIONS[table.name]] = [_json(r) for r in rows]
        return out

    async def anonymise(self, conversation_ids: List[str]) -> Dict[str, int]:
        """Replaces the customer's words in the records the bot created in these conversations and
        forgets which conversation created them; returns how many records were changed."""
        counts = {"returns": 0, "tickets": 0}
        if not conversation_ids:
            return counts
        async with self._connect() as conn:
            if conn is None:
                return counts
            present = await self._tables(conn)
            if CREATED.name not in present:
                return counts
            for table, wanted in (await self._created(conn, conversation_ids)).items():
                if table.name not in present:
                    continue
                column = table.c[FREE_TEXT[table.name]]
                for start in range(0, len(wanted), CHUNK):
                    result = await conn.execute(
                        update(table)
                        .where(
                            table.c.reference.in_(wanted[start : start + CHUNK]), column != ERASED
                        )
                        .values({column.name: ERASED})
                    )
                    counts[SECTIONS[table.name]] += int(result.rowcount or 0)
            for start in range(0, len(conversation_ids), CHUNK):
                await conn.execute(
                    delete(CREATED).where(
                        CREATED.c.conversation_id.in_(conversation_ids[start : start + CHUNK])
                    )
                )
        return counts
