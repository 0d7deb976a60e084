"""SLAs in the agent API (issue 27.13): the targets per team (admins change them), the time left of
the conversations an agent sees, and the per-handoff CSV for the reports."""

from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from bot.hub.errors import InvalidInput
from bot.hub.handoff.visibility import can_see
from bot.hub.keys.config import COMPANY
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.sla import SLA
from bot.hub.keys.store import REPO
from bot.hub.reports.sla import CSV_COLUMNS, sla_rows
from bot.hub.sla.store import Clocked
from bot.hub.sla.targets import MAX_MINUTES
from bot.hub.states import AgentRole, ConversationState
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import json_body
from bot.hub.web.proxy import client_address
from bot.hub.web.reports import (
    CSV,
    EXPORT_TAG_PARAM,
    PARAMETERS,
    channel_of,
    period_of,
    stream_csv,
    supervisor,
    tag_of,
)
from bot.hub.web.spec import BOOL, DATE_TIME, INT, STR, Doc, nullable, obj

MINUTES = {"type": "integer", "minimum": 1, "maximum": MAX_MINUTES}
TARGET = obj(
    required=["team", "first_response_minutes", "resolution_minutes", "warn_percent", "source"],
    team=STR,
    first_response_minutes=nullable(INT),
    resolution_minutes=nullable(INT),
    warn_percent=INT,
    source={"type": "string", "enum": ["company.yml", "admin"]},
)
STANDING = nullable(
    obj(
        required=["state", "target_seconds", "elapsed_seconds", "left_seconds", "due_at", "paused"],
        state={"type": "string", "enum": ["running", "warning", "breached", "met", "missed"]},
        target_seconds=INT,
        elapsed_seconds={**INT, "description": "business seconds so far"},
        left_seconds={**INT, "description": "negative: past the target"},
        due_at=nullable(DATE_TIME),
        paused={**BOOL, "description": "the team is closed now: the clock stands still"},
    )
)


def minutes(body: Dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_MINUTES:
        raise InvalidInput(
            "invalid_field",
            f"'{name}' ist eine ganze Zahl von 1 bis {MAX_MINUTES} (Minuten) oder null.",
        )
    return value * 60


TARGETS_DOC = Doc(
    "SLA targets per team in business minutes (company.yml `sla`, or an admin's)",
    "sla",
    auth=SEC,
    response=obj(required=["targets"], targets={"type": "array", "items": TARGET}),
    errors=[401],
)


async def targets(request: web.Request) -> web.Response:
    await current_agent(request)
    found = await request.app[SLA].targets()
    order = request.app[QUEUE].teams.order
    return web.json_response({"targets": [found[key].json() for key in order]})


SET_TARGET_DOC = Doc(
    "Set a team's SLA targets (admins): business minutes to the first agent reply and to close or "
    "hand-back (null: none), and from which share left the console warns",
    "sla",
    auth=SEC,
    request=obj(
        required=["first_response_minutes", "resolution_minutes"],
        first_response_minutes=nullable(MINUTES),
        resolution_minutes=nullable(MINUTES),
        warn_percent={"type": "integer", "minimum": 1, "maximum": 90, "default": 20},
    ),
    response=TARGET,
    errors=[401, 403, 404],
)


async def set_target(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    for name in ("first_response_minutes", "resolution_minutes"):
        if name not in body:
            raise InvalidInput("missing_field", f"'{name}' fehlt (null: kein Ziel).")
    first, resolution = minutes(body, "first_response_minutes"), minutes(body, "resolution_minutes")
    warn = body.get("warn_percent", 20)
    if isinstance(warn, float) and warn.is_integer():
        warn = int(warn)
    if not isinstance(warn, int) or isinstance(warn, bool) or not 1 <= warn <= 90:
        raise InvalidInput("invalid_field", "'warn_percent' ist eine ganze Zahl von 1 bis 90.")
    target = await request.app[SLA].set_target(
        request.match_info["team"], first, resolution, warn, admin.id
    )
    await request.app[REPO].audit(
        admin.id, "sla_target", f"team:{target.team}", target.json(), client_address(request)
    )
    return web.json_response(target.json())


ACTIVE_DOC = Doc(
    "Time left against the SLA for the waiting conversations and those with an agent that I may see "
    "(my teams' queues and my conversations; supervisors and admins: all)",
    "sla",
    auth=SEC,
    response=obj(
        required=["conversations"],
        conversations={
            "type": "array",
            "items": obj(
                required=["conversation_id", "team", "first_response", "resolution"],
                conversation_id=STR,
                handoff_id=INT,
                team=STR,
                queued_at=DATE_TIME,
                first_response=STANDING,
                resolution=STANDING,
            ),
        },
    ),
    errors=[401],
)


async def active(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    mine = await request.app[QUEUE].team_filter(agent)

    def visible(item: Clocked) -> bool:
        if not can_see(agent.id, agent.role, item.conversation_state, item.assigned_agent_id):
            return False
        return item.conversation_state != ConversationState.QUEUED or mine(item.team)

    return web.json_response(
        {"conversations": await request.app[SLA].active(visible)},
        headers={"Cache-Control": "no-store"},
    )


EXPORT_SLA_DOC = Doc(
    "CSV, one row per handoff queued in the period: team, first reply and end, their targets, business "
    "seconds and state; ?tag= a tag id: only handoffs of conversations carrying it (supervisors and "
    "admins; audit-logged)",
    "reports",
    auth=SEC,
    response=CSV,
    media_type="text/csv",
    errors=[401, 403, 422],
    parameters=[*PARAMETERS, EXPORT_TAG_PARAM],
)


async def export_sla(request: web.Request) -> web.StreamResponse:
    agent = await supervisor(request)
    period, channel = period_of(request), channel_of(request)
    company = request.app[COMPANY]

    def rows(sessions: Any, p: Any, c: Any, t: Any) -> Any:
        return sla_rows(sessions, p, c, company, t)

    return await stream_csv(
        request, agent, "sla", CSV_COLUMNS, rows, period, channel, tag_of(request)
    )
