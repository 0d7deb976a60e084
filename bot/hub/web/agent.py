"""Agent-side API for the console: login, queue, claim, reply, notes, transfer, hand back, close;
account lifecycle (password, two-factor, log out everywhere), administration and the audit log.

Visibility (bot.hub.handoff.visibility.can_see): agents see the queue, their own
conversations and those with an open ticket of their teams; supervisors and admins see everything. With
teams (company.yml `teams:`), an agent sees the queues and requests of their own teams only
(HandoffQueue.agent_teams); bot/hub/web/ticket_access.py applies the same rule to the requests.
"""

from __future__ import annotations

from typing import Any, Dict, List

from aiohttp import web

from bot.hub.accounts.agents import ENROLMENT_CODE_HOURS, MIN_PASSWORD, create_agent
from bot.hub.errors import AuthenticationFailed, Conflict, InvalidInput, MalformedRequest, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import FrameFilter, may_act, sees_everything
from bot.hub.keys.agents import AUTH
from bot.hub.keys.config import COMPANY, SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.mentions import MENTIONS
from bot.hub.keys.push import NOTIFIER
from bot.hub.keys.store import REPO
from bot.hub.notifier import AGENTS
from bot.hub.states import AgentRole, ConversationState, Sender, values
from bot.hub.store.models import Agent, Conversation, ConversationTag, utcnow
from bot.hub.store.serialize import conversation_json, handoff_json, iso, message_json, ticket_json
from bot.hub.web import ticket_access
from bot.hub.web.body import bearer, id_value, json_body, text_field
from bot.hub.web.live_frames import from_agent
from bot.hub.web.proxy import client_address
from bot.hub.web.sockets import CloseSocket, pump
from bot.hub.web.spec import (
    DATE_TIME,
    ID,
    INT,
    MAX_TEXT,
    MESSAGE_REF,
    STR,
    TICKET,
    Doc,
    nullable,
    obj,
    param,
    text_input,
)

SEC = "agentToken"
BOOL = {"type": "boolean"}
AUDITED_IDS = 200  # ids named in one audit entry of a list read
AGENT = obj(
    id=INT, name=STR, email=STR, role=STR, status=STR, capacity=INT, active=BOOL, two_factor=BOOL
)
OK = obj(ok=BOOL)
NOTE = obj(
    required=["id", "agent_name", "text", "created_at"],
    id=INT,
    agent_name=STR,
    text=STR,
    created_at=DATE_TIME,
)


# The agent list as plain agents get it (for transfers): names, no e-mail addresses (issue 23.8).
LISTED_AGENT = obj(
    required=["id", "name", "role", "status"],
    id=INT,
    name=STR,
    email={**STR, "description": "supervisors and admins only"},
    role=STR,
    status=STR,
    capacity=INT,
    active=BOOL,
    two_factor=BOOL,
)


def agent_json(a: Agent, email: bool = True) -> Dict[str, Any]:
    shown = {
        "id": a.id,
        "name": a.name,
        "email": a.email,
        "role": a.role,
        "status": a.status,
        "capacity": a.capacity,
        "active": a.active,
        "two_factor": a.totp_enabled,
    }
    if not email:
        del shown["email"]
    return shown


async def current_agent(request: web.Request, role: str = "agent") -> Agent:
    return await request.app[AUTH].authenticate(
        bearer(request), role if role != AgentRole.AGENT else None
    )


async def visible_conversation(request: web.Request, agent: Agent) -> Conversation:
    """The conversation in the path, if this agent may see it (403 otherwise)."""
    conv = await request.app[CONVERSATIONS].get(request.match_info["conversation_id"])
    await request.app[QUEUE].ensure_visible(agent, conv)
    return conv


async def assigned_conversation(request: web.Request, agent: Agent) -> Conversation:
    """The conversation in the path, if this agent may act on it (assignee, supervisor or admin)."""
    conv = await request.app[CONVERSATIONS].get(request.match_info["conversation_id"])
    if conv.state != ConversationState.AGENT or not may_act(agent, conv):
        raise Conflict("not_assigned", "Dieses Gespräch ist Ihnen nicht zugewiesen.")
    return conv


def path_int(request: web.Request, name: str) -> int:
    value = id_value(request.match_info[name])  # beyond INTEGER: a 500 on PostgreSQL, so 404 here
    if value is None:
        raise NotFound("agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
    return value


def query_int(
    request: web.Request, name: str, default: int | None = None, low: int = 1, high: int = 2**31 - 1
) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("invalid_field", f"'{name}' muss eine Zahl sein.") from None
    if not low <= value <= high:
        raise InvalidInput("invalid_field", f"'{name}' muss zwischen {low} und {high} liegen.")
    return value


LOGIN_DOC = Doc(
    "Log in; returns a bearer token. With two-factor on, send `otp` too (401 otp_required without it)",
    "agent",
    request=obj(
        required=["email", "password"],
        email=text_input(200),
        password=text_input(200),
        otp=nullable(text_input(20)),
    ),
    response=obj(token=STR, agent=AGENT, two_factor_setup_required=BOOL),
    errors=[401, 415, 429],
)


async def login(request: web.Request) -> web.Response:
    body = await json_body(request)
    email = text_field(body, "email", 200) or ""
    password = text_field(body, "password", 200) or ""
    otp = text_field(body, "otp", 20, required=False)
    result = await request.app[AUTH].login(email, password, otp, client_address(request))
    if not result.setup_required:
        await request.app[QUEUE].presence_changed()
    return web.json_response(
        {
            "token": result.token,
            "agent": agent_json(result.agent),
            "two_factor_setup_required": result.setup_required,
        }
    )


LOGOUT_DOC = Doc(
    "End this session (its websockets close)",
    "agent",
    auth=SEC,
    response=OK,
    errors=[401],
)


async def logout(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    agent = await auth.authenticate(bearer(request), allow_setup=True)
    await auth.set_status(agent, "offline")
    await auth.logout(bearer(request) or "", agent, client_address(request))
    await request.app[QUEUE].presence_changed()
    return web.json_response({"ok": True})


LOGOUT_ALL_DOC = Doc(
    "End every session of mine, on every device",
    "agent",
    auth=SEC,
    response=obj(ok=BOOL, sessions=INT),
    errors=[401],
)


async def logout_all(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    agent = await auth.authenticate(bearer(request), allow_setup=True)
    ended = await auth.logout_everywhere(agent, client_address(request))
    await request.app[QUEUE].broadcast()
    return web.json_response({"ok": True, "sessions": ended})


ME_DOC = Doc(
    "The logged-in agent",
    "agent",
    auth=SEC,
    response=obj(
        id=INT,
        name=STR,
        email=STR,
        role=STR,
        status=STR,
        two_factor=BOOL,
        two_factor_setup_required=BOOL,
    ),
    errors=[401],
)


async def me(request: web.Request) -> web.Response:
    session, agent = await request.app[AUTH].session(bearer(request), allow_setup=True)
    return web.json_response({**agent_json(agent), "two_factor_setup_required": session.setup_only})


CHANGE_PASSWORD_DOC = Doc(
    "Change my password (needs the old one); my other sessions end",
    "agent",
    auth=SEC,
    request=obj(
        required=["old_password", "new_password"],
        old_password=text_input(200),
        new_password=text_input(200, min_length=MIN_PASSWORD),
    ),
    response=obj(ok=BOOL, sessions_ended=INT),
    errors=[401, 403, 415, 429],
)


async def change_password(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    agent = await auth.authenticate(bearer(request))
    body = await json_body(request)
    old = text_field(body, "old_password", 200) or ""
    new = text_field(body, "new_password", 200) or ""
    ended = await auth.change_password(
        agent, bearer(request) or "", old, new, client_address(request)
    )
    return web.json_response({"ok": True, "sessions_ended": ended})


TOTP_ENROLL_DOC = Doc(
    "Start two-factor set-up: a new TOTP secret and otpauth URI. Needs the password; in the set-up session "
    "a login opens for admins under KD_ADMIN_2FA, the one-time `enrolment_code` another admin issued "
    "(POST /agent/agents/{agent_id}/2fa-enrolment-code) or `python -m bot create-agent` printed instead "
    "(403 enrolment_code_required / invalid_enrolment_code)",
    "agent",
    auth=SEC,
    request=obj(password=nullable(text_input(200)), enrolment_code=nullable(text_input(40))),
    request_required=False,
    response=obj(secret=STR, otpauth_uri=STR),
    errors=[401, 403, 409, 415, 429],
)


async def totp_enroll(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    session, agent = await auth.session(bearer(request), allow_setup=True)
    body = await json_body(request) if request.can_read_body else {}
    password = text_field(body, "password", 200, required=False)
    code = text_field(body, "enrolment_code", 40, required=False)
    secret, uri = await auth.enroll_totp(agent, session, password, client_address(request), code)
    return web.json_response({"secret": secret, "otpauth_uri": uri})


TOTP_CONFIRM_DOC = Doc(
    "Finish two-factor set-up with a code from the app",
    "agent",
    auth=SEC,
    request=obj(required=["code"], code=text_input(20)),
    response=AGENT,
    errors=[401, 409, 415],
)


async def totp_confirm(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    session, agent = await auth.session(bearer(request), allow_setup=True)
    body = await json_body(request)
    code = text_field(body, "code", 20) or ""
    agent = await auth.confirm_totp(agent, session, code, client_address(request))
    return web.json_response(agent_json(agent))


TOTP_DISABLE_DOC = Doc(
    "Turn two-factor off (password and a current code); ends the other sessions",
    "agent",
    auth=SEC,
    request=obj(required=["password", "code"], password=text_input(200), code=text_input(20)),
    response=AGENT,
    errors=[401, 403, 409, 415, 429],
)


async def totp_disable(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    agent = await auth.authenticate(bearer(request))
    body = await json_body(request)
    password, code = text_field(body, "password", 200) or "", text_field(body, "code", 20) or ""
    agent = await auth.disable_totp(
        agent, bearer(request) or "", password, code, client_address(request)
    )
    return web.json_response(agent_json(agent))


PRESENCE_DOC = Doc(
    "Set presence (online/away/offline); also a keep-alive",
    "agent",
    auth=SEC,
    request=obj(
        required=["status"], status={"type": "string", "enum": ["online", "away", "offline"]}
    ),
    response=AGENT,
    errors=[401],
)


async def presence(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    agent = await request.app[AUTH].set_status(agent, str(body.get("status") or ""))
    await request.app[QUEUE].presence_changed()
    return web.json_response(agent_json(agent))


QUEUE_DOC = Doc(
    "Waiting handoffs of my teams, urgent first, then first come",
    "agent",
    auth=SEC,
    response=obj(handoffs={"type": "array", "items": {"type": "object"}}),
    errors=[401],
)


async def queue(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    queue = request.app[QUEUE]
    return web.json_response({"handoffs": await queue.queue_json(await queue.agent_teams(agent))})


AGENTS_DOC = Doc(
    "Agents (for transfers): plain agents get names without e-mail addresses, supervisors and admins "
    "with them; admins add ?all=1 for deactivated ones too",
    "agent",
    auth=SEC,
    response=obj(agents={"type": "array", "items": LISTED_AGENT}),
    errors=[401],
)


async def agents(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    repo = request.app[REPO]
    everyone = request.query.get("all") == "1" and agent.role == AgentRole.ADMIN
    rows = await (repo.all_agents() if everyone else repo.active_agents())
    emails = sees_everything(agent.role)
    return web.json_response({"agents": [agent_json(a, emails) for a in rows]})


CREATE_AGENT_ROUTE_DOC = Doc(
    "Create an agent account (admins only)",
    "agent",
    auth=SEC,
    status=201,
    request=obj(
        required=["email", "name", "password"],
        email=text_input(200),
        name=text_input(120),
        password=text_input(200, min_length=MIN_PASSWORD),
        role=nullable({"type": "string", "enum": [*values(AgentRole), None], "default": "agent"}),
    ),
    response=AGENT,
    errors=[401, 403, 409, 415],
)


async def create_agent_route(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    email, name = text_field(body, "email", 200) or "", text_field(body, "name", 120) or ""
    password = text_field(body, "password", 200) or ""
    role = "agent" if body.get("role") is None else body["role"]  # anything else but a role: 422
    agent = await create_agent(
        request.app[REPO], email, name, password, role, request.app[SETTINGS].default_agent_capacity
    )
    await request.app[REPO].audit(
        admin.id,
        Audit.AGENT_CREATED,
        f"agent:{agent.id}",
        {"email": agent.email, "role": agent.role},
        client_address(request),
    )
    return web.json_response(agent_json(agent), status=201)


DEACTIVATE_AGENT_DOC = Doc(
    "Deactivate an account (admins only): its sessions end and its websockets close",
    "agent",
    auth=SEC,
    response=AGENT,
    errors=[401, 403, 404, 409],
)


async def deactivate_agent(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    agent = await request.app[AUTH].deactivate(
        admin, path_int(request, "agent_id"), client_address(request)
    )
    await request.app[QUEUE].broadcast()
    return web.json_response(agent_json(agent))


ACTIVATE_AGENT_DOC = Doc(
    "Re-activate an account (admins only)",
    "agent",
    auth=SEC,
    response=AGENT,
    errors=[401, 403, 404],
)


async def activate_agent(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    agent = await request.app[AUTH].activate(
        admin, path_int(request, "agent_id"), client_address(request)
    )
    return web.json_response(agent_json(agent))


SET_ROLE_DOC = Doc(
    "Change an account's role (admins only); the account's sessions end (it logs in anew in its role)",
    "agent",
    auth=SEC,
    request=obj(required=["role"], role={"type": "string", "enum": list(values(AgentRole))}),
    response=AGENT,
    errors=[401, 403, 404, 409, 415],
)


async def set_role(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    role = text_field(body, "role", 20) or ""
    agent = await request.app[AUTH].set_role(
        admin, path_int(request, "agent_id"), role, client_address(request)
    )
    await request.app[QUEUE].broadcast()  # it is offline now
    return web.json_response(agent_json(agent))


ENROLMENT_CODE_DOC = Doc(
    "Issue a one-time two-factor enrolment code for another account (admins only): with KD_ADMIN_2FA an "
    f"admin without two-factor enrols with it after logging in; valid {ENROLMENT_CODE_HOURS} hours, a new "
    "one replaces it",
    "agent",
    auth=SEC,
    status=201,
    response=obj(required=["code", "expires_at"], code=STR, expires_at=DATE_TIME),
    errors=[401, 403, 404, 409],
)


async def enrolment_code(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    code, expires_at = await request.app[AUTH].issue_enrolment_code(
        admin, path_int(request, "agent_id"), client_address(request)
    )
    return web.json_response({"code": code, "expires_at": iso(expires_at)}, status=201)


AUDIT_ENTRY = obj(
    id=INT,
    created_at=DATE_TIME,
    agent_id=nullable(INT),
    agent_name=nullable(STR),
    action=STR,
    target=nullable(STR),
    detail={"type": "object"},
    ip=nullable(STR),
)
AUDIT_QUERY = [
    param(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        required=False,
    ),
    param(
        "before_id", "query", ID, required=False, description="next_before_id of the previous page"
    ),
    param("agent_id", "query", ID, required=False),
    param("action", "query", {"type": "string", "maxLength": 40}, required=False),
]


AUDIT_LOG_DOC = Doc(
    "Audit log, newest first (admins only); ?limit=1..200, ?before_id= for the next page, ?agent_id=, ?action=",
    "agent",
    auth=SEC,
    response=obj(entries={"type": "array", "items": AUDIT_ENTRY}, next_before_id=nullable(INT)),
    errors=[401, 403, 422],
    parameters=AUDIT_QUERY,
)


async def audit_log(request: web.Request) -> web.Response:
    await current_agent(request, AgentRole.ADMIN)
    limit = query_int(request, "limit", 50, 1, 200) or 50
    action = request.query.get("action") or None
    if action is not None and len(action) > 40:
        raise InvalidInput("invalid_field", "'action' ist zu lang.")
    rows = await request.app[REPO].audit_entries(
        limit, query_int(request, "before_id"), query_int(request, "agent_id"), action
    )
    entries = [
        {
            "id": e.id,
            "created_at": iso(e.created_at),
            "agent_id": e.agent_id,
            "agent_name": name,
            "action": e.action,
            "target": e.target,
            "detail": e.detail or {},
            "ip": e.ip,
        }
        for e, name in rows
    ]
    return web.json_response(
        {"entries": entries, "next_before_id": entries[-1]["id"] if len(entries) == limit else None}
    )


MY_CONVERSATIONS_DOC = Doc(
    "Conversations assigned to me (supervisors and admins: all in agent mode)",
    "agent",
    auth=SEC,
    response=obj(conversations={"type": "array", "items": {"type": "object"}}),
    errors=[401],
)


async def my_conversations(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    rows = await request.app[REPO].agent_conversations(
        None if sees_everything(agent.role) else agent.id
    )
    tags = await request.app[REPO].tag_map(ConversationTag, [c.id for c in rows])
    return web.json_response(  # tags: shown and filtered in "Meine Gespräche" (issue 27.9)
        {"conversations": [{**conversation_json(c), "tags": tags[c.id]} for c in rows]}
    )


CONVERSATION_DETAIL_DOC = Doc(
    "Conversation with summary, transcript, notes",
    "agent",
    auth=SEC,
    response=obj(
        conversation={"type": "object"},
        handoff=nullable({"type": "object"}),
        messages={"type": "array", "items": MESSAGE_REF},
        notes={"type": "array", "items": NOTE},
    ),
    errors=[401, 403, 404],
)


async def conversation_detail(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    app = request.app
    conv = await visible_conversation(request, agent)
    notes = await app[REPO].notes(conv.id)
    # the internal notes read with it are named
    await app[REPO].audit(
        agent.id,
        Audit.VIEW_CONVERSATION,
        conv.id,
        {"state": conv.state, "notes": [n.id for n, _name in notes][:AUDITED_IDS]},
        client_address(request),
    )
    handoff = await app[QUEUE].active_handoff(conv.id)
    messages: List[Dict[str, Any]] = []
    for m, name in await app[REPO].transcript(conv.id):
        if m.sender == Sender.BOT and not m.text and not m.buttons:
            continue  # the raw handoff payload: shown as the summary panel instead
        messages.append({**message_json(m, name), "intent": m.intent, "mood": m.mood})
    return web.json_response(
        {
            "conversation": conversation_json(conv),
            "handoff": handoff_json(handoff, utcnow()) if handoff else None,
            "messages": messages,
            "notes": [
                {"id": n.id, "agent_name": name, "text": n.text, "created_at": iso(n.created_at)}
                for n, name in notes
            ],
        }
    )


CLAIM_DOC = Doc(
    "Take a queued conversation (atomic; only from my teams' queues)",
    "agent",
    auth=SEC,
    response=obj(conversation={"type": "object"}),
    errors=[401, 403, 404, 409],
)


async def claim(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await request.app[QUEUE].claim(agent, request.match_info["conversation_id"])
    await request.app[REPO].audit(agent.id, Audit.CLAIM, conv.id, None, client_address(request))
    return web.json_response({"conversation": conversation_json(conv)})


REPLY_DOC = Doc(
    "Reply to the customer",
    "agent",
    auth=SEC,
    request=obj(required=["text"], text=text_input(MAX_TEXT)),
    response=MESSAGE_REF,
    status=201,
    errors=[401, 404, 409],
)


async def reply(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = await assigned_conversation(request, agent)
    conversations = request.app[CONVERSATIONS]
    message = await conversations.post(conv, Sender.AGENT, text, agent=agent)
    conversations.background(
        conversations.log_agent_message(conv, agent, text)
    )  # the customer must not wait for Rasa
    return web.json_response(message, status=201)


NOTE_DOC = Doc(
    "Internal note (never shown to the customer)",
    "agent",
    auth=SEC,
    request=obj(required=["text"], text=text_input(MAX_TEXT)),
    response=NOTE,
    status=201,
    errors=[401, 403, 404],
)


async def note(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = await visible_conversation(request, agent)
    row = await request.app[REPO].add_note(conv.id, agent.id, text)
    await request.app[REPO].audit(
        agent.id, Audit.NOTE_ADDED, conv.id, {"note": row.id}, client_address(request)
    )
    data = {"id": row.id, "agent_name": agent.name, "text": text, "created_at": iso(row.created_at)}
    await request.app[NOTIFIER].to_agents(
        {"type": "note", "conversation_id": conv.id, "note": data}
    )
    data["mentions"] = await request.app[MENTIONS].on_note(row, agent)  # @Name (issue 27.11)
    return web.json_response(data, status=201)


TRANSFER_DOC = Doc(
    "Transfer to another agent",
    "agent",
    auth=SEC,
    request=obj(required=["agent_id"], agent_id=ID),
    response=obj(conversation={"type": "object"}),
    errors=[401, 404, 409],
)


async def transfer(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    target = body.get("agent_id")
    if (
        not isinstance(target, int) or id_value(target) is None
    ):  # beyond INTEGER: a 500 on PostgreSQL
        raise InvalidInput("invalid_field", "'agent_id' muss eine Mitarbeiter-Nummer sein.")
    conv = await assigned_conversation(request, agent)
    conv = await request.app[QUEUE].transfer(conv, target)
    return web.json_response({"conversation": conversation_json(conv)})


HANDBACK_DOC = Doc(
    "Hand back to the bot",
    "agent",
    auth=SEC,
    response=obj(messages={"type": "array", "items": MESSAGE_REF}),
    errors=[401, 404, 409],
)


async def handback(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await assigned_conversation(request, agent)
    messages = await request.app[QUEUE].hand_back(conv)
    return web.json_response({"messages": messages})


CLOSE_DOC = Doc(
    "Close with a resolution",
    "agent",
    auth=SEC,
    request=obj(resolution=nullable(text_input(1000))),
    response=obj(conversation={"type": "object"}),
    errors=[401, 404, 409],
)


async def close(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    resolution = text_field(body, "resolution", 1000, required=False, label="Ergebnis")
    conv = await assigned_conversation(request, agent)
    closed = await request.app[QUEUE].close(conv, resolution)
    return web.json_response({"conversation": conversation_json(closed)})


CANNED_DOC = Doc(
    "Canned replies from company.yml; `text` in Sie, `text_du` for customers "
    "who write du (null: the same text)",
    "agent",
    auth=SEC,
    response=obj(
        canned={"type": "array", "items": obj(id=INT, title=STR, text=STR, text_du=nullable(STR))}
    ),
    errors=[401],
)


async def canned(request: web.Request) -> web.Response:
    await current_agent(request)
    items = request.app[COMPANY].raw.get("canned_replies") or []
    return web.json_response(
        {
            "canned": [
                {"id": i, "title": c.get("title"), "text": c.get("text"), "text_du": c.get("du")}
                for i, c in enumerate(items, 1)
            ]
        }
    )


# The request list (filters, sorting, assignee, tags): web/tickets_routes.py (issue 27.7).


CLOSE_TICKET_DOC = Doc(
    "Mark an open request of my teams as done (supervisors and admins: any); who closed it is stored "
    "(403 another team's request, 409 ticket_done: done already)",
    "agent",
    auth=SEC,
    response=TICKET,
    errors=[401, 403, 404, 409],
)


async def close_ticket(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    ticket = await ticket_access.ticket_for(request, agent, "close", open_only=True)
    try:
        closed = await request.app[REPO].close_ticket(ticket.id, agent.id)
    except Conflict as done:  # closed by someone else a moment ago
        await ticket_access.refused(request, agent, ticket.id, "close", done)
        raise
    await ticket_access.audit(request, agent, Audit.TICKET_CLOSED, closed.id, {"team": closed.team})
    data = ticket_json(closed)
    await request.app[NOTIFIER].to_agents({"type": "ticket", "ticket": data})  # off their lists
    return web.json_response(data)


WS_TICKET_DOC = Doc(
    "A single-use websocket ticket (valid ~30 s) for GET /api/v1/agent/ws?ticket=...",
    "agent",
    auth=SEC,
    status=201,
    response=obj(ticket=STR, expires_in=INT),
    errors=[401, 403],
)


async def ws_ticket(request: web.Request) -> web.Response:
    auth = request.app[AUTH]
    ticket = await auth.ws_ticket(bearer(request))
    return web.json_response(
        {"ticket": ticket, "expires_in": auth.settings.ws_ticket_seconds}, status=201
    )


AGENT_WS_DOC = Doc(
    "Websocket (?ticket= from POST /api/v1/agent/ws-ticket): queue, messages, conversations, tickets, "
    "presence, the customer's typing and read state, who else views or replies in a conversation "
    '("viewing"), my mentions ("mention", "mention_read") - only what this agent may see; closed (code '
    '4001) when the session ends. Send {"type": "typing"|"read", "conversation_id"[, "seq"]} for your '
    'assigned conversation, {"type": "viewing", "conversation_id", "replying"|"left": true} for one '
    "you may see",
    "agent",
    status=101,
    errors=[400, 401],
    parameters=[
        param(
            "ticket",
            "query",
            STR,
            description="Single-use ticket from POST /api/v1/agent/ws-ticket",
        )
    ],
)


async def agent_ws(request: web.Request) -> web.StreamResponse:
    app, auth = request.app, request.app[AUTH]
    ticket = request.query.get("ticket")
    if not ticket:
        raise AuthenticationFailed(
            "unauthenticated", "Websocket-Ticket fehlt (POST /api/v1/agent/ws-ticket)."
        )
    ws = web.WebSocketResponse(heartbeat=25)
    if not ws.can_prepare(request).ok:  # not an upgrade: keep the ticket unused
        raise MalformedRequest("not_websocket", "Hier ist nur eine Websocket-Verbindung möglich.")
    agent, session_hash = await auth.redeem(ticket)
    visible = FrameFilter(app[REPO], agent)
    visible.teams = await app[QUEUE].agent_teams(agent)
    visible.team_of = lambda key: app[QUEUE].teams.get(key).key
    await visible.seed()
    if visible.teams is not None:
        await visible(
            {"type": "queue", "handoffs": await app[QUEUE].queue_json()}
        )  # learns the other teams' waiting

    async def session_alive() -> bool:
        current = await auth.socket_agent(session_hash)
        if current is None:
            return False
        visible.agent = current  # a changed role applies at once
        return True

    async def frames(frame: Dict[str, Any]) -> Dict[str, Any] | None:
        if frame.get("type") == "_recheck":
            if frame.get("agent_id") in (agent.id, None) and not await session_alive():
                raise CloseSocket(4001, "session ended")
            return None
        return await visible(frame)

    async def hello() -> Dict[str, Any]:
        return {"type": "queue", "handoffs": await app[QUEUE].queue_json(visible.teams)}

    await ws.prepare(request)
    return await pump(
        app,
        ws,
        AGENTS,
        hello=hello,
        frames=frames,
        check=session_alive,
        check_every=app[SETTINGS].agent_ws_recheck_seconds,
        incoming=from_agent(app, agent),
    )
