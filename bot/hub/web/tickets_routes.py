"""Requests (tickets) as agents work them (issue 27.7): the list with filters and sorting, an assignee,
status moves, taking one over into a chat, and tags on a request.

A request's number is its id: the customer was told "Vorgangsnummer <id>". Every route reaches only the
requests of the agent's teams (bot/hub/web/ticket_access.py, audited); the list filters the same way
(bot.hub.handoff.visibility.sees_team_item).
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from aiohttp import web

from bot.hub.errors import InvalidInput, NotFound, PermissionDenied
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import sees_everything, sees_team_item
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.push import NOTIFIER
from bot.hub.keys.store import REPO
from bot.hub.states import TicketStatus, values
from bot.hub.store.models import Agent, Conversation, Ticket, TicketTag, utcnow
from bot.hub.store.serialize import conversation_json, iso, ticket_json
from bot.hub.tickets.grouping import groups
from bot.hub.tickets.status import SORTS, STATUS_FILTERS
from bot.hub.tickets.takeover import Windows, reachable, take_over
from bot.hub.web import ticket_access
from bot.hub.web.agent import AUDITED_IDS, SEC, current_agent, query_int
from bot.hub.web.body import id_value, json_body
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import BOOL, DATE_TIME, ID, INT, STR, TICKET, Doc, nullable, obj, param
from bot.hub.web.tags_routes import TAG, TAG_NAME, tag_name_field

TAGS = {"type": "array", "items": TAG}
TICKET_CARD = {
    **TICKET,
    "properties": {
        **TICKET["properties"],
        "number": {**INT, "description": 'the "Vorgangsnummer" the customer was told'},
        "assignee_id": nullable(INT),
        "assignee_name": nullable(STR),
        "closed_by_name": nullable(STR),
        "status_changed_at": nullable(DATE_TIME),
        "tags": TAGS,
        "group": nullable(
            obj(
                key=STR,
                count=INT,
                ticket_ids={"type": "array", "items": INT},
            )
        ),
        "channel": nullable(STR),
        "reachable": {
            **BOOL,
            "description": "the customer wrote recently enough to be reached in the chat",
        },
    },
}


async def cards(
    request: web.Request, rows: Sequence[Tuple[Ticket, Conversation | None]]
) -> List[Dict[str, Any]]:
    repo = request.app[REPO]
    tickets = [t for t, _ in rows]
    names = await repo.agent_names(
        [t.assignee_id for t in tickets if t.assignee_id]
        + [t.closed_by for t in tickets if t.closed_by]
    )
    tags = await repo.tag_map(TicketTag, [t.id for t in tickets])
    grouped = groups(rows)
    now = utcnow()
    windows = Windows.from_settings(request.app[SETTINGS])
    return [
        {
            **ticket_json(t),
            "number": t.id,
            "assignee_id": t.assignee_id,
            "assignee_name": names.get(t.assignee_id) if t.assignee_id else None,
            "closed_by_name": names.get(t.closed_by) if t.closed_by else None,
            "status_changed_at": iso(t.status_changed_at),
            "tags": tags.get(t.id, []),
            "group": grouped.get(t.id),
            "channel": conv.channel if conv else None,
            "reachable": reachable(conv, now, windows),
        }
        for t, conv in rows
    ]


async def card(request: web.Request, ticket: Ticket) -> Dict[str, Any]:
    conv = await request.app[REPO].conversation(ticket.conversation_id)
    return (await cards(request, [(ticket, conv)]))[0]


async def publish(request: web.Request, data: Dict[str, Any]) -> None:
    """Other consoles update the card (only the team's members get it: FrameFilter)."""
    await request.app[NOTIFIER].to_agents({"type": "ticket", "ticket": data})


TICKETS_DOC = Doc(
    "Requests (out of hours, callbacks) of my teams (supervisors and admins: all), at most 500: "
    "?status= open | waiting | done | reopened | active (not done; the default) | all, ?team=, "
    "?assignee= an agent id | me | none, ?tag= a tag id, ?sort= oldest (default) | newest | due "
    "(waiting longest for the team first). `group`: repeated requests of one verified customer about "
    "one order or topic; `mail_enabled`: requests can be answered by e-mail",
    "agent",
    auth=SEC,
    response=obj(tickets={"type": "array", "items": TICKET_CARD}, mail_enabled=BOOL),
    errors=[401, 422],
    parameters=[
        param("status", "query", {"type": "string", "enum": list(STATUS_FILTERS)}, required=False),
        param("team", "query", {"type": "string", "maxLength": 40}, required=False),
        param(
            "assignee",
            "query",
            {"type": "string", "pattern": "^(me|none|[1-9][0-9]{0,9})$"},
            required=False,
        ),
        param("tag", "query", ID, required=False),
        param("sort", "query", {"type": "string", "enum": list(SORTS)}, required=False),
    ],
)


def choice(request: web.Request, name: str, allowed: Sequence[str], default: str) -> str:
    value = request.query.get(name, default)  # given but empty: not one of them (422)
    if value not in allowed:
        raise InvalidInput(
            "invalid_field", f"'{name}' muss einer dieser Werte sein: {', '.join(allowed)}."
        )
    return value


def assignee_filter(request: web.Request, agent: Agent) -> Tuple[int | None, bool]:
    raw = request.query.get("assignee")
    if raw is None or raw == "none":
        return None, raw == "none"
    if raw == "me":
        return agent.id, False
    value = id_value(raw)
    if value is None:
        raise InvalidInput(
            "invalid_field", "'assignee' muss me, none oder eine Mitarbeiter-Nummer sein."
        )
    return value, False


async def tickets(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    status = choice(request, "status", list(STATUS_FILTERS), "active")
    sort = choice(request, "sort", SORTS, "oldest")
    team = request.query.get("team") or None
    if team is not None and len(team) > 40:
        raise InvalidInput("invalid_field", "'team' ist zu lang.")
    assignee, unassigned = assignee_filter(request, agent)
    queue = request.app[QUEUE]
    mine = await queue.team_filter(agent)
    rows = await request.app[REPO].list_tickets(
        STATUS_FILTERS[status], sort, assignee, unassigned, query_int(request, "tag")
    )
    found = [
        (t, c)
        for t, c in rows
        if sees_team_item(agent.role, mine(t.team))
        and (team is None or queue.teams.get(t.team).key == team)
    ]
    # contacts, notes and summaries of customers: on record
    await request.app[REPO].audit(
        agent.id,
        Audit.VIEW_TICKETS,
        None,
        {"count": len(found), "ids": [t.id for t, _ in found][:AUDITED_IDS]},
        client_address(request),
    )
    return web.json_response(
        {
            "tickets": await cards(request, found),
            "mail_enabled": request.app[SETTINGS].mail_enabled,
        }
    )


ASSIGN_DOC = Doc(
    "Set who works on a request of my teams (null: nobody). Plain agents take it themselves or give "
    "it up; supervisors and admins assign anyone (409 ticket_done: done already)",
    "agent",
    auth=SEC,
    request=obj(required=["agent_id"], agent_id=nullable(ID)),
    response=TICKET_CARD,
    errors=[401, 403, 404, 409],
)


async def assign(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    raw = body.get("agent_id", ...)
    target = None if raw is None else id_value(raw) if isinstance(raw, int) else None
    if raw is ... or (raw is not None and target is None):
        raise InvalidInput(
            "invalid_field", "'agent_id' muss eine Mitarbeiter-Nummer oder null sein."
        )
    ticket = await ticket_access.ticket_for(request, agent, "assign")
    if not sees_everything(agent.role) and target not in (None, agent.id):
        raise PermissionDenied(
            "assign_others", "Nur die Teamleitung kann Anfragen anderen Mitarbeitern zuweisen."
        )
    if (
        not sees_everything(agent.role)
        and target is None
        and ticket.assignee_id not in (None, agent.id)
    ):
        raise PermissionDenied(
            "assign_others", "Nur die Teamleitung kann die Anfrage eines Kollegen freigeben."
        )
    ticket = await request.app[REPO].assign_ticket(ticket.id, target)
    await ticket_access.audit(
        request, agent, Audit.TICKET_ASSIGNED, ticket.id, {"assignee": target}
    )
    data = await card(request, ticket)
    await publish(request, data)
    return web.json_response(data)


STATUS_DOC = Doc(
    "Move a request of my teams to another status: open -> waiting (for the customer) or done; "
    "waiting -> open or done; done -> reopened; reopened -> waiting or done. Audited with both "
    "statuses (409 invalid_transition)",
    "agent",
    auth=SEC,
    request=obj(required=["status"], status={"type": "string", "enum": list(values(TicketStatus))}),
    response=TICKET_CARD,
    errors=[401, 403, 404, 409],
)


async def set_status(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    target = body.get("status")
    if target not in values(TicketStatus):
        raise InvalidInput(
            "invalid_field",
            f"'status' muss einer dieser Werte sein: {', '.join(values(TicketStatus))}.",
        )
    ticket = await ticket_access.ticket_for(request, agent, "status")
    ticket, before = await request.app[REPO].move_ticket(ticket.id, str(target), agent.id)
    await ticket_access.audit(
        request, agent, Audit.TICKET_STATUS, ticket.id, {"from": before, "to": target}
    )
    data = await card(request, ticket)
    await publish(request, data)
    return web.json_response(data)


TAKE_OVER_DOC = Doc(
    "Take a request of my teams over: when its customer can still be reached in the chat (wrote in "
    "the last 30 minutes in the web chat, 24 hours on a messenger) the conversation is mine at once "
    "(`mode` chat; the customer is told); otherwise it stays a request, assigned to me (`mode` "
    "ticket). 409 when another agent has the conversation, capacity_reached when I am full",
    "agent",
    auth=SEC,
    response=obj(
        required=["mode", "conversation", "ticket", "message"],
        mode={"type": "string", "enum": ["chat", "ticket"]},
        conversation={"type": "object"},
        ticket=TICKET_CARD,
        message=STR,
    ),
    errors=[401, 403, 404, 409],
)
TAKE_OVER_MESSAGES = {
    "chat": "Sie betreuen das Gespräch jetzt selbst – der Kunde wurde informiert.",
    "ticket": "Der Kunde ist im Chat gerade nicht erreichbar. Die Anfrage ist Ihnen zugewiesen; "
    "antworten Sie über den hinterlegten Kontakt.",
}


async def take_over_route(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    ticket = await ticket_access.ticket_for(request, agent, "take_over", open_only=True)
    done = await take_over(
        request.app[QUEUE],
        request.app[REPO],
        agent,
        ticket,
        utcnow(),
        Windows.from_settings(request.app[SETTINGS]),
    )
    await ticket_access.audit(
        request, agent, Audit.TICKET_TAKEN_OVER, ticket.id, {"mode": done.mode}
    )
    data = await card(request, done.ticket)
    await publish(request, data)
    return web.json_response(
        {
            "mode": done.mode,
            "conversation": conversation_json(done.conversation),
            "ticket": data,
            "message": TAKE_OVER_MESSAGES[done.mode],
        }
    )


ADD_TICKET_TAG_DOC = Doc(
    "Tag a request of my teams (a new name becomes a new tag)",
    "agent",
    auth=SEC,
    request=obj(required=["name"], name=TAG_NAME),
    response=TICKET_CARD,
    errors=[401, 403, 404],
)


async def add_ticket_tag(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    name = tag_name_field(await json_body(request))
    ticket = await ticket_access.ticket_for(request, agent, "tag")
    tag = await request.app[REPO].add_tag(TicketTag, ticket.id, name, agent.id)
    await ticket_access.audit(request, agent, Audit.TAGGED, ticket.id, {"tag": tag.id})
    data = await card(request, ticket)
    await publish(request, data)
    return web.json_response(data)


REMOVE_TICKET_TAG_DOC = Doc(
    "Take a tag off a request of my teams",
    "agent",
    auth=SEC,
    response=TICKET_CARD,
    errors=[401, 403, 404],
)


async def remove_ticket_tag(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    ticket = await ticket_access.ticket_for(request, agent, "untag")
    tag_id = id_value(request.match_info["tag_id"])
    if tag_id is None or not await request.app[REPO].remove_tag(TicketTag, ticket.id, tag_id):
        raise NotFound("tag_not_found", "Die Anfrage trägt dieses Schlagwort nicht.")
    await ticket_access.audit(request, agent, Audit.UNTAGGED, ticket.id, {"tag": tag_id})
    data = await card(request, ticket)
    await publish(request, data)
    return web.json_response(data)
