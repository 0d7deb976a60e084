"""Volume: conversations started and messages written, per local day, per hour of the week, by channel.

A conversation counts on the day it started; a message on the day it was written. Messages count
every sender (customer, bot, agent, system notices) and are split by sender; conversations are
split by channel (filter by channel for one channel's messages; by tag for the messages of the
conversations carrying it). The heatmaps count conversations
started and customer messages per weekday (Monday first) and local hour.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict, List

from sqlalchemy import Integer, case, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import hour_of, hours_within, of_channel, parse_hour, within
from bot.hub.states import Sender, values
from bot.hub.store.models import Conversation, Message

Json = Dict[str, Any]


def empty_heatmap() -> List[List[int]]:
    return [[0] * 24 for _ in range(7)]


async def volume(
    db: AsyncSession, period: Period, channel: str | None, tag: int | None = None
) -> Json:
    hour = hour_of(Conversation.created_at)
    query = (
        select(hour, Conversation.channel, func.count())
        .where(within(Conversation.created_at, period))
        .group_by(hour, Conversation.channel)
    )
    if channel:
        query = query.where(Conversation.channel == channel)
    query = where_tag(query, Conversation.id, tag)
    conv_day: DefaultDict[str, DefaultDict[str, int]] = defaultdict(lambda: defaultdict(int))
    conv_heat = empty_heatmap()
    for bucket, chan, count in (await db.execute(query)).all():
        utc = parse_hour(bucket)
        conv_day[period.day_of(utc)][chan] += count
        weekday, h = period.week_hour(utc)
        conv_heat[weekday][h] += count

    # One row per hour with the senders as sums: SQLite walks its hour index without sorting.
    senders = values(Sender)
    mhour = hour_of(Message.created_at)
    columns = [
        func.sum(sql_cast(case((Message.sender == s, 1), else_=0), Integer)) for s in senders
    ]
    mquery = (
        select(mhour, *columns).where(hours_within(db, Message.created_at, period)).group_by(mhour)
    )
    if channel:
        mquery = mquery.where(of_channel(Message.conversation_id, channel, period))
    mquery = where_tag(mquery, Message.conversation_id, tag)
    msg_day: DefaultDict[str, DefaultDict[str, int]] = defaultdict(lambda: defaultdict(int))
    customer_heat = empty_heatmap()
    for bucket, *counts in (await db.execute(mquery)).all():
        utc = parse_hour(bucket)
        day = msg_day[period.day_of(utc)]
        for sender, count in zip(senders, counts):
            day[sender] += int(count or 0)
        weekday, h = period.week_hour(utc)
        customer_heat[weekday][h] += int(counts[senders.index(Sender.CUSTOMER)] or 0)

    conv_per_day = [
        {"day": d, "total": sum(conv_day[d].values()), "by_channel": dict(conv_day[d])}
        for d in period.day_list()
    ]
    msg_per_day = [
        {"day": d, "total": sum(msg_day[d].values()), **{s: msg_day[d][s] for s in senders}}
        for d in period.day_list()
    ]
    by_channel: DefaultDict[str, int] = defaultdict(int)
    for per_channel in conv_day.values():
        for chan, count in per_channel.items():
            by_channel[chan] += count
    return {
        "conversations": {
            "total": sum(r["total"] for r in conv_per_day),
            "by_channel": dict(by_channel),
            "per_day": conv_per_day,
        },
        "messages": {
            "total": sum(r["total"] for r in msg_per_day),
            "by_sender": {s: sum(r[s] for r in msg_per_day) for s in senders},
            "per_day": msg_per_day,
        },
        "heatmap": {"conversations": conv_heat, "customer_messages": customer_heat},
    }
