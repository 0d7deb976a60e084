"""The visibility policy (bot/hub/handoff/visibility.py) as SQL over a conversation `c`, for search.

A plain agent finds what `HandoffQueue.ensure_visible` would let them open: their own conversations,
the waiting ones of their teams' queues, and those with an active request (open, waiting, reopened) of one of their teams.
Supervisors and admins find everything. Closed and bot-only conversations of others stay hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Sequence

from sqlalchemy import BindParameter, DateTime, bindparam

from bot.hub.states import ACTIVE_TICKET, ConversationState, HandoffState
from bot.hub.teams import Teams


@dataclass
class Sql:
    """Conditions with their bound values; list values are bound as expanding IN parameters, and
    datetimes as DateTime (each database's own storage format, as the ORM writes it)."""

    params: Dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def typed(self) -> List[BindParameter[Any]]:
        out: List[BindParameter[Any]] = []
        for name, value in self.params.items():
            if isinstance(value, (list, tuple)):
                out.append(bindparam(name, expanding=True))
            elif isinstance(value, datetime):
                out.append(bindparam(name, type_=DateTime()))
        return out


def team_match(sql: Sql, column: str, keys: Sequence[str], teams: Teams) -> str:
    """SQL: the stored team value in `column` is one of `keys` (Teams.get: NULL and unknown values are
    the default team)."""
    cond = f"{column} IN {sql.bind(list(keys))}"
    if teams.default_key in keys:
        cond = f"({cond} OR {column} IS NULL OR {column} NOT IN {sql.bind(list(teams.order))})"
    return cond


@dataclass(frozen=True)
class Scope:
    """Who searches: the agent, whether they see everything, and their teams (None: every team)."""

    agent_id: int
    everything: bool
    teams: List[str] | None

    def visible(self, sql: Sql, teams: Teams) -> str | None:
        """SQL over `c` (conversations) for what this agent may see; None: everything. One set of ids
        from three index lookups (own, waiting in the agent's queues, active requests of their teams), so
        the database builds it once instead of testing every hit."""
        if self.everything:
            return None
        me = sql.bind(self.agent_id)
        active = ", ".join(f"'{status.value}'" for status in ACTIVE_TICKET)
        queued = f"SELECT c_q.id FROM conversations c_q WHERE c_q.state = '{ConversationState.QUEUED.value}'"
        tickets = f"SELECT t_v.conversation_id FROM tickets t_v WHERE t_v.status IN ({active})"
        if self.teams is not None:
            queued = (
                f"SELECT h_v.conversation_id FROM handoffs h_v JOIN conversations c_q ON c_q.id = "
                f"h_v.conversation_id WHERE h_v.state = '{HandoffState.QUEUED.value}' AND "
                f"c_q.state = '{ConversationState.QUEUED.value}' AND "
                f"{team_match(sql, 'h_v.team', self.teams, teams)}"
            )
            tickets += " AND " + team_match(sql, "t_v.team", self.teams, teams)
        own = (
            f"SELECT c_o.id FROM conversations c_o WHERE c_o.state = '{ConversationState.AGENT.value}' "
            f"AND c_o.assigned_agent_id = {me}"
        )
        return f"c.id IN ({own} UNION {queued} UNION {tickets})"
