"""The "Für mich" list in the agent API (issue 27.11): the notes that named me, newest first; mark one read."""

from __future__ import annotations

from aiohttp import web

from bot.hub.errors import NotFound
from bot.hub.keys.mentions import MENTIONS
from bot.hub.keys.store import REPO
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import id_value
from bot.hub.web.proxy import client_address
from bot.hub.web.reports import flag_of
from bot.hub.web.spec import BOOL, DATE_TIME, INT, STR, Doc, link, nullable, obj, param

MENTION = obj(
    required=["id", "conversation_id", "note_id", "text", "by_name", "created_at", "read_at"],
    id=INT,
    conversation_id=STR,
    note_id=INT,
    text={
        **nullable(STR),
        "description": "the note (shortened to 280 characters); null while the conversation is not "
        "mine to see",
    },
    visible={**BOOL, "description": "I may open the conversation now"},
    by_name=nullable(STR),
    created_at=DATE_TIME,
    read_at=nullable(DATE_TIME),
)

MENTIONS_DOC = Doc(
    "Für mich: internal notes that named me with @Name, newest first (at most 100); ?unread=true: unread only",
    "agent",
    auth=SEC,
    response=obj(required=["mentions"], mentions={"type": "array", "items": MENTION}),
    errors=[401, 422],
    parameters=[param("unread", "query", BOOL, required=False)],
    links={
        "ReadMention": link(
            "post_agent_mentions_mention_id_read",
            "Mark the first one read",
            mention_id="$response.body#/mentions/0/id",
        )
    },
)


async def mentions(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    unread = flag_of(request, "unread")
    found = await request.app[MENTIONS].of_agent(agent, unread)
    # internal notes read through the list: on record, as when a conversation is opened
    await request.app[REPO].audit(
        agent.id,
        "view_mentions",
        None,
        {"notes": [m["note_id"] for m in found if m["visible"]][:200]},
        client_address(request),
    )
    return web.json_response({"mentions": found}, headers={"Cache-Control": "no-store"})


READ_MENTION_DOC = Doc(
    "Mark one of my mentions read (my other consoles follow)",
    "agent",
    auth=SEC,
    response=obj(ok=BOOL),
    errors=[401, 404],
)


async def read_mention(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    number = id_value(request.match_info["mention_id"])
    if number is None:
        raise NotFound("mention_not_found", "Diese Erwähnung gibt es nicht.")
    await request.app[MENTIONS].mark_read(agent, number)
    return web.json_response({"ok": True})
