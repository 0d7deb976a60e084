"""The customer history panel (issue 27.12): the open conversation's customer - recognised only by a
verified e-mail or their messenger account (bot/hub/store/history_repo.py) - with their earlier
conversations, requests and the orders named in them; an earlier transcript; merging two
conversations of the customer. A plain agent gets their teams' conversations and requests only
(bot/hub/history/view.py); every read and merge is audited."""

from __future__ import annotations

from typing import Any, Dict, List

from aiohttp import web

from bot.hub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import may_act
from bot.hub.history import view
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.states import ConversationState, Sender
from bot.hub.store.history_repo import CustomerRows, Identity
from bot.hub.store.models import Agent, Conversation, ConversationTag
from bot.hub.store.serialize import conversation_json, message_json
from bot.hub.web.agent import AUDITED_IDS, SEC, current_agent, visible_conversation
from bot.hub.web.body import json_body
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import BOOL, MESSAGE_REF, STR, Doc, nullable, obj

ARRAY = {"type": "array", "items": {"type": "object"}}
HISTORY = obj(
    required=["customer", "conversations", "tickets", "orders"],
    customer=obj(
        recognised=BOOL,
        by={"type": "array", "items": {"type": "string", "enum": ["email", "messenger"]}},
        emails={"type": "array", "items": STR},
        messenger=nullable(STR),
    ),
    conversations=ARRAY,
    tickets=ARRAY,
    orders=ARRAY,
)


def customer_json(who: Identity) -> Dict[str, Any]:
    by: List[str] = (["email"] if who.emails else []) + (["messenger"] if who.messenger else [])
    return {
        "recognised": who.known,
        "by": by,
        "emails": list(who.emails),
        "messenger": who.messenger[0] if who.messenger else None,
    }


async def customer_history(
    request: web.Request, agent: Agent, conv: Conversation
) -> tuple[Identity, CustomerRows]:
    repo = request.app[REPO]
    who = await repo.identity(conv)
    ids = set(await repo.conversations_of(who)) if who.known else set()
    rows = await repo.customer_rows(sorted(ids | {conv.id}))
    mine = await request.app[QUEUE].team_filter(agent)
    return who, view.visible(rows, agent.role, mine, keep=conv.id)


async def history_response(
    request: web.Request, agent: Agent, conv: Conversation
) -> Dict[str, Any]:
    who, shown = await customer_history(request, agent, conv)
    tags = await request.app[REPO].tag_map(ConversationTag, [c.id for c in shown.conversations])
    await request.app[REPO].audit(
        agent.id,
        Audit.VIEW_HISTORY,
        conv.id,
        {
            "conversations": [c.id for c in shown.conversations][:AUDITED_IDS],
            "tickets": [t.id for t in shown.tickets][:AUDITED_IDS],
        },
        client_address(request),
    )
    return {"customer": customer_json(who), **view.history_json(shown, conv.id, tags)}


HISTORY_DOC = Doc(
    "The customer of a conversation I may see: their earlier conversations (with team, topic, tags and "
    "merges), requests and the orders named in them - recognised only by a verified e-mail or their "
    "messenger account, never by an address they typed; of my teams only (supervisors and admins: all)",
    "agent",
    auth=SEC,
    response=HISTORY,
    errors=[401, 403, 404],
)


async def history(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await visible_conversation(request, agent)
    return web.json_response(await history_response(request, agent, conv))


async def earlier(request: web.Request, agent: Agent, conv: Conversation, other_id: Any) -> str:
    """`other_id` if it is one of this customer's conversations the agent may see (404 / 403)."""
    if not isinstance(other_id, str) or not other_id or len(other_id) > 40:
        raise InvalidInput("invalid_field", "'conversation_id' muss eine Gesprächs-Nummer sein.")
    _who, shown = await customer_history(request, agent, conv)
    if other_id not in {c.id for c in shown.conversations}:
        repo = request.app[REPO]
        if other_id in set(await repo.conversations_of(await repo.identity(conv))):
            raise PermissionDenied("not_visible", "Dieses Gespräch ist für Sie nicht freigegeben.")
        raise NotFound("not_in_history", "Dieses Gespräch gehört nicht zu diesem Kunden.")
    return other_id


TRANSCRIPT_DOC = Doc(
    "The transcript of one of the customer's earlier conversations (from the history panel)",
    "agent",
    auth=SEC,
    response=obj(conversation={"type": "object"}, messages={"type": "array", "items": MESSAGE_REF}),
    errors=[401, 403, 404, 422],
)


async def transcript(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await visible_conversation(request, agent)
    other = await earlier(request, agent, conv, request.match_info["other_id"])
    repo = request.app[REPO]
    await repo.audit(
        agent.id, Audit.VIEW_HISTORY, other, {"from": conv.id}, client_address(request)
    )
    shown = await repo.conversation(other)
    messages = [
        message_json(m, name)
        for m, name in await repo.transcript(other)
        if m.sender != Sender.BOT or m.text or m.buttons
    ]
    return web.json_response(
        {"conversation": conversation_json(shown) if shown else None, "messages": messages}
    )


MERGE_DOC = Doc(
    "Merge another conversation of the same recognised customer into this one (I may act on this "
    "one and see the other; the other is with the bot or closed): both transcripts stay, the other "
    "is shown under this one from now on, and the audit log names both (409 merge_active, "
    "already_merged, merge_chain)",
    "agent",
    auth=SEC,
    request=obj(required=["conversation_id"], conversation_id={"type": "string", "maxLength": 40}),
    response=HISTORY,
    errors=[401, 403, 404, 409],
)


async def merge(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    conv = await visible_conversation(request, agent)
    if conv.state == ConversationState.AGENT and not may_act(agent, conv):
        raise Conflict("not_assigned", "Dieses Gespräch ist Ihnen nicht zugewiesen.")
    other = await earlier(request, agent, conv, body.get("conversation_id"))
    if other == conv.id:
        raise Conflict(
            "merge_self", "Ein Gespräch kann nicht mit sich selbst zusammengeführt werden."
        )
    repo = request.app[REPO]
    source = await repo.conversation(other)
    if source is None or source.state in (ConversationState.QUEUED, ConversationState.AGENT):
        raise Conflict(
            "merge_active",
            "Das andere Gespräch wartet oder wird betreut – schließen Sie es zuerst ab.",
        )
    await repo.merge_conversations(other, conv.id, agent.id)
    ip = client_address(request)
    await repo.audit(agent.id, Audit.CONVERSATION_MERGED, conv.id, {"merged": other}, ip)
    await repo.audit(agent.id, Audit.CONVERSATION_MERGED, other, {"into": conv.id}, ip)
    return web.json_response(await history_response(request, agent, conv))
