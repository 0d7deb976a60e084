"""What an agent sees of a customer's history: only what belongs to their teams.

A conversation's team is that of its latest handoff, else of its latest request, else the default
team (None) - the same stored values HandoffQueue.team_filter reads. Orders are those named in the
visible conversations' handoff summaries and requests."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

from bot.hub.handoff.visibility import sees_team_item
from bot.hub.store.history_repo import CustomerRows
from bot.hub.store.serialize import TICKET_REASONS, conversation_json, iso

Json = Dict[str, Any]
TeamFilter = Callable[[str | None], bool]


def teams_of(rows: CustomerRows) -> Dict[str, str | None]:
    """conversation id -> its team (latest handoff, else latest request; None: the default team)."""
    team: Dict[str, str | None] = {c.id: None for c in rows.conversations}
    for t in sorted(rows.tickets, key=lambda t: t.id):
        team[t.conversation_id] = t.team
    for h in rows.handoffs:  # by id: the latest wins
        team[h.conversation_id] = h.team
    return team


def topic_of(rows: CustomerRows, conv_id: str) -> str | None:
    for h in reversed(rows.handoffs):
        if h.conversation_id == conv_id and isinstance(h.summary, dict):
            topic = h.summary.get("topic")
            if topic and topic != "unklar":
                return str(topic)
    return None


def visible(
    rows: CustomerRows, role: str, mine: TeamFilter, keep: str | None = None
) -> CustomerRows:
    """The rows a plain agent may see: conversations and requests of their teams (and `keep`, the
    conversation they have open, which they were allowed to see already)."""
    team = teams_of(rows)
    convs = [
        c for c in rows.conversations if c.id == keep or sees_team_item(role, mine(team[c.id]))
    ]
    shown = {c.id for c in convs}
    return CustomerRows(
        conversations=convs,
        tickets=[t for t in rows.tickets if sees_team_item(role, mine(t.team))],
        handoffs=[h for h in rows.handoffs if h.conversation_id in shown],
        merges=[m for m in rows.merges if m.conversation_id in shown and m.into_id in shown],
    )


def orders(rows: CustomerRows) -> List[Json]:
    """The orders named in the conversations and requests, newest mention first, once each."""
    seen: Dict[str, Json] = {}
    named = [(h.queued_at, h.conversation_id, h.summary) for h in rows.handoffs]
    named += [(t.created_at, t.conversation_id, t.summary) for t in rows.tickets]
    for moment, conv_id, summary in sorted(named, key=lambda n: n[0], reverse=True):
        if not isinstance(summary, dict) or not summary.get("order_id"):
            continue
        entry = seen.setdefault(
            str(summary["order_id"]),
            {
                "order_id": str(summary["order_id"]),
                "status": summary.get("order_status"),
                "last_named_at": iso(moment),
                "conversation_ids": [],
            },
        )
        if conv_id not in entry["conversation_ids"]:
            entry["conversation_ids"].append(conv_id)
    return list(seen.values())


def history_json(rows: CustomerRows, current: str, tags: Dict[Any, List[Json]]) -> Json:
    team = teams_of(rows)
    merged_into = {m.conversation_id: m.into_id for m in rows.merges}
    return {
        "conversations": [
            {
                **conversation_json(c),
                "team": team[c.id],
                "topic": topic_of(rows, c.id),
                "closed_at": iso(c.closed_at),
                "resolution": c.resolution,
                "current": c.id == current,
                "merged_into": merged_into.get(c.id),
                "tags": tags.get(c.id, []),
            }
            for c in rows.conversations
        ],
        "tickets": [
            {
                "id": t.id,
                "number": t.id,
                "conversation_id": t.conversation_id,
                "status": t.status,
                "reason_label": TICKET_REASONS.get(t.reason or "", t.reason),
                "team": t.team,
                "created_at": iso(t.created_at),
                "closed_at": iso(t.closed_at),
            }
            for t in rows.tickets
        ],
        "orders": orders(rows),
    }
