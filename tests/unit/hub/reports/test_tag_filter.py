"""The reports' tag filter (issue 27.9) in every section and export, on SQLite and PostgreSQL.

On the hand-counted week of report_seed.py, C6 and C13 (the payment conversations) carry "Rechnung",
C1 carries another tag. Each section with ?tag= must (a) differ from the unfiltered section, which also
counts the untagged conversations, and (b) answer exactly what the unfiltered section answers once the
untagged conversations are gone: so nothing of another conversation leaks in, and nothing of a tagged
one is dropped. A few figures are counted by hand on top.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Dict, List

from sqlalchemy import delete, select

from bot.hub.keys.store import REPO
from bot.hub.reports.service import SECTIONS
from bot.hub.store.models import (
    Conversation,
    ConversationTag,
    Handoff,
    HandoffTransfer,
    Message,
    Ticket,
    TicketTag,
)
from bot.shared import wire
from tests.unit.hub.conftest import change
from tests.unit.hub.report_seed import PASSWORD, WEEK, seed, utc

WEEK_QUERY = f"from={WEEK}&days=7"
TAGGED = ("C6", "C13")


async def login(client) -> Dict[str, str]:
    resp = await client.post(
        "/api/v1/agent/login", json={"email": "sina@shop.de", "password": PASSWORD}
    )
    assert resp.status == 200, await resp.text()
    return {"Authorization": f"Bearer {(await resp.json())['token']}"}


async def get(client, path: str, headers: Dict[str, str]) -> Any:
    resp = await client.get(f"/api/v1/agent/reports/{path}", headers=headers)
    assert resp.status == 200, await resp.text()
    return await resp.json() if path.split("?")[0].split("/")[0] != "export" else await resp.text()


def knowledge_message(conversation_id: str, at: str, helpful: bool | None) -> Message:
    hit = {"page_id": "rechnung", "title": "Rechnung", "url": "/hilfe/rechnung"}
    custom = wire.knowledge("q1", hit, abstained=False, helpful=helpful)  # {"knowledge": block}
    return Message(
        id=f"{conversation_id}-k{at[-2:]}",
        conversation_id=conversation_id,
        sender="bot",
        text="Laut Hilfeseite …",
        buttons=[],
        custom=custom,
        created_at=utc(at),
    )


async def seeded_with_tags(client) -> int:
    repo = client.app[REPO]
    await seed(repo)
    tag = await repo.add_tag(ConversationTag, "C6", "Rechnung", None)
    await repo.add_tag(ConversationTag, "C13", "Rechnung", None)
    await repo.add_tag(ConversationTag, "C13", "Dringend", None)  # comes with Rechnung once
    await repo.add_tag(ConversationTag, "C1", "Anderes", None)  # untagged for the filter
    async with repo.sessions.begin() as db:
        db.add(knowledge_message("C6", "2026-11-20 15:00:07", True))  # tagged: helpful
        db.add(knowledge_message("C1", "2026-11-16 09:00:12", None))  # untagged: an answer
        db.add(knowledge_message("C1", "2026-11-16 09:00:13", False))  # untagged: unhelpful
        ticket = await db.scalar(select(Ticket.id).where(Ticket.conversation_id == "C13"))
    await repo.add_tag(TicketTag, ticket, "Rechnung", None)
    return tag.id


async def drop_untagged(client) -> None:
    """Everything of the conversations without the tag, children first (PostgreSQL checks keys)."""
    others = select(Conversation.id).where(Conversation.id.not_in(TAGGED))
    handoffs = select(Handoff.id).where(Handoff.conversation_id.in_(others))
    tickets = select(Ticket.id).where(Ticket.conversation_id.in_(others))
    for statement in (
        delete(TicketTag).where(TicketTag.ticket_id.in_(tickets)),
        delete(Ticket).where(Ticket.conversation_id.in_(others)),
        delete(HandoffTransfer).where(HandoffTransfer.handoff_id.in_(handoffs)),
        delete(Handoff).where(Handoff.conversation_id.in_(others)),
        delete(ConversationTag).where(ConversationTag.conversation_id.in_(others)),
        delete(Message).where(Message.conversation_id.in_(others)),
        delete(Conversation).where(Conversation.id.not_in(TAGGED)),
    ):
        await change(client, statement)


def without_filters(figures: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in figures.items() if k != "tag"}


async def test_every_section_counts_only_the_conversations_carrying_the_tag(client):
    tag = await seeded_with_tags(client)
    headers = await login(client)
    full, tagged = {}, {}
    for name in SECTIONS:
        full[name] = await get(client, f"{name}?{WEEK_QUERY}", headers)
        tagged[name] = await get(client, f"{name}?{WEEK_QUERY}&tag={tag}", headers)
        assert tagged[name]["tag"] == tag, name  # every section says it applied the filter
        assert without_filters(tagged[name]) != without_filters(full[name]), name  # narrowed

    # counted by hand from report_seed.py
    assert tagged["volume"]["conversations"]["total"] == 2
    assert tagged["volume"]["conversations"]["by_channel"] == {"webchat": 1, "whatsapp": 1}
    assert (
        tagged["queue"]["queued"] == 1 and tagged["queue"]["tickets"] == 1
    )  # C6 queued, C13 a ticket
    assert [a["name"] for a in tagged["agents"]["agents"]] == ["Tom"]
    assert (tagged["knowledge"]["helpful"], tagged["knowledge"]["unhelpful"]) == (1, 0)
    assert (full["knowledge"]["helpful"], full["knowledge"]["unhelpful"]) == (1, 1)
    assert tagged["understanding"]["by_intent"][0]["intent"] == "payment_issue"
    rows = {r["name"]: (r["conversations"], r["tickets"]) for r in tagged["tags"]["tags"]}
    assert rows == {"Rechnung": (2, 1), "Dringend": (1, 0)}  # "Anderes" (C1) is not among them

    await drop_untagged(client)
    for name in SECTIONS:
        alone = await get(client, f"{name}?{WEEK_QUERY}", headers)
        assert without_filters(tagged[name]) == without_filters(alone), name


async def test_the_tag_filter_goes_with_the_channel_and_team_filters(client):
    tag = await seeded_with_tags(client)
    headers = await login(client)
    other_channel = await get(client, f"volume?{WEEK_QUERY}&tag={tag}&channel=telegram", headers)
    assert other_channel["conversations"]["total"] == 0  # C6 is webchat, C13 whatsapp
    whatsapp = await get(client, f"volume?{WEEK_QUERY}&tag={tag}&channel=whatsapp", headers)
    assert whatsapp["conversations"]["by_channel"] == {"whatsapp": 1}  # C13
    queue = await get(client, f"queue?{WEEK_QUERY}&tag={tag}&team=kundenservice", headers)
    assert (queue["team"], queue["tag"], queue["queued"], queue["tickets"]) == (
        "kundenservice",
        tag,
        1,
        1,
    )  # without teams in company.yml every handoff is the default team's


def csv_ids(text: str, column: str = "conversation_id") -> List[str]:
    return sorted({row[column] for row in csv.DictReader(io.StringIO(text))})


async def test_every_export_takes_the_tag(client):
    tag = await seeded_with_tags(client)
    headers = await login(client)
    # the SLA export holds handoffs that were queued (C13's became a ticket at once: no clock)
    for kind, expected in (("conversations", TAGGED), ("messages", TAGGED), ("sla", ("C6",))):
        everything = csv_ids(await get(client, f"export/{kind}.csv?{WEEK_QUERY}", headers))
        only = csv_ids(await get(client, f"export/{kind}.csv?{WEEK_QUERY}&tag={tag}", headers))
        assert set(expected) < set(everything), kind  # others were there to leave out
        assert only == sorted(expected), kind
