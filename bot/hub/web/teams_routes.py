"""Teams in the console: the teams with their queues and hours, memberships (admins), transfer to a team."""

from __future__ import annotations

from datetime import datetime, timezone

from aiohttp import web

from bot.hub.errors import InvalidInput
from bot.hub.handoff.audit import Audit
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.states import AgentRole
from bot.hub.store.serialize import conversation_json
from bot.hub.web.agent import SEC, assigned_conversation, current_agent, path_int
from bot.hub.web.body import json_body, text_field
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import BOOL, INT, STR, Doc, nullable, obj, text_input
from bot.shared.calendar import next_available_text

TEAM = obj(
    key=STR,
    name=STR,
    auto_assign=BOOL,
    topics={"type": "array", "items": STR},
    hours_text=STR,
    default=BOOL,
    open=BOOL,
    next_available=nullable(STR),
    waiting=INT,
    online=INT,
)
KEYS = {"type": "array", "items": STR}


TEAMS_DOC = Doc(
    "Teams (Abteilungen) with waiting conversations, agents online and when each is next available; "
    "`mine`: the teams whose queues I see; `members`: agent id -> team keys",
    "agent",
    auth=SEC,
    response=obj(
        configured=BOOL,
        teams={"type": "array", "items": TEAM},
        mine=KEYS,
        members={"type": "object", "additionalProperties": KEYS},
    ),
    errors=[401],
)


async def teams(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    queue = request.app[QUEUE]
    now = datetime.now(timezone.utc)
    waiting = await queue.positions()
    out = []
    for team in queue.teams.all():
        opening = team.calendar.next_opening(now)
        is_open = team.calendar.is_open(now)
        out.append(
            {
                **team.json(),
                "default": team.key == queue.teams.default_key,
                "open": is_open,
                "next_available": None
                if is_open or opening is None
                else next_available_text(opening, now),
                "waiting": sum(1 for info in waiting.values() if info["team"] == team.key),
                "online": await queue.online_in(team),
            }
        )
    mine = await queue.agent_teams(agent)
    members = {
        str(k): queue.teams.member_keys(v)
        for k, v in (await request.app[REPO].memberships()).items()
    }
    return web.json_response(
        {
            "configured": queue.teams.configured,
            "teams": out,
            "mine": mine if mine is not None else queue.teams.order,
            "members": members,
        }
    )


SET_AGENT_TEAMS_DOC = Doc(
    "Set the teams an agent belongs to (admins only; an empty list: the default team)",
    "agent",
    auth=SEC,
    request=obj(
        required=["teams"], teams={"type": "array", "items": text_input(40), "maxItems": 50}
    ),
    response=obj(agent_id=INT, teams=KEYS),
    errors=[401, 403, 404],
)


async def set_agent_teams(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    agent_id = path_int(request, "agent_id")
    body = await json_body(request)
    keys = body.get("teams")
    if not isinstance(keys, list) or len(keys) > 50:
        raise InvalidInput("invalid_field", "'teams' muss eine Liste von Team-Schlüsseln sein.")
    queue = request.app[QUEUE]
    chosen = queue.teams.validate([text_field({"t": k}, "t", 40) for k in keys])
    await request.app[REPO].set_agent_teams(agent_id, chosen)
    await request.app[REPO].audit(
        admin.id, Audit.AGENT_TEAMS, f"agent:{agent_id}", {"teams": chosen}, client_address(request)
    )
    await queue.broadcast()
    return web.json_response({"agent_id": agent_id, "teams": queue.teams.member_keys(chosen)})


TRANSFER_TEAM_DOC = Doc(
    "Transfer to a team: back into that team's queue (keeping the time waited); the customer is told",
    "agent",
    auth=SEC,
    request=obj(required=["team"], team=text_input(40)),
    response=obj(conversation={"type": "object"}),
    errors=[401, 404, 409],
)


async def transfer_team(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    team = text_field(body, "team", 40) or ""
    conv = await assigned_conversation(request, agent)
    conv = await request.app[QUEUE].transfer_to_team(conv, team)
    return web.json_response({"conversation": conversation_json(conv)})
