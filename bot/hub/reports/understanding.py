"""Understanding: how often the bot did not understand a typed customer message, and what customers asked.

Over the customer messages written in the period that were typed (button taps are always
understood) and read by the NLU (bot turns, and messages logged while an agent talked):
- fallback: the FallbackClassifier took over (intent `nlu_fallback`: the best intent's confidence
  was below the threshold in config.yml, or the two best were too close);
- low confidence: understood, but with a confidence below 0.6;
- fallback rate = fallback / read; intents: what the bot acted on (FAQ keys spelled out);
- fallback escalations: handoffs because the bot did not understand twice in a row.
The messages themselves are listed (and reviewed) under "Nicht verstanden".
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict

from sqlalchemy import Integer, case, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import (
    hour_of,
    hours_within,
    of_channel,
    parse_hour,
    rate,
    typed_by_customer,
    within,
)
from bot.hub.store.models import Conversation, Handoff, Message
from bot.shared.understanding import FALLBACK_INTENT, LOW_CONFIDENCE

Json = Dict[str, Any]
TOP_INTENTS = 15
FALLBACK_REASON = "repeated_fallback"


async def understanding(
    db: AsyncSession, period: Period, channel: str | None, tag: int | None = None
) -> Json:
    hour = hour_of(Message.created_at)
    low = sql_cast(
        case(
            ((Message.confidence < LOW_CONFIDENCE) & (Message.intent != FALLBACK_INTENT), 1),
            else_=0,
        ),
        Integer,
    )
    query = (
        select(hour, Message.intent, func.count(), func.sum(low))
        .where(hours_within(db, Message.created_at, period), typed_by_customer())
        .group_by(hour, Message.intent)
    )
    if channel:
        query = query.where(of_channel(Message.conversation_id, channel, period))
    query = where_tag(query, Message.conversation_id, tag)
    intents: DefaultDict[str, int] = defaultdict(int)
    days: DefaultDict[str, Dict[str, int]] = defaultdict(lambda: {"read": 0, "fallback": 0})
    typed = low_total = 0
    for bucket, intent, count, lows in (await db.execute(query)).all():
        typed += count
        if intent is None:
            continue
        low_total += int(lows or 0)
        intents[intent] += count
        day = days[period.day_of(parse_hour(bucket))]
        day["read"] += count
        if intent == FALLBACK_INTENT:
            day["fallback"] += count
    read = sum(intents.values())
    fallback = intents.get(FALLBACK_INTENT, 0)
    ranked = sorted(
        ((i, n) for i, n in intents.items() if i != FALLBACK_INTENT),
        key=lambda item: (-item[1], item[0]),
    )
    by_intent = [{"intent": i, "count": n} for i, n in ranked[:TOP_INTENTS]]
    if len(ranked) > TOP_INTENTS:
        by_intent.append({"intent": "andere", "count": sum(n for _, n in ranked[TOP_INTENTS:])})
    escalations = (
        select(func.count())
        .select_from(Handoff)
        .where(within(Handoff.queued_at, period), Handoff.reason == FALLBACK_REASON)
    )
    if channel:
        escalations = escalations.join(
            Conversation, Conversation.id == Handoff.conversation_id
        ).where(Conversation.channel == channel)
    escalations = where_tag(escalations, Handoff.conversation_id, tag)
    return {
        "typed": typed,
        "read": read,
        "fallback": fallback,
        "low_confidence": low_total,
        "fallback_rate": rate(fallback, read),
        "fallback_escalations": int(await db.scalar(escalations) or 0),
        "by_intent": by_intent,
        "per_day": [
            {
                "day": d,
                "read": days[d]["read"],
                "fallback": days[d]["fallback"],
                "fallback_rate": rate(days[d]["fallback"], days[d]["read"]),
            }
            for d in period.day_list()
        ],
    }
