"""Search: one query over messages, notes, requests (tickets) and contact fields, ranked and paged.

Each kind is asked for its best `page * per_page + 1` hits among its newest CANDIDATES (visibility and filters applied in the
database, so the page is always full), the lists are merged by score, and the page is cut out;
`has_more` says whether another page exists (no total count: counting every hit of a common word
costs more than the page). Scores: SQLite's bm25 (negated, higher is better) or PostgreSQL's
ts_rank - comparable within one database, not across them.
"""

from __future__ import annotations

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
Json = Dict[str, Any]


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

    def _filters(self, sql: Sql, q: SearchQuery, scope: Scope, at: str) -> List[str]:
        """Conditions on the conversation `c` and the hit's time column `at`."""
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
        if q.start is not None:
            out.append(f"{at} >= {sql.bind(q.start)}")
        if q.end is not None:
            out.append(f"{at} < {sql.bind(q.end)}")
        return out

    @staticmethod
    def _columns(s: Source, x: str) -> str:
        detail = {"message": f"{x}.sender", "ticket": f"{x}.status"}.get(s.kind, "NULL")
        return (
            f"{x}.{s.key} AS ref, c.id AS conversation_id, {x}.created_at AS created_at, "
            f"{s.body(x)} AS body, {detail} AS detail, c.channel AS channel, c.state AS state, "
            "c.display_name AS display_name"
        )

    def _statement(self, s: Source, q: SearchQuery, scope: Scope, sqlite: bool, n: int) -> Any:
        """One kind's best `n` hits among its newest CANDIDATES that pass the filters. The hit's row is
        `x` (contacts: the conversation `c` itself)."""
        sql = Sql()
        x = "c" if s is CONTACTS else "x"
        conversation = "" if s is CONTACTS else " JOIN conversations c ON c.id = x.conversation_id"
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
            inner = " AND ".join([head, *self._filters(sql, q, scope, f"{x}.created_at")])
            inner += (
                f") scanned WHERE score > 0 ORDER BY created_at DESC, ref DESC LIMIT {CANDIDATES}"
            )
            return self._finish(sql, f"SELECT * FROM ({inner}) hits", n)
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
            inner = " AND ".join([head, *self._filters(sql, q, scope, f"{x}.created_at")])
            inner += f" ORDER BY {s.fts}.rowid DESC LIMIT {CANDIDATES}"
            return self._finish(sql, f"SELECT * FROM ({inner}) hits", n)
        # PostgreSQL: newest first, as the planner likes it - for a common word it walks the primary key
        # backwards and stops at CANDIDATES hits, for a rare one it takes the GIN index.
        query = f"to_tsquery('{CONFIG}', {sql.bind(ts_query(q.terms))})"
        head = (
            f"SELECT {self._columns(s, x)}, ts_rank({s.vector(x)}, {query}) AS score "
            f"FROM {s.table} {x}{conversation} WHERE {s.vector(x)} @@ {query}"
        )
        inner = " AND ".join([head, *self._filters(sql, q, scope, f"{x}.created_at")])
        inner += f" ORDER BY {x}.{s.newest} DESC LIMIT {CANDIDATES}"
        return self._finish(sql, f"SELECT * FROM ({inner}) hits", n)

    @staticmethod
    def _finish(sql: Sql, statement: str, n: int) -> Tuple[Any, Dict[str, Any]]:
        """Ordered as `search` merges: score, then newest, then key, all descending (a total order, so
        pages neither repeat nor skip a hit)."""
        statement += f" ORDER BY score DESC, created_at DESC, ref DESC LIMIT {int(n)}"
        return text(statement).bindparams(*sql.typed()), sql.params

    def _ticket_statement(self, q: SearchQuery, scope: Scope) -> Tuple[Any, Dict[str, Any]]:
        """The request whose number the query is, ranked first."""
        sql = Sql()
        head = (
            f"SELECT {self._columns(SOURCES['ticket'], 'x')}, 1000000.0 AS score FROM tickets x "
            f"JOIN conversations c ON c.id = x.conversation_id WHERE x.id = {sql.bind(q.ticket_number)}"
        )
        inner = " AND ".join([head, *self._filters(sql, q, scope, "x.created_at")])
        return self._finish(sql, f"SELECT * FROM ({inner}) hits", 1)

    async def search(self, q: SearchQuery, scope: Scope) -> Json:
        n = q.page * q.per_page + 1
        found: List[Tuple[str, Any]] = []
        async with self.sessions() as db:
            sqlite = db.get_bind().dialect.name == "sqlite"
            statements = [
                (kind, self._statement(SOURCES[kind], q, scope, sqlite, n))
                for kind in q.kinds
                if q.terms
            ]
            if q.ticket_number is not None and "ticket" in q.kinds:
                statements.append(("ticket", self._ticket_statement(q, scope)))
            for kind, (statement, params) in statements:
                found += [(kind, row) for row in (await db.execute(statement, params)).mappings()]
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
