"""Answers from the help pages: how many were given, whether they helped, abstentions, top pages.

Counted from the `knowledge` blocks the dialogue puts on the bot's messages (bot.shared.wire.knowledge):
an answer (no verdict, not abstained), a verdict (helpful true or false: the customer's "Ja, danke" or
"Hat nicht geholfen") and an abstention (the pages had nothing confident). Messages of the period,
optionally one channel and one tag. The learning loop's content gaps read the same blocks (knowledge_blocks).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any, DefaultDict, Dict, List, Tuple

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import where_tag
from bot.hub.reports.sql import hours_within
from bot.hub.states import Sender
from bot.hub.store.models import Conversation, Message
from bot.shared import wire

Json = Dict[str, Any]
TOP_PAGES = 10
KINDS = ("answers", "helpful", "unhelpful", "abstentions")


def kind_of(block: Json) -> str:
    if block.get("abstained"):
        return "abstentions"
    helpful = block.get("helpful")
    return "answers" if helpful is None else "helpful" if helpful else "unhelpful"


async def knowledge_blocks(
    db: AsyncSession,
    period: Period,
    channel: str | None = None,
    limit: int | None = None,
    tag: int | None = None,
) -> List[Tuple[str, datetime, Json]]:
    """(conversation id, time, block) of every bot message of the period carrying a knowledge
    block, newest first (of the conversations carrying `tag` when given)."""
    query = select(Message.conversation_id, Message.created_at, Message.custom).where(
        Message.sender == Sender.BOT.value,
        hours_within(db, Message.created_at, period),
        cast(Message.custom, String).like(f'%"{wire.KNOWLEDGE}"%'),
    )
    if channel:
        query = query.join(Conversation, Conversation.id == Message.conversation_id).where(
            Conversation.channel == channel
        )
    query = where_tag(query, Message.conversation_id, tag)
    query = query.order_by(Message.created_at.desc(), Message.seq.desc())
    if limit:
        query = query.limit(limit)
    found = []
    for conversation_id, created, custom in (await db.execute(query)).all():
        block = custom.get(wire.KNOWLEDGE) if isinstance(custom, dict) else None
        if isinstance(block, dict):
            found.append((str(conversation_id), created, block))
    return found


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def knowledge(
    db: AsyncSession, period: Period, channel: str | None, tag: int | None = None
) -> Json:
    totals: Counter[str] = Counter()
    days: DefaultDict[str, Counter[str]] = defaultdict(Counter)
    pages: Dict[str, Json] = {}
    for _conversation, created, block in await knowledge_blocks(db, period, channel, tag=tag):
        kind = kind_of(block)
        totals[kind] += 1
        days[period.day_of(created)][kind] += 1
        page_id = block.get("page_id")
        if kind != "abstentions" and page_id:
            page = pages.setdefault(
                str(page_id),
                {"page_id": str(page_id), "title": block.get("title") or str(page_id),
                 "url": block.get("url") or "", **dict.fromkeys(KINDS[:3], 0)},
            )  # fmt: skip
            page[kind] += 1
    top = sorted(pages.values(), key=lambda p: (-p["answers"], -p["helpful"], p["page_id"]))
    return {
        **{k: totals[k] for k in KINDS},
        "helpful_rate": rate(totals["helpful"], totals["helpful"] + totals["unhelpful"]),
        "answer_rate": rate(totals["answers"], totals["answers"] + totals["abstentions"]),
        "top_pages": top[:TOP_PAGES],
        "per_day": [{"day": d, **{k: days[d][k] for k in KINDS}} for d in period.day_list()],
    }
