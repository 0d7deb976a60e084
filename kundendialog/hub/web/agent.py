"""Agent-side API for the console: login, queue, claim, reply, notes, transfer, hand back, close."""

from __future__ import annotations

from typing import Any, Dict, List

from aiohttp import web

from kundendialog.core.errors import Conflict, InvalidInput, NotFound
from kundendialog.core.states import AgentRole, ConversationState, Sender
from kundendialog.hub.handoff.agents import create_agent
from kundendialog.hub.keys import AUTH, COMPANY, CONVERSATIONS, NOTIFIER, QUEUE, REPO, SETTINGS
from kundendialog.hub.notifier import AGENTS
from kundendialog.hub.store.models import Agent, Conversation, utcnow
from kundendialog.hub.store.serialize import conversation_json, handoff_json, iso, message_json, ticket_json
from kundendialog.hub.web.body import bearer, json_body, text_field
from kundendialog.hub.web.customer import pump
from kundendialog.hub.web.spec import INT, MESSAGE_REF, STR, Api, obj

api = Api()
SEC = "agentToken"
AGENT = obj(id=INT, name=STR, email=STR, role=STR, status=STR)


def agent_json(a: Agent) -> Dict[str, Any]:
    return {"id": a.id, "name": a.name, "email": a.email, "role": a.role, "status": a.status, "capacity": a.capacity}


async def current_agent(request: web.Request, role: str = "agent") -> Agent:
    return await request.app[AUTH].authenticate(bearer(request), role if role == AgentRole.ADMIN else None)


async def assigned_conversation(request: web.Request, agent: Agent) -> Conversation:
    """The conversation in the path, if this agent may act on it (assignee or admin)."""
    conv = await request.app[CONVERSATIONS].get(request.match_info["conversation_id"])
    if conv.state != ConversationState.AGENT or (conv.assigned_agent_id != agent.id and agent.role != AgentRole.ADMIN):
        raise Conflict("not_assigned", "Dieses Gespräch ist Ihnen nicht zugewiesen.")
    return conv


@api.route("POST", "/api/v1/agent/login", "Log in; returns a bearer token", "agent",
           request=obj(email=STR, password=STR), response=obj(token=STR, agent=AGENT), errors=[401, 415])
async def login(request: web.Request) -> web.Response:
    body = await json_body(request)
    email = text_field(body, "email", 200) or ""
    password = text_field(body, "password", 200) or ""
    token, agent = await request.app[AUTH].login(email, password)
    await request.app[QUEUE].broadcast()
    return web.json_response({"token": token, "agent": agent_json(agent)})


@api.route("POST", "/api/v1/agent/logout", "End this session", "agent", auth=SEC, response=obj(ok={"type": "boolean"}),
           errors=[401])
async def logout(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    await request.app[AUTH].set_status(agent, "offline")
    await request.app[AUTH].logout(bearer(request) or "")
    return web.json_response({"ok": True})


@api.route("GET", "/api/v1/agent/me", "The logged-in agent", "agent", auth=SEC, response=AGENT, errors=[401])
async def me(request: web.Request) -> web.Response:
    return web.json_response(agent_json(await current_agent(request)))


@api.route("POST", "/api/v1/agent/presence", "Set presence (online/away/offline); also a keep-alive", "agent",
           auth=SEC, request=obj(status=STR), response=AGENT, errors=[401])
async def presence(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    agent = await request.app[AUTH].set_status(agent, str(body.get("status") or ""))
    await request.app[QUEUE].broadcast()
    return web.json_response(agent_json(agent))


@api.route("GET", "/api/v1/agent/queue", "Waiting handoffs, urgent first, then first come", "agent", auth=SEC,
           response=obj(handoffs={"type": "array", "items": {"type": "object"}}), errors=[401])
async def queue(request: web.Request) -> web.Response:
    await current_agent(request)
    return web.json_response({"handoffs": await request.app[QUEUE].queue_json()})


@api.route("GET", "/api/v1/agent/agents", "Agents (for transfers)", "agent", auth=SEC,
           response=obj(agents={"type": "array", "items": AGENT}), errors=[401])
async def agents(request: web.Request) -> web.Response:
    await current_agent(request)
    return web.json_response({"agents": [agent_json(a) for a in await request.app[REPO].active_agents()]})


@api.route("POST", "/api/v1/agent/agents", "Create an agent account (admins only)", "agent", auth=SEC, status=201,
           request=obj(email=STR, name=STR, password=STR, role=STR), response=AGENT, errors=[401, 403, 409])
async def create_agent_route(request: web.Request) -> web.Response:
    await current_agent(request, AgentRole.ADMIN)
    body = await json_body(request)
    email, name = text_field(body, "email", 200) or "", text_field(body, "name", 120) or ""
    password, role = text_field(body, "password", 200) or "", str(body.get("role") or "agent")
    agent = await create_agent(request.app[REPO], email, name, password, role,
                               request.app[SETTINGS].default_agent_capacity)
    return web.json_response(agent_json(agent), status=201)


@api.route("GET", "/api/v1/agent/conversations", "Conversations assigned to me (admins: all in agent mode)",
           "agent", auth=SEC, response=obj(conversations={"type": "array", "items": {"type": "object"}}), errors=[401])
async def my_conversations(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    rows = await request.app[REPO].agent_conversations(None if agent.role == AgentRole.ADMIN else agent.id)
    return web.json_response({"conversations": [conversation_json(c) for c in rows]})


@api.route("GET", "/api/v1/agent/conversations/{conversation_id}", "Conversation with summary, transcript, notes",
           "agent", auth=SEC, response=obj(conversation={"type": "object"}, handoff={"type": "object"},
                                             messages={"type": "array", "items": MESSAGE_REF}), errors=[401, 404])
async def conversation_detail(request: web.Request) -> web.Response:
    await current_agent(request)
    app = request.app
    conv = await app[CONVERSATIONS].get(request.match_info["conversation_id"])
    handoff = await app[QUEUE].active_handoff(conv.id)
    messages: List[Dict[str, Any]] = []
    for m, name in await app[REPO].transcript(conv.id):
        if m.sender == Sender.BOT and not m.text and not m.buttons:
            continue  # the raw handoff payload: shown as the summary panel instead
        messages.append({**message_json(m, name), "intent": m.intent, "mood": m.mood})
    return web.json_response({
        "conversation": conversation_json(conv),
        "handoff": handoff_json(handoff, utcnow()) if handoff else None,
        "messages": messages,
        "notes": [{"id": n.id, "agent_name": name, "text": n.text, "created_at": iso(n.created_at)}
                  for n, name in await app[REPO].notes(conv.id)],
    })


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/claim", "Take a queued conversation (atomic)",
           "agent", auth=SEC, response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def claim(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await request.app[QUEUE].claim(agent, request.match_info["conversation_id"])
    return web.json_response({"conversation": conversation_json(conv)})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/messages", "Reply to the customer", "agent",
           auth=SEC, request=obj(text=STR), response=MESSAGE_REF, status=201, errors=[401, 404, 409])
async def reply(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = await assigned_conversation(request, agent)
    conversations = request.app[CONVERSATIONS]
    message = await conversations.post(conv, Sender.AGENT, text, agent=agent)
    conversations.background(conversations.log_agent_message(conv, agent, text))  # the customer must not wait for Rasa
    return web.json_response(message, status=201)


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/notes", "Internal note (never shown to the customer)",
           "agent", auth=SEC, request=obj(text=STR), status=201, errors=[401, 404])
async def note(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = await request.app[CONVERSATIONS].get(request.match_info["conversation_id"])
    row = await request.app[REPO].add_note(conv.id, agent.id, text)
    data = {"id": row.id, "agent_name": agent.name, "text": text, "created_at": iso(row.created_at)}
    await request.app[NOTIFIER].to_agents({"type": "note", "conversation_id": conv.id, "note": data})
    return web.json_response(data, status=201)


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/transfer", "Transfer to another agent", "agent",
           auth=SEC, request=obj(agent_id=INT), response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def transfer(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    target = body.get("agent_id")
    if not isinstance(target, int) or isinstance(target, bool):
        raise InvalidInput("invalid_field", "'agent_id' muss eine Zahl sein.")
    conv = await assigned_conversation(request, agent)
    conv = await request.app[QUEUE].transfer(conv, target)
    return web.json_response({"conversation": conversation_json(conv)})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/handback", "Hand back to the bot", "agent",
           auth=SEC, response=obj(messages={"type": "array", "items": MESSAGE_REF}), errors=[401, 404, 409])
async def handback(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    conv = await assigned_conversation(request, agent)
    messages = await request.app[QUEUE].hand_back(conv)
    return web.json_response({"messages": messages})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/close", "Close with a resolution", "agent",
           auth=SEC, request=obj(resolution=STR), response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def close(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    resolution = text_field(body, "resolution", 1000, required=False)
    conv = await assigned_conversation(request, agent)
    closed = await request.app[QUEUE].close(conv, resolution)
    return web.json_response({"conversation": conversation_json(closed)})


@api.route("GET", "/api/v1/agent/canned", "Canned replies from company.yml", "agent", auth=SEC,
           response=obj(canned={"type": "array", "items": obj(id=INT, title=STR, text=STR)}), errors=[401])
async def canned(request: web.Request) -> web.Response:
    await current_agent(request)
    items = request.app[COMPANY].raw.get("canned_replies") or []
    return web.json_response({"canned": [{"id": i, "title": c.get("title"), "text": c.get("text")}
                                         for i, c in enumerate(items, 1)]})


@api.route("GET", "/api/v1/agent/tickets", "Open requests (out of hours, callbacks)", "agent", auth=SEC,
           response=obj(tickets={"type": "array", "items": {"type": "object"}}), errors=[401])
async def tickets(request: web.Request) -> web.Response:
    await current_agent(request)
    return web.json_response({"tickets": [ticket_json(t) for t in await request.app[REPO].open_tickets()]})


@api.route("POST", "/api/v1/agent/tickets/{ticket_id}/close", "Mark a request as done", "agent", auth=SEC,
           response=obj(id=INT, status=STR), errors=[401, 404])
async def close_ticket(request: web.Request) -> web.Response:
    await current_agent(request)
    try:
        ticket_id = int(request.match_info["ticket_id"])
    except ValueError:
        raise NotFound("ticket_not_found", "Diese Anfrage gibt es nicht.") from None
    return web.json_response(ticket_json(await request.app[REPO].close_ticket(ticket_id)))


@api.route("GET", "/api/v1/agent/ws", "Websocket: queue, messages, conversations, tickets", "agent", auth=SEC,
           errors=[401])
async def agent_ws(request: web.Request) -> web.StreamResponse:
    await request.app[AUTH].authenticate(request.query.get("token"))
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    return await pump(request.app, ws, AGENTS, hello={"type": "queue", "handoffs": await request.app[QUEUE].queue_json()})
