"""Agent-side API for the console: login, queue, claim, reply, notes, transfer, hand back, close."""

from __future__ import annotations

from typing import Any, Dict, List

from aiohttp import web
from sqlalchemy import select

from bot.keys import AUTH, HUB, QUEUE, SETTINGS
from bot.store.models import Agent, Conversation, Message, Note, Ticket, utcnow
from bot.store.serialize import conversation_json, handoff_json, iso, message_json, ticket_json
from bot.web.customer import bearer, pump
from bot.web.errors import ApiError, json_body, text_field
from bot.web.spec import INT, MESSAGE_REF, STR, Api, obj

api = Api()
SEC = "agentToken"
AGENT = obj(id=INT, name=STR, email=STR, role=STR, status=STR)


def agent_json(a: Agent) -> Dict[str, Any]:
    return {"id": a.id, "name": a.name, "email": a.email, "role": a.role, "status": a.status, "capacity": a.capacity}


def current_agent(request: web.Request, role: str = "agent") -> Agent:
    return request.app[AUTH].authenticate(bearer(request), role if role == "admin" else None)


def assigned_conversation(request: web.Request, agent: Agent) -> Conversation:
    """The conversation in the path, if this agent may act on it (assignee or admin)."""
    conv = request.app[HUB].get(request.match_info["conversation_id"])
    if conv.state != "agent" or (conv.assigned_agent_id != agent.id and agent.role != "admin"):
        raise ApiError(409, "not_assigned", "Dieses Gespräch ist Ihnen nicht zugewiesen.")
    return conv


@api.route("POST", "/api/v1/agent/login", "Log in; returns a bearer token", "agent",
           request=obj(email=STR, password=STR), response=obj(token=STR, agent=AGENT), errors=[401, 415])
async def login(request: web.Request) -> web.Response:
    body = await json_body(request)
    email = text_field(body, "email", 200) or ""
    password = text_field(body, "password", 200) or ""
    token, agent = request.app[AUTH].login(email, password)
    await request.app[QUEUE].broadcast()
    return web.json_response({"token": token, "agent": agent_json(agent)})


@api.route("POST", "/api/v1/agent/logout", "End this session", "agent", auth=SEC, response=obj(ok={"type": "boolean"}),
           errors=[401])
async def logout(request: web.Request) -> web.Response:
    agent = current_agent(request)
    request.app[AUTH].set_status(agent, "offline")
    request.app[AUTH].logout(bearer(request) or "")
    return web.json_response({"ok": True})


@api.route("GET", "/api/v1/agent/me", "The logged-in agent", "agent", auth=SEC, response=AGENT, errors=[401])
async def me(request: web.Request) -> web.Response:
    return web.json_response(agent_json(current_agent(request)))


@api.route("POST", "/api/v1/agent/presence", "Set presence (online/away/offline); also a keep-alive", "agent",
           auth=SEC, request=obj(status=STR), response=AGENT, errors=[401])
async def presence(request: web.Request) -> web.Response:
    agent = current_agent(request)
    body = await json_body(request)
    agent = request.app[AUTH].set_status(agent, str(body.get("status") or ""))
    await request.app[QUEUE].broadcast()
    return web.json_response(agent_json(agent))


@api.route("GET", "/api/v1/agent/queue", "Waiting handoffs, urgent first, then first come", "agent", auth=SEC,
           response=obj(handoffs={"type": "array", "items": {"type": "object"}}), errors=[401])
async def queue(request: web.Request) -> web.Response:
    current_agent(request)
    return web.json_response({"handoffs": request.app[QUEUE].queue_json()})


@api.route("GET", "/api/v1/agent/agents", "Agents (for transfers)", "agent", auth=SEC,
           response=obj(agents={"type": "array", "items": AGENT}), errors=[401])
async def agents(request: web.Request) -> web.Response:
    current_agent(request)
    with request.app[HUB].sessions() as db:
        rows = db.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name)).all()
    return web.json_response({"agents": [agent_json(a) for a in rows]})


@api.route("POST", "/api/v1/agent/agents", "Create an agent account (admins only)", "agent", auth=SEC, status=201,
           request=obj(email=STR, name=STR, password=STR, role=STR), response=AGENT, errors=[401, 403, 409])
async def create_agent_route(request: web.Request) -> web.Response:
    from bot.handoff.agents import create_agent

    current_agent(request, "admin")
    body = await json_body(request)
    email, name = text_field(body, "email", 200) or "", text_field(body, "name", 120) or ""
    password, role = text_field(body, "password", 200) or "", str(body.get("role") or "agent")
    sessions = request.app[HUB].sessions
    with sessions() as db:
        if db.scalars(select(Agent).where(Agent.email == email.lower())).first():
            raise ApiError(409, "agent_exists", "Diese E-Mail-Adresse ist schon vergeben.")
    try:
        agent = create_agent(sessions, email, name, password, role, request.app[SETTINGS].default_agent_capacity)
    except ValueError as exc:
        raise ApiError(422, "invalid_field", str(exc)) from None
    return web.json_response(agent_json(agent), status=201)


@api.route("GET", "/api/v1/agent/conversations", "Conversations assigned to me (admins: all in agent mode)",
           "agent", auth=SEC, response=obj(conversations={"type": "array", "items": {"type": "object"}}), errors=[401])
async def my_conversations(request: web.Request) -> web.Response:
    agent = current_agent(request)
    with request.app[HUB].sessions() as db:
        query = select(Conversation).where(Conversation.state == "agent")
        if agent.role != "admin":
            query = query.where(Conversation.assigned_agent_id == agent.id)
        rows = db.scalars(query.order_by(Conversation.last_message_at.desc())).all()
    return web.json_response({"conversations": [conversation_json(c) for c in rows]})


@api.route("GET", "/api/v1/agent/conversations/{conversation_id}", "Conversation with summary, transcript, notes",
           "agent", auth=SEC, response=obj(conversation={"type": "object"}, handoff={"type": "object"},
                                             messages={"type": "array", "items": MESSAGE_REF}), errors=[401, 404])
async def conversation_detail(request: web.Request) -> web.Response:
    current_agent(request)
    app = request.app
    conv = app[HUB].get(request.match_info["conversation_id"])
    handoff = app[QUEUE].active_handoff(conv.id)
    with app[HUB].sessions() as db:
        rows = db.execute(select(Message, Agent.name).outerjoin(Agent, Message.agent_id == Agent.id)
                          .where(Message.conversation_id == conv.id).order_by(Message.seq)).all()
        notes = db.execute(select(Note, Agent.name).join(Agent, Note.agent_id == Agent.id)
                           .where(Note.conversation_id == conv.id).order_by(Note.id)).all()
    messages: List[Dict[str, Any]] = []
    for m, name in rows:
        if m.sender == "bot" and not m.text and not m.buttons:
            continue  # the raw handoff payload: shown as the summary panel instead
        data = message_json(m, name)
        data.update(intent=m.intent, mood=m.mood)
        messages.append(data)
    return web.json_response({
        "conversation": conversation_json(conv),
        "handoff": handoff_json(handoff, utcnow()) if handoff else None,
        "messages": messages,
        "notes": [{"id": n.id, "agent_name": name, "text": n.text, "created_at": iso(n.created_at)} for n, name in notes],
    })


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/claim", "Take a queued conversation (atomic)",
           "agent", auth=SEC, response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def claim(request: web.Request) -> web.Response:
    agent = current_agent(request)
    conv = await request.app[QUEUE].claim(agent, request.match_info["conversation_id"])
    return web.json_response({"conversation": conversation_json(conv)})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/messages", "Reply to the customer", "agent",
           auth=SEC, request=obj(text=STR), response=MESSAGE_REF, status=201, errors=[401, 404, 409])
async def reply(request: web.Request) -> web.Response:
    agent = current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = assigned_conversation(request, agent)
    hub = request.app[HUB]
    message = await hub.post(conv, "agent", text, agent=agent)
    hub.background(hub.log_agent_message(conv, agent, text))  # the customer must not wait for Rasa
    return web.json_response(message, status=201)


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/notes", "Internal note (never shown to the customer)",
           "agent", auth=SEC, request=obj(text=STR), status=201, errors=[401, 404])
async def note(request: web.Request) -> web.Response:
    agent = current_agent(request)
    body = await json_body(request)
    text = text_field(body, "text", request.app[SETTINGS].max_text_length) or ""
    conv = request.app[HUB].get(request.match_info["conversation_id"])
    with request.app[HUB].sessions() as db, db.begin():
        row = Note(conversation_id=conv.id, agent_id=agent.id, text=text)
        db.add(row)
    data = {"id": row.id, "agent_name": agent.name, "text": text, "created_at": iso(row.created_at)}
    from bot.keys import BUS

    await request.app[BUS].publish("agents", {"type": "note", "conversation_id": conv.id, "note": data})
    return web.json_response(data, status=201)


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/transfer", "Transfer to another agent", "agent",
           auth=SEC, request=obj(agent_id=INT), response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def transfer(request: web.Request) -> web.Response:
    agent = current_agent(request)
    body = await json_body(request)
    target = body.get("agent_id")
    if not isinstance(target, int):
        raise ApiError(422, "invalid_field", "'agent_id' muss eine Zahl sein.")
    conv = assigned_conversation(request, agent)
    conv = await request.app[QUEUE].transfer(conv, target)
    return web.json_response({"conversation": conversation_json(conv)})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/handback", "Hand back to the bot", "agent",
           auth=SEC, response=obj(messages={"type": "array", "items": MESSAGE_REF}), errors=[401, 404, 409])
async def handback(request: web.Request) -> web.Response:
    agent = current_agent(request)
    conv = assigned_conversation(request, agent)
    messages = await request.app[QUEUE].hand_back(conv)
    return web.json_response({"messages": messages})


@api.route("POST", "/api/v1/agent/conversations/{conversation_id}/close", "Close with a resolution", "agent",
           auth=SEC, request=obj(resolution=STR), response=obj(conversation={"type": "object"}), errors=[401, 404, 409])
async def close(request: web.Request) -> web.Response:
    agent = current_agent(request)
    body = await json_body(request)
    resolution = text_field(body, "resolution", 1000, required=False)
    conv = assigned_conversation(request, agent)
    await request.app[QUEUE].close(conv, resolution)
    return web.json_response({"conversation": conversation_json(request.app[HUB].get(conv.id))})


@api.route("GET", "/api/v1/agent/canned", "Canned replies from company.yml", "agent", auth=SEC,
           response=obj(canned={"type": "array", "items": obj(id=INT, title=STR, text=STR)}), errors=[401])
async def canned(request: web.Request) -> web.Response:
    current_agent(request)
    items = request.app[HUB].company.raw.get("canned_replies") or []
    return web.json_response({"canned": [{"id": i, "title": c.get("title"), "text": c.get("text")}
                                         for i, c in enumerate(items, 1)]})


@api.route("GET", "/api/v1/agent/tickets", "Open requests (out of hours, callbacks)", "agent", auth=SEC,
           response=obj(tickets={"type": "array", "items": {"type": "object"}}), errors=[401])
async def tickets(request: web.Request) -> web.Response:
    current_agent(request)
    with request.app[HUB].sessions() as db:
        rows = db.scalars(select(Ticket).where(Ticket.status == "open").order_by(Ticket.id)).all()
    return web.json_response({"tickets": [ticket_json(t) for t in rows]})


@api.route("POST", "/api/v1/agent/tickets/{ticket_id}/close", "Mark a request as done", "agent", auth=SEC,
           response=obj(id=INT, status=STR), errors=[401, 404])
async def close_ticket(request: web.Request) -> web.Response:
    current_agent(request)
    try:
        ticket_id = int(request.match_info["ticket_id"])
    except ValueError:
        raise ApiError(404, "ticket_not_found", "Diese Anfrage gibt es nicht.") from None
    with request.app[HUB].sessions() as db, db.begin():
        ticket = db.get(Ticket, ticket_id)
        if ticket is None:
            raise ApiError(404, "ticket_not_found", "Diese Anfrage gibt es nicht.")
        ticket.status, ticket.closed_at = "done", utcnow()
    return web.json_response(ticket_json(ticket))


@api.route("GET", "/api/v1/agent/ws", "Websocket: queue, messages, conversations, tickets", "agent", auth=SEC,
           errors=[401])
async def agent_ws(request: web.Request) -> web.StreamResponse:
    request.app[AUTH].authenticate(request.query.get("token"))
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    return await pump(request.app, ws, "agents", hello={"type": "queue", "handoffs": request.app[QUEUE].queue_json()})
