"""Tags (issue 27.9): agents and supervisors tag the conversations and requests they may see, the bot
tags by topic (bot/hub/tags/auto.py), admins rename, colour and merge tags. The list of what carries a
tag is filtered like every list: a plain agent gets their teams' conversations and requests only."""

from __future__ import annotations

import re
from typing import Any, Dict

from aiohttp import web

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import sees_everything, sees_team_item
from bot.hub.history import view
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.states import AgentRole
from bot.hub.store.models import ConversationTag, Tag
from bot.hub.store.serialize import iso
from bot.hub.store.tags_repo import tag_json
from bot.hub.web.agent import SEC, current_agent, visible_conversation
from bot.hub.web.body import id_value, json_body, text_field
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import ID, INT, STR, Doc, nullable, obj, text_input

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
TAG_NAME = text_input(40)
COLOR_INPUT = {"type": "string", "pattern": COLOR.pattern}
TAG = obj(required=["id", "name", "color"], id=INT, name=STR, color=nullable(STR))
TAGS = {"type": "array", "items": TAG}


def tag_name_field(body: Dict[str, Any]) -> str:
    return text_field(body, "name", 40, label="Schlagwort") or ""


def path_id(request: web.Request, name: str) -> int:
    value = id_value(request.match_info[name])
    if value is None:
        raise NotFound("tag_not_found", "Dieses Schlagwort gibt es nicht.")
    return value


async def audit(request: web.Request, agent_id: int, action: str, target: str, detail: Any) -> None:
    await request.app[REPO].audit(agent_id, action, target, detail, client_address(request))


TAGS_DOC = Doc(
    "Every tag by name with its colour; supervisors and admins also get how many conversations and "
    "requests carry it",
    "agent",
    auth=SEC,
    response=obj(
        tags={
            "type": "array",
            "items": {
                **TAG,
                "properties": {
                    **TAG["properties"],
                    "conversations": nullable(INT),
                    "tickets": nullable(INT),
                },
            },
        }
    ),
    errors=[401],
)


async def tags(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    counts = sees_everything(agent.role)
    return web.json_response(
        {
            "tags": [
                {
                    **tag_json(t),
                    "conversations": c if counts else None,
                    "tickets": k if counts else None,
                }
                for t, c, k in await request.app[REPO].tags()
            ]
        }
    )


UPDATE_TAG_DOC = Doc(
    "Rename and/or colour a tag (admins only; 409 tag_exists: that name is another tag's - merge them)",
    "agent",
    auth=SEC,
    request=obj(name=nullable(TAG_NAME), color=nullable(COLOR_INPUT)),
    response=TAG,
    errors=[401, 403, 404, 409],
)


async def update_tag(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    name = text_field(body, "name", 40, required=False, label="Schlagwort")
    color = body.get("color")
    if color is not None and (not isinstance(color, str) or not COLOR.match(color)):
        raise InvalidInput("invalid_field", "'color' muss eine Farbe wie #1a7f37 sein.")
    tag_id = path_id(request, "tag_id")
    tag = await request.app[REPO].update_tag(tag_id, name, color)
    await audit(
        request, admin.id, Audit.TAG_CHANGED, f"tag:{tag.id}", {"name": name, "color": color}
    )
    return web.json_response(tag_json(tag))


MERGE_TAG_DOC = Doc(
    "Merge a tag into another (admins only): what carried it carries `into_id`, and the tag is gone",
    "agent",
    auth=SEC,
    request=obj(required=["into_id"], into_id=ID),
    response=TAG,
    errors=[401, 403, 404, 409],
)


async def merge_tag(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    into = id_value(body.get("into_id")) if isinstance(body.get("into_id"), int) else None
    if into is None:
        raise InvalidInput("invalid_field", "'into_id' muss eine Schlagwort-Nummer sein.")
    source = path_id(request, "tag_id")
    kept: Tag = await request.app[REPO].merge_tags(source, into)
    await audit(request, admin.id, Audit.TAG_MERGED, f"tag:{into}", {"merged": source})
    return web.json_response(tag_json(kept))


TAG_ITEMS_DOC = Doc(
    "The conversations and requests carrying a tag - of my teams only (supervisors and admins: all)",
    "agent",
    auth=SEC,
    response=obj(
        tag=TAG,
        conversations={"type": "array", "items": {"type": "object"}},
        ticket_ids={"type": "array", "items": INT},
    ),
    errors=[401, 404],
)


async def tag_items(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    repo = request.app[REPO]
    tag = await repo.tag(path_id(request, "tag_id"))
    mine = await request.app[QUEUE].team_filter(agent)
    rows = await repo.customer_rows(await repo.tagged_ids(ConversationTag, tag.id))
    shown = view.visible(rows, agent.role, mine)
    team = view.teams_of(shown)
    ticket_rows = await repo.list_tickets(None, "newest", tag_id=tag.id)
    return web.json_response(
        {
            "tag": tag_json(tag),
            "conversations": [
                {
                    "conversation_id": c.id,
                    "state": c.state,
                    "channel": c.channel,
                    "team": team[c.id],
                    "created_at": iso(c.created_at),
                }
                for c in shown.conversations
            ],
            "ticket_ids": [
                t.id for t, _ in ticket_rows if sees_team_item(agent.role, mine(t.team))
            ],
        }
    )


CONVERSATION_TAGS_DOC = Doc(
    "The tags of a conversation I may see",
    "agent",
    auth=SEC,
    response=obj(tags=TAGS),
    errors=[401, 403, 404],
)


async def conversation_tags(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await visible_conversation(request, agent)
    found = await request.app[REPO].tag_map(ConversationTag, [conv.id])
    return web.json_response({"tags": found[conv.id]})


ADD_CONVERSATION_TAG_DOC = Doc(
    "Tag a conversation I may see (a new name becomes a new tag)",
    "agent",
    auth=SEC,
    request=obj(required=["name"], name=TAG_NAME),
    response=obj(tags=TAGS),
    status=201,
    errors=[401, 403, 404],
)


async def add_conversation_tag(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    name = tag_name_field(await json_body(request))
    conv = await visible_conversation(request, agent)
    repo = request.app[REPO]
    tag = await repo.add_tag(ConversationTag, conv.id, name, agent.id)
    await audit(request, agent.id, Audit.TAGGED, conv.id, {"tag": tag.id})
    found = await repo.tag_map(ConversationTag, [conv.id])
    return web.json_response({"tags": found[conv.id]}, status=201)


REMOVE_CONVERSATION_TAG_DOC = Doc(
    "Take a tag off a conversation I may see",
    "agent",
    auth=SEC,
    response=obj(tags=TAGS),
    errors=[401, 403, 404],
)


async def remove_conversation_tag(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await visible_conversation(request, agent)
    repo = request.app[REPO]
    tag_id = id_value(request.match_info["tag_id"])
    if tag_id is None or not await repo.remove_tag(ConversationTag, conv.id, tag_id):
        raise NotFound("tag_not_found", "Das Gespräch trägt dieses Schlagwort nicht.")
    await audit(request, agent.id, Audit.UNTAGGED, conv.id, {"tag": tag_id})
    found = await repo.tag_map(ConversationTag, [conv.id])
    return web.json_response({"tags": found[conv.id]})
