"""Search: one query over messages, notes, requests (tickets) and contact fields, ranked and paged.

Each kind is asked for its best `page * per_page + 1` hits among its newest CANDIDATES (visibility and filters applied in the
database, so the page is always full), the lists are merged by score, and the page is cut out;
`has_more` says whether another page exists (no total count: counting every hit of a common word
costs more than the page). Scores: SQLite's bm25 (negated, higher is better) or PostgreSQL's
ts_rank - comparable within one database, not across them.

PostgreSQL with everything visible looks in the newest rows first (`Search._windowed`): the
planner's own choice for "newest first" walked the whole table backwards for words that are common
alone but never meet ("bestellung rechnung"), and took the GIN index for words that fill a page in
the newest few thousand rows. Figures: docs/developer/benchmarks.md (make bench-search).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Tuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.hub.search.index_sql import CONFIG, CONTACT_KEYS, CONTACTS, SOURCES, Source
from bot.hub.search.scope import Scope, Sql, team_match
from bot.hub.search.snippet import snippet
from bot.hub.store.serialize import iso
from bot.hub.teams import Teams

KINDS = tuple(SOURCES)  # message, note, ticket, contact
# Hits of one kind that are ranked: the newest this many that pass the filters. Every hit of a rare word
# is ranked; for a word in a fifth of all messages, ranking them all would cost more than the 200 ms a
# search may take (bench/search.py), so the best of the newest are shown. 50 pages of 50 fit.
CANDIDATES = 2501
# PostgreSQL, everything visible: the newest this many keys of a table (a quarter of a smaller table)
# are searched first; enough for a common word's CANDIDATES hits.
WINDOW = 20_000
# Reading one hit through the GIN index (bitmap, then the row from the heap) costs about as much as
# testing this many rows while walking the primary key newest first (EXPLAIN ANALYZE at 1,000,000
# messages: 5-8 us a hit, 0.45 us a row).
WALK_PER_HIT = 10
Json = Dict[str, Any]


@dataclass(frozen=True)
class Window:
    """Which keys of a kind's table are searched (`above` < key <= `upto`, None: no bound), how many
    of the newest hits are ranked, and whether the GIN index is to be read instead of walking the
    primary key newest first."""

    above: int | None = None
    upto: int | None = None
    limit: int = CANDIDATES
    by_index: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: Tuple[str, ...]  # folded (bot/hub/search/fold.py); all must match, each as a prefix
    kinds: Tuple[str, ...] = KINDS
    channel: str | None = None
    team: str | None = None
    state: str | None = None
    tag: int | None = None  # a tag's id (names change: admins rename and merge tags)
    agent_id: int | None = None  # conversations this agent claimed, held or wrote in
    start: datetime | None = None  # the hit's time, naive UTC, inclusive
    end: datetime | None = None  # exclusive
    page: int = 1
    per_page: int = 20
    ticket_number: int | None = field(default=None)  # the query is a request's number ("88", "#88")


def fts_match(terms: Tuple[str, ...]) -> str:
    """SQLite FTS5: every term as a quoted prefix (terms are letters and digits only)."""
    return " ".join(f'"{t}"*' for t in terms)


def ts_query(terms: Tuple[str, ...]) -> str:
    """PostgreSQL to_tsquery text: every term as a prefix, all required (terms are letters and digits only)."""
    return " & ".join(f"{t}:*" for t in terms)


class Search:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], teams: Teams) -> None:
        self.sessions = sessions
        self.teams = teams

    def _filters(self, sql: Sql, q: SearchQuery, scope: Scope) -> List[str]:
        """Conditions on the conversation `c`."""
        out: List[str] = []
        visible = scope.visible(sql, self.teams)
        if visible:
            out.append(visible)
        if q.channel:
            out.append(f"c.channel = {sql.bind(q.channel)}")
        if q.state:
            out.append(f"c.state = {sql.bind(q.state)}")
        if q.team:
            out.append(
                "(EXISTS (SELECT 1 FROM handoffs h_f WHERE h_f.conversation_id = c.id AND "
                f"{team_match(sql, 'h_f.team', [q.team], self.teams)}) OR EXISTS (SELECT 1 FROM tickets t_f "
                f"WHERE t_f.conversation_id = c.id AND {team_match(sql, 't_f.team', [q.team], self.teams)}))"
            )
        if q.tag is not None:
            tag = sql.bind(q.tag)
            out.append(
                "(EXISTS (SELECT 1 FROM conversation_tags ct WHERE ct.conversation_id = c.id AND "
                f"ct.tag_id = {tag}) OR EXISTS (SELECT 1 FROM ticket_tags tt JOIN tickets t_g ON "
                f"t_g.id = tt.ticket_id WHERE t_g.conversation_id = c.id AND tt.tag_id = {tag}))"
            )
        if q.agent_id is not None:
            agent = sql.bind(q.agent_id)
            out.append(
                f"(c.assigned_agent_id = {agent} OR EXISTS (SELECT 1 FROM handoffs h_a WHERE "
                f"h_a.conversation_id = c.id AND h_a.claimed_by = {agent}) OR EXISTS (SELECT 1 FROM "
                f"messages m_a WHERE m_a.conversation_id = c.id AND m_a.agent_id = {agent}))"
            )
        return out

    @staticmethod
    def _dates(sql: Sql, q: SearchQuery, at: str) -> List[str]:
        """Conditions on the hit's time column `at`."""
        out: List[str] = []
        if q.start is not None:
            out.append(f"{at} >= {sql.bind(q.start)}")
        if q.end is not None:
            out.append(f"{at} < {sql.bind(q.end)}")
        return out

    @staticmethod
    def _columns(s: Source, x: str) -> str:
        """The hit's own columns; the conversation's are joined to the page's few rows (`_finish`)."""
        detail = {"message": f"{x}.sender", "ticket": f"{x}.status"}.get(s.kind, "NULL")
        conversation = f"{x}.id" if s is CONTACTS else f"{x}.conversation_id"
        return (
            f"{x}.{s.key} AS ref, {conversation} AS conversation_id, {x}.created_at AS created_at, "
            f"{s.body(x)} AS body, {detail} AS detail"
        )

    def _statement(
        self,
        s: Source,
        q: SearchQuery,
        scope: Scope,
        sqlite: bool,
        n: int,
        window: Window = Window(),
    ) -> Any:
        """One kind's best `n` hits among its newest `window.limit` that pass the filters. The hit's row
        is `x` (contacts: the conversation `c` itself); the conversation `c` is joined only when a
        filter asks about it."""
        sql = Sql()
        x = "c" if s is CONTACTS else "x"
        filters = self._filters(sql, q, scope)
        conditions = filters + self._dates(sql, q, f"{x}.created_at")
        conversation = (
            " JOIN conversations c ON c.id = x.conversation_id"
            if filters and s is not CONTACTS
            else ""
        )
        if conversation and window.upto is not None:
            # The older rows of a window plan (PostgreSQL): the conversations a filter leaves, hashed
            # once, instead of one index lookup for each of thousands of hits (a channel filter: 130
            # ms instead of 290 ms). IS TRUE keeps the planner from turning the IN into a join, which
            # it would run as those lookups again.
            conversation = ""
            chosen = " AND ".join(filters)
            conditions = [
                f"(x.conversation_id IN (SELECT c.id FROM conversations c WHERE {chosen})) IS TRUE",
                *conditions[len(filters) :],
            ]
        if sqlite and not scope.everything:
            # A plain agent sees a few hundred conversations: scan their rows (kd_match, the same
            # folding and prefix rule as the index) rather than every hit of a common word.
            rows = (
                "conversations c"
                if s is CONTACTS
                else f"conversations c JOIN {s.table} x ON x.conversation_id = c.id"
            )
            head = (
                f"SELECT * FROM (SELECT {self._columns(s, x)}, kd_match({s.body(x)}, "
                f"{sql.bind(' '.join(q.terms))}) AS score FROM {rows} WHERE 1 = 1"
            )
            inner = " AND ".join([head, *conditions])
            inner += (
                f") scanned WHERE score > 0 ORDER BY created_at DESC, ref DESC LIMIT {CANDIDATES}"
            )
            return self._finish(sql, inner, n)
        if sqlite:
            row = (
                f"JOIN {CONTACT_KEYS} k ON k.id = {s.fts}.rowid JOIN conversations c ON c.id = k.conversation_id"
                if s is CONTACTS
                else f"JOIN {s.table} x ON x.{s.key} = {s.fts}.rowid{conversation}"
            )
            head = (
                f"SELECT {self._columns(s, x)}, -bm25({s.fts}) AS score FROM {s.fts} {row} "
                f"WHERE {s.fts} MATCH {sql.bind(fts_match(q.terms))}"
            )
            inner = " AND ".join([head, *conditions])
            inner += f" ORDER BY {s.fts}.rowid DESC LIMIT {CANDIDATES}"
            return self._finish(sql, inner, n)
        # PostgreSQL: newest first. Walking the primary key backwards stops at the limit for a common
        # word; `by_index` makes the order an expression no index has, so the GIN index is read.
        query = f"to_tsquery('{CONFIG}', {sql.bind(ts_query(q.terms))})"
        head = (
            f"SELECT {self._columns(s, x)}, ts_rank({s.vector(x)}, {query}) AS score "
            f"FROM {s.table} {x}{conversation} WHERE {s.vector(x)} @@ {query}"
        )
        if window.above is not None:
            conditions.append(f"{x}.{s.key} > {sql.bind(window.above)}")
        if window.upto is not None:
            conditions.append(f"{x}.{s.key} <= {sql.bind(window.upto)}")
        inner = " AND ".join([head, *conditions])
        order = f"{x}.{s.newest} + 0" if window.by_index else f"{x}.{s.newest}"
        inner += f" ORDER BY {order} DESC LIMIT {sql.bind(window.limit)}"
        return self._finish(sql, inner, n)

    @staticmethod
    def _finish(sql: Sql, inner: str, n: int) -> Tuple[Any, Dict[str, Any]]:
        """The best `n` of the `inner` hits, ordered as `search` merges: score, then newest, then key,
        all descending (a total order, so pages neither repeat nor skip a hit); `found` is how many
        hits `inner` gave. Then the conversation's columns for those few."""
        top = (
            f"SELECT hits.*, count(*) OVER () AS found FROM ({inner}) hits "
            f"ORDER BY score DESC, created_at DESC, ref DESC LIMIT {int(n)}"
        )
        statement = (
            f"SELECT top.*, c_p.channel AS channel, c_p.state AS state, c_p.display_name AS "
            f"display_name FROM ({top}) top JOIN conversations c_p ON c_p.id = top.conversation_id"
        )
        return text(statement).bindparams(*sql.typed()), sql.params

    def _ticket_statement(self, q: SearchQuery, scope: Scope) -> Tuple[Any, Dict[str, Any]]:
        """The request whose number the query is, ranked first."""
        sql = Sql()
        head = (
            f"SELECT {self._columns(SOURCES['ticket'], 'x')}, 1000000.0 AS score FROM tickets x "
            f"JOIN conversations c ON c.id = x.conversation_id WHERE x.id = {sql.bind(q.ticket_number)}"
        )
        inner = " AND ".join(
            [head, *self._filters(sql, q, scope), *self._dates(sql, q, "x.created_at")]
        )
        return self._finish(sql, inner, 1)

    async def _hits(
        self, db: AsyncSession, s: Source, q: SearchQuery, scope: Scope, sqlite: bool, n: int
    ) -> List[Any]:
        """One kind's best `n` hits (rows of `_finish`)."""
        if sqlite or not scope.everything or s is CONTACTS:
            statement, params = self._statement(s, q, scope, sqlite, n)
            return list((await db.execute(statement, params)).mappings())
        return await self._windowed(db, s, q, scope, n)

    async def _windowed(
        self, db: AsyncSession, s: Source, q: SearchQuery, scope: Scope, n: int
    ) -> List[Any]:
        """PostgreSQL, everything visible: the same hits as one statement over the whole table, found
        in two steps. First the newest keys (a window): a common word has its CANDIDATES there, found
        by a short walk. Otherwise the older rows give the rest, by the walk or the GIN index,
        whichever the window's count of hits says is cheaper - the planner's own estimate was off by
        a thousand times for words that never meet and for short prefixes."""

        async def run(window: Window) -> List[Any]:
            statement, params = self._statement(s, q, scope, False, n, window)
            return list((await db.execute(statement, params)).mappings())

        newest = int((await db.execute(text(f"SELECT max({s.key}) FROM {s.table}"))).scalar() or 0)
        size = min(WINDOW, newest // 4)
        if size < 1:
            return await run(Window(limit=CANDIDATES))
        lo = newest - size
        recent = await run(Window(above=lo, limit=CANDIDATES))
        got = int(recent[0]["found"]) if recent else 0
        if got >= CANDIDATES:
            return recent
        rest = CANDIDATES - got
        walk = rest * size / got if got else math.inf  # rows tested until `rest` more hits
        index = WALK_PER_HIT * got * lo / size  # the older hits, each read from the heap
        older = await run(Window(upto=lo, limit=rest, by_index=index < walk))
        return sorted(recent + older, key=lambda row: _order((s.kind, row)), reverse=True)[:n]

    async def search(self, q: SearchQuery, scope: Scope) -> Json:
        n = q.page * q.per_page + 1
        found: List[Tuple[str, Any]] = []
        async with self.sessions() as db:
            sqlite = db.get_bind().dialect.name == "sqlite"
            if not sqlite:
                # Planned for the words searched, every time: a plan cached for one word (asyncpg
                # prepares each statement) walked the whole table for another.
                await db.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            for kind in q.kinds if q.terms else ():
                hits = await self._hits(db, SOURCES[kind], q, scope, sqlite, n)
                found += [(kind, row) for row in hits]
            if q.ticket_number is not None and "ticket" in q.kinds:
                statement, params = self._ticket_statement(q, scope)
                found += [
                    ("ticket", row) for row in (await db.execute(statement, params)).mappings()
                ]
        seen: set[Tuple[str, str]] = set()
        merged: List[Tuple[str, Any]] = []
        for kind, row in sorted(found, key=_order, reverse=True):
            if (kind, str(row["ref"])) not in seen:
                seen.add((kind, str(row["ref"])))
                merged.append((kind, row))
        first = (q.page - 1) * q.per_page
        page = merged[first : first + q.per_page]
        return {
            "page": q.page,
            "per_page": q.per_page,
            "has_more": len(merged) > first + q.per_page,
            "results": [self._result(kind, row, q) for kind, row in page],
        }

    @staticmethod
    def _result(kind: str, row: Any, q: SearchQuery) -> Json:
        created = row["created_at"]
        if isinstance(created, str):  # SQLite through text(): the stored string
            created = datetime.fromisoformat(created)
        return {
            "kind": kind,
            "id": str(row["ref"]),
            "conversation_id": row["conversation_id"],
            "created_at": iso(created),
            "snippet": snippet(row["body"], q.terms),
            "score": round(float(row["score"] or 0), 6),
            "sender": row["detail"] if kind == "message" else None,
            "ticket_status": row["detail"] if kind == "ticket" else None,
            "channel": row["channel"],
            "state": row["state"],
            "display_name": row["display_name"],
        }


def _order(hit: Tuple[str, Any]) -> Tuple[float, float, str, Any]:
    """Score, then newest, then kind and key: the order of each kind's SQL (`Search._finish`), reversed."""
    kind, row = hit
    return float(row["score"] or 0), _stamp(row["created_at"]), kind, row["ref"]


def _stamp(value: Any) -> float:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.timestamp() if isinstance(value, datetime) else 0.0
