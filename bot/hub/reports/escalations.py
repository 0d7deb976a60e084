"""Escalations: every handoff requested in the period, by reason, by topic and per day.

A handoff is one request for a human (a conversation can have several). The reason is the one the
dialogue gave (bot/dialogue/escalation.py); the topic is the summary's topic label as the
agent sees it ("unklar" when the bot had none).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, DefaultDict, Dict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, where_tag, where_team
from bot.hub.reports.sql import hour_of, parse_hour, within
from bot.hub.store.models import Conversation, Handoff
from bot.shared.wire import REASON_LABELS

Json = Dict[str, Any]
NO_TOPIC = "unklar"
TOP_TOPICS = 12


async def escalations(db: AsyncSession, period: Period, scope: Scope) -> Json:
    channel = scope.channel
    hour = hour_of(Handoff.queued_at)
    topic = Handoff.summary["topic"].as_string()
    query = (
        select(hour, Handoff.reason, topic, func.count())
        .where(within(Handoff.queued_at, period))
        .group_by(hour, Handoff.reason, topic)
    )
    if channel:
        query = query.join(Conversation, Conversation.id == Handoff.conversation_id).where(
            Conversation.channel == channel
        )
    query = where_tag(where_team(query, scope), Handoff.conversation_id, scope.tag)
    reasons: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    days: DefaultDict[str, Counter[str]] = defaultdict(Counter)
    for bucket, reason, label, count in (await db.execute(query)).all():
        reasons[reason] += count
        topics[label or NO_TOPIC] += count
        days[period.day_of(parse_hour(bucket))][reason] += count
    by_reason = [
        {"reason": r, "label": REASON_LABELS.get(r, r), "count": n}
        for r, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    ]
    ranked = sorted(topics.items(), key=lambda item: (-item[1], item[0]))
    by_topic = [{"topic": t, "count": n} for t, n in ranked[:TOP_TOPICS]]
    if len(ranked) > TOP_TOPICS:
        by_topic.append({"topic": "andere", "count": sum(n for _, n in ranked[TOP_TOPICS:])})
    return {
        "total": sum(reasons.values()),
        "by_reason": by_reason,
        "by_topic": by_topic,
        "per_day": [
            {"day": d, "total": sum(days[d].values()), "by_reason": dict(days[d])}
            for d in period.day_list()
        ],
    }
