"""Bot containment: did the bot resolve the conversation without a human?

Of the conversations started in the period in which the customer wrote at least once ("engaged"):
- escalated: a handoff was requested at any point (queued, taken by an agent, left as a callback
  request, or recorded as a ticket outside hours / with nobody online);
- stuck: not escalated, but the customer's last message got the fallback (the bot did not
  understand it, and the customer left);
- resolved by the bot = engaged - escalated - stuck; containment rate = resolved by the bot / engaged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict

from sqlalchemy import Integer, case, exists, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import hour_of, hours_within, parse_hour, rate, typed_by_customer, within
from bot.hub.store.models import Conversation, Handoff, Message
from bot.shared.understanding import FALLBACK_INTENT

Json = Dict[str, Any]
KEYS = ("conversations", "engaged", "escalated", "with_agent", "stuck")


def engaged() -> Any:
    """The customer wrote at least once (the conversation's last_customer_at is set with each customer message)."""
    return Conversation.last_customer_at.is_not(None)


def escalated() -> Any:
    return exists().where(Handoff.conversation_id == Conversation.id)


def with_agent() -> Any:
    """An agent took the conversation over (claimed a handoff) at least once."""
    return exists().where(
        Handoff.conversation_id == Conversation.id, Handoff.claimed_at.is_not(None)
    )


def ending_in_fallback(db: AsyncSession, period: Period) -> Any:
    """Conversations whose last customer message got the fallback: a typed customer message with intent
    nlu_fallback written at the conversation's last_customer_at (both are set from one clock reading).
    Read from the fallbacks' side, so only those messages are looked at."""
    return (
        select(Message.conversation_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            typed_by_customer(),
            Message.intent == FALLBACK_INTENT,
            hours_within(db, Message.created_at, period, open_end=True),
            Message.created_at == Conversation.last_customer_at,
        )
    )


def flag(condition: Any) -> Any:
    return func.sum(sql_cast(case((condition, 1), else_=0), Integer))


async def containment(
    db: AsyncSession, period: Period, channel: str | None, tag: int | None = None
) -> Json:
    hour = hour_of(Conversation.created_at)
    is_engaged, is_escalated = engaged(), escalated()
    query = (
        select(
            hour,
            func.count(),
            flag(is_engaged),
            flag(is_engaged & is_escalated),
            flag(is_engaged & with_agent()),
            flag(is_engaged & ~is_escalated & Conversation.id.in_(ending_in_fallback(db, period))),
        )
        .where(within(Conversation.created_at, period))
        .group_by(hour)
    )
    if channel:
        query = query.where(Conversation.channel == channel)
    query = where_tag(query, Conversation.id, tag)
    days: DefaultDict[str, Dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    for bucket, *counts in (await db.execute(query)).all():
        day = days[period.day_of(parse_hour(bucket))]
        for key, count in zip(KEYS, counts):
            day[key] += int(count or 0)
    total = dict.fromkeys(KEYS, 0)
    per_day = []
    for d in period.day_list():
        row = days[d]
        for key in KEYS:
            total[key] += row[key]
        resolved = row["engaged"] - row["escalated"] - row["stuck"]
        per_day.append(
            {
                "day": d,
                "engaged": row["engaged"],
                "resolved_by_bot": resolved,
                "escalated": row["escalated"],
                "containment_rate": rate(resolved, row["engaged"]),
            }
        )
    resolved = total["engaged"] - total["escalated"] - total["stuck"]
    return {
        **total,
        "bot_only": total["engaged"] - total["escalated"],
        "resolved_by_bot": resolved,
        "containment_rate": rate(resolved, total["engaged"]),
        "escalation_rate": rate(total["escalated"], total["engaged"]),
        "per_day": per_day,
    }
