"""Satisfaction: the customers' 1-5 ratings of conversations started in the period.

A conversation holds one rating (the last one given). "After a human" means an agent took the
conversation over at some point (the rating is asked when the agent hands back); "bot only"
means no agent did (the rating is asked when the customer says goodbye).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict, List

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.containment import with_agent
from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import hour_of, parse_hour, within
from bot.hub.store.models import Conversation

Json = Dict[str, Any]
GROUPS = ("bot_only", "after_agent")


def group_json(counts: Dict[int, int]) -> Json:
    n = sum(counts.values())
    average = round(sum(r * c for r, c in counts.items()) / n, 2) if n else None
    return {
        "count": n,
        "average": average,
        "distribution": {str(r): counts.get(r, 0) for r in range(1, 6)},
    }


async def satisfaction(
    db: AsyncSession, period: Period, channel: str | None, tag: int | None = None
) -> Json:
    rated = select(
        hour_of(Conversation.created_at).label("hour"),
        with_agent().label("human"),
        Conversation.rating.label("rating"),
    ).where(within(Conversation.created_at, period), Conversation.rating.is_not(None))
    if channel:
        rated = rated.where(Conversation.channel == channel)
    rated = where_tag(rated, Conversation.id, tag)
    sub = rated.subquery()
    query = select(sub.c.hour, sub.c.human, sub.c.rating, func.count()).group_by(
        sub.c.hour, sub.c.human, sub.c.rating
    )
    totals: Dict[str, DefaultDict[int, int]] = {g: defaultdict(int) for g in GROUPS}
    days: DefaultDict[str, Dict[str, DefaultDict[int, int]]] = defaultdict(
        lambda: {g: defaultdict(int) for g in GROUPS}
    )
    for bucket, after_agent, rating, count in (await db.execute(query)).all():
        group = GROUPS[1] if after_agent else GROUPS[0]
        if not 1 <= int(rating) <= 5:
            continue
        totals[group][int(rating)] += count
        days[period.day_of(parse_hour(bucket))][group][int(rating)] += count
    per_day: List[Json] = []
    for d in period.day_list():
        entry: Json = {"day": d}
        for g in GROUPS:
            data = group_json(days[d][g])
            entry[f"{g}_average"], entry[f"{g}_count"] = data["average"], data["count"]
        per_day.append(entry)
    overall: DefaultDict[int, int] = defaultdict(int)
    for g in GROUPS:
        for r, c in totals[g].items():
            overall[r] += c
    return {
        "all": group_json(overall),
        **{g: group_json(totals[g]) for g in GROUPS},
        "per_day": per_day,
    }
