"""Macros in the agent API (issue 27.10): list and search, create, change, delete; preview and apply
one to a conversation. The service (bot/hub/macros/service.py) decides who may do what."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from aiohttp import web

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.macros import MACROS
from bot.hub.keys.store import REPO
from bot.hub.macros.service import MacroDraft, search
from bot.hub.macros.template import PATTERN, VARIABLES, variables_in
from bot.hub.web.agent import SEC, assigned_conversation, current_agent, visible_conversation
from bot.hub.web.body import id_value, json_body, text_field
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import (
    BOOL,
    DATE_TIME,
    INT,
    MAX_TEXT,
    MESSAGE_REF,
    STR,
    Doc,
    link,
    nullable,
    obj,
    param,
    text_input,
)

ACTION_PATTERN = r"^(close|handback|transfer_team:[A-Za-z0-9_-]{1,40})$"
TEMPLATE = {
    "type": "string",
    "pattern": PATTERN,
    "maxLength": MAX_TEXT,
    "description": "Variables: {customer_name}, {order}, {team}, {agent}; {{ and }} for a brace",
}
TAGS = {"type": "array", "items": text_input(40), "maxItems": 10}
MACRO = obj(
    required=["id", "title", "text", "tags", "action", "scope", "team", "variables"],
    id=INT,
    title=STR,
    text=STR,
    text_du=nullable(STR),
    tags={"type": "array", "items": STR},
    action=nullable(STR),
    scope={"type": "string", "enum": ["personal", "team"]},
    team=nullable(STR),
    team_name=nullable(STR),
    variables={"type": "array", "items": STR},
    canned=BOOL,
    updated_at=DATE_TIME,
)
MACRO_BODY = obj(
    required=["title", "text"],
    title=text_input(120),
    text={**TEMPLATE, "description": "In Sie. " + TEMPLATE["description"]},
    text_du=nullable({**TEMPLATE, "description": "In du (null: the Sie text)"}),
    tags=TAGS,
    action=nullable(
        {
            "type": "string",
            "pattern": ACTION_PATTERN,
            "description": "close, handback or transfer_team:<team key>",
        }
    ),
    scope={
        "type": "string",
        "enum": ["personal", "team"],
        "description": "personal (default): only mine; team: shared (supervisors and admins)",
    },
    team=nullable({**text_input(40), "description": "A shared macro's team (null: every team)"}),
)
MACRO_ID = "macro_id"


def macro_id(request: web.Request) -> int:
    value = id_value(request.match_info[MACRO_ID])
    if value is None:
        raise NotFound("macro_not_found", "Dieses Makro gibt es nicht (oder es ist nicht für Sie).")
    return value


def template(body: Dict[str, Any], name: str, limit: int, required: bool = True) -> str | None:
    value = text_field(body, name, limit, required=required)
    if value is not None:
        variables_in(value, name)
    return value


def draft_of(body: Dict[str, Any], limit: int) -> MacroDraft:
    title = text_field(body, "title", 120) or ""
    text = template(body, "text", limit) or ""
    text_du = template(body, "text_du", limit, required=False)
    raw_tags = body.get("tags", [])
    if not isinstance(raw_tags, list) or len(raw_tags) > 10:
        raise InvalidInput("invalid_field", "'tags' muss eine Liste mit höchstens 10 Tags sein.")
    tags: List[str] = list(
        dict.fromkeys(text_field({"t": t}, "t", 40, label="tags") or "" for t in raw_tags)
    )
    action = body.get("action")
    if action is not None and (
        not isinstance(action, str) or not re.fullmatch(ACTION_PATTERN, action)
    ):
        raise InvalidInput(
            "invalid_action", "'action' ist close, handback oder transfer_team:<Team-Schlüssel>."
        )
    kind, _, action_team = (action or "").partition(":")
    scope = body.get("scope", "personal")
    if scope not in ("personal", "team"):
        raise InvalidInput("invalid_field", "'scope' ist personal oder team.")
    team = text_field(body, "team", 40, required=False)
    return MacroDraft(
        title, text, text_du, tags, kind or None, action_team or None, scope == "personal", team
    )


async def audit(
    request: web.Request, agent_id: int, action: str, macro: int, detail: Any = None
) -> None:
    await request.app[REPO].audit(
        agent_id, action, f"macro:{macro}", detail, client_address(request)
    )


LIST_MACROS_DOC = Doc(
    "My macros and my teams' shared ones (incl. the canned replies of company.yml), by title; ?q= "
    "searches title and text",
    "macros",
    auth=SEC,
    response=obj(
        required=["macros", "variables"],
        macros={"type": "array", "items": MACRO},
        variables={"type": "array", "items": STR},
    ),
    errors=[401, 422],
    parameters=[param("q", "query", {"type": "string", "maxLength": 100}, required=False)],
)


async def list_macros(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    query = request.query.get("q")
    if query is not None and len(query) > 100:
        raise InvalidInput("invalid_field", "'q' ist länger als 100 Zeichen.")
    service = request.app[MACROS]
    found = search(await service.usable(agent), query)
    return web.json_response(
        {"macros": [service.json(m) for m in found], "variables": list(VARIABLES)}
    )


CREATE_MACRO_DOC = Doc(
    "Create a macro: personal, or shared with a team (supervisors and admins); an unknown variable "
    "is refused (422 unknown_variable), an unknown team is 404 team_not_found",
    "macros",
    auth=SEC,
    request=MACRO_BODY,
    response=MACRO,
    status=201,
    errors=[401, 403, 404],
    links={
        "GetMacro": link("get_agent_macros_macro_id", "The macro", macro_id="$response.body#/id"),
        "ChangeMacro": link(
            "put_agent_macros_macro_id", "Change it", macro_id="$response.body#/id"
        ),
        "DeleteMacro": link(
            "delete_agent_macros_macro_id", "Delete it", macro_id="$response.body#/id"
        ),
    },
)


async def create_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    draft = draft_of(await json_body(request), request.app[SETTINGS].max_text_length)
    service = request.app[MACROS]
    macro = await service.create(agent, draft)
    await audit(
        request,
        agent.id,
        "macro_created",
        macro.id,
        {"scope": "personal" if draft.personal else "team"},
    )
    return web.json_response(service.json(macro), status=201)


GET_MACRO_DOC = Doc("One macro I may use", "macros", auth=SEC, response=MACRO, errors=[401, 404])


async def get_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    service = request.app[MACROS]
    return web.json_response(service.json(await service.usable_one(agent, macro_id(request))))


UPDATE_MACRO_DOC = Doc(
    "Change a macro (mine; shared ones: supervisors and admins); personal stays personal (409 "
    "macro_scope_fixed)",
    "macros",
    auth=SEC,
    request=MACRO_BODY,
    response=MACRO,
    errors=[401, 403, 404, 409],
)


async def update_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    draft = draft_of(await json_body(request), request.app[SETTINGS].max_text_length)
    service = request.app[MACROS]
    macro = await service.update(agent, macro_id(request), draft)
    await audit(request, agent.id, "macro_changed", macro.id)
    return web.json_response(service.json(macro))


DELETE_MACRO_DOC = Doc(
    "Delete a macro (mine; shared ones: supervisors and admins); a deleted canned reply is not imported again",
    "macros",
    auth=SEC,
    response=obj(ok=BOOL),
    errors=[401, 403, 404],
)


async def delete_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    number = macro_id(request)
    await request.app[MACROS].delete(agent, number)
    await audit(request, agent.id, "macro_deleted", number)
    return web.json_response({"ok": True})


PREVIEW = obj(
    required=["macro_id", "register", "text", "missing"],
    macro_id=INT,
    register={"type": "string", "enum": ["sie", "du"]},
    text=STR,
    missing={
        "type": "array",
        "items": STR,
        "description": "variables without a value here (left empty)",
    },
)
PREVIEW_MACRO_DOC = Doc(
    "A macro's text for this conversation: in its register (Sie or du), variables filled",
    "macros",
    auth=SEC,
    response=PREVIEW,
    errors=[401, 403, 404],
)


async def preview_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await visible_conversation(request, agent)
    service = request.app[MACROS]
    macro = await service.usable_one(agent, macro_id(request))
    return web.json_response(await service.preview(agent, conv, macro))


APPLY_MACRO_DOC = Doc(
    "Apply a macro to my conversation in one step: send its text (or `text`, the agent's edit of it), "
    "set its tags, run its action (close, handback, transfer_team). 409 macro_variable_missing when a "
    "variable has no value here and no `text` is given; 409 not_assigned",
    "macros",
    auth=SEC,
    request=obj(
        text=nullable(text_input(MAX_TEXT, description="The text to send instead of the macro's"))
    ),
    request_required=False,
    response=obj(
        required=["message", "tags", "action", "conversation"],
        message=MESSAGE_REF,
        tags={"type": "array", "items": STR},
        tags_applied=BOOL,
        action=nullable(STR),
        conversation={"type": "object"},
    ),
    errors=[401, 403, 404, 409],
)


async def apply_macro(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request) if request.can_read_body else {}
    edited = text_field(body, "text", request.app[SETTINGS].max_text_length, required=False)
    service = request.app[MACROS]
    macro = await service.usable_one(agent, macro_id(request))
    conv = await assigned_conversation(request, agent)
    result = await service.apply(agent, conv, macro, edited)
    await audit(
        request,
        agent.id,
        "macro_applied",
        macro.id,
        {"conversation": conv.id, "action": result["action"]},
    )
    return web.json_response(result)
