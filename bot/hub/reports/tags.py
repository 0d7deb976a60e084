"""Tags in the reports (issue 27.9): per tag, the conversations started in the period that carry it
(of one channel when given) and the requests recorded in it, most used first. With the tag filter,
the same over the conversations carrying that tag: which tags come with it (the tag itself among them)."""

from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.hub.reports.period import Period
from bot.hub.reports.scope import Scope, where_tag
from bot.hub.reports.sql import within
from bot.hub.store.models import Conversation, ConversationTag, Tag, Ticket, TicketTag

Json = Dict[str, Any]


async def tags(db: AsyncSession, period: Period, scope: Scope) -> Json:
    conversations = (
        select(ConversationTag.tag_id, func.count().label("n"))
        .join(Conversation, Conversation.id == ConversationTag.conversation_id)
        .where(within(Conversation.created_at, period))
    )
    if scope.channel:
        conversations = conversations.where(Conversation.channel == scope.channel)
    conversations = where_tag(conversations, Conversation.id, scope.tag)
    tickets = (
        select(TicketTag.tag_id, func.count().label("n"))
        .join(Ticket, Ticket.id == TicketTag.ticket_id)
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .where(within(Ticket.created_at, period))
    )
    if scope.channel:
        tickets = tickets.where(Conversation.channel == scope.channel)
    tickets = where_tag(tickets, Conversation.id, scope.tag)
    counted: Dict[int, Dict[str, int]] = {}
    for key, query, tag_id in (
        ("conversations", conversations, ConversationTag.tag_id),
        ("tickets", tickets, TicketTag.tag_id),
    ):
        for found, n in (await db.execute(query.group_by(tag_id))).all():
            counted.setdefault(int(found), {"conversations": 0, "tickets": 0})[key] = int(n)
    known = list(counted)
    names = {t.id: t for t in (await db.scalars(select(Tag).where(Tag.id.in_(known)))).all()}
    rows: List[Json] = [
        {"id": i, "name": names[i].name, "color": names[i].color, **n}
        for i, n in counted.items()
        if i in names
    ]
    rows.sort(key=lambda r: (-(r["conversations"] + r["tickets"]), r["name"].lower()))
    return {"tags": rows}
