"""Volume: conversations started and messages written, per local day, per hour of the week, by channel.

A conversation counts on the day it started; a message on the day it was written. Messages count
every sender (customer, bot, agent, system notices); the heatmaps count conversations started
and customer messages per weekday (Monday first) and local hour.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Dict, List

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kundendialog.core.states import Sender, values
from kundendialog.hub.reports.period import Period
from kundendialog.hub.reports.sql import hour_of, parse_hour, within
from kundendialog.hub.store.models import Conversation, Message

Json = Dict[str, Any]


def empty_heatmap() -> List[List[int]]:
    return [[0] * 24 for _ in range(7)]


async def volume(db: AsyncSession, period: Period, channel: str | None) -> Json:
    hour = hour_of(Conversation.created_at)
    query = (select(hour, Conversation.channel, func.count()).where(within(Conversation.created_at, period))
             .group_by(hour, Conversation.channel))
    if channel:
        query = query.where(Conversation.channel == channel)
    conv_day: DefaultDict[str, DefaultDict[str, int]] = defaultdict(lambda: defaultdict(int))
    conv_heat = empty_heatmap()
    for bucket, chan, count in (await db.execute(query)).all():
        utc = parse_hour(bucket)
        conv_day[period.day_of(utc)][chan] += count
        weekday, h = period.week_hour(utc)
        conv_heat[weekday][h] += count

    mhour = hour_of(Message.created_at)
    mquery = (select(mhour, Conversation.channel, Message.sender, func.count())
              .join(Conversation, Conversation.id == Message.conversation_id)
              .where(within(Message.created_at, period)).group_by(mhour, Conversation.channel, Message.sender))
    if channel:
        mquery = mquery.where(Conversation.channel == channel)
    msg_day: DefaultDict[str, DefaultDict[str, int]] = defaultdict(lambda: defaultdict(int))
    msg_channel: DefaultDict[str, int] = defaultdict(int)
    customer_heat = empty_heatmap()
    for bucket, chan, sender, count in (await db.execute(mquery)).all():
        utc = parse_hour(bucket)
        day = period.day_of(utc)
        msg_day[day][sender] += count
        msg_channel[chan] += count
        if sender == Sender.CUSTOMER:
            weekday, h = period.week_hour(utc)
            customer_heat[weekday][h] += count

    senders = values(Sender)
    conv_per_day = [{"day": d, "total": sum(conv_day[d].values()), "by_channel": dict(conv_day[d])}
                    for d in period.day_list()]
    msg_per_day = [{"day": d, "total": sum(msg_day[d].values()), **{s: msg_day[d][s] for s in senders}}
                   for d in period.day_list()]
    by_channel: DefaultDict[str, int] = defaultdict(int)
    for row in conv_per_day:
        for chan, count in row["by_channel"].items():
            by_channel[chan] += count
    return {
        "conversations": {"total": sum(r["total"] for r in conv_per_day), "by_channel": dict(by_channel),
                          "per_day": conv_per_day},
        "messages": {"total": sum(r["total"] for r in msg_per_day),
                     "by_sender": {s: sum(r[s] for r in msg_per_day) for s in senders},
                     "by_channel": dict(msg_channel), "per_day": msg_per_day},
        "heatmap": {"conversations": conv_heat, "customer_messages": customer_heat},
    }
