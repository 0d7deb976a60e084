"""Customer-side public API: conversations, messages, transcript, state, websocket."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

from aiohttp import WSMsgType, web

from kundendialog.core.errors import InvalidInput
from kundendialog.core.states import ConversationState, values
from kundendialog.hub.keys import BUS, CLIENT_LIMIT, CONV_LIMIT, CONVERSATIONS, QUEUE, SETTINGS
from kundendialog.hub.notifier import customer_topic
from kundendialog.hub.store.models import Conversation
from kundendialog.hub.web.body import bearer, json_body, text_field
from kundendialog.hub.web.spec import INT, MESSAGES, STR, Api, obj

api = Api()
CHANNELS = ("webchat",)  # messenger conversations are created by their webhooks
AUTH = "conversationToken"


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


async def authed(request: web.Request, token: str | None = None) -> Conversation:
    return await request.app[CONVERSATIONS].authenticate(request.match_info["conversation_id"], token or bearer(request))


@api.route("POST", "/api/v1/conversations", "Start a conversation", "customer", status=201,
           request=obj(channel={"type": "string", "enum": list(CHANNELS)}, metadata={"type": "object"}),
           response=obj(conversation_id=STR, token=STR), errors=[415, 429])
async def create_conversation(request: web.Request) -> web.Response:
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}")
    body = await json_body(request)
    channel = body.get("channel", "webchat")
    if channel not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Unbekannter Kanal '{channel}'.")
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict) or len(str(metadata)) > 4000:
        raise InvalidInput("invalid_field", "'metadata' muss ein kleines JSON-Objekt sein.")
    conv, token = await request.app[CONVERSATIONS].create(channel, metadata)
    return web.json_response({"conversation_id": conv.id, "token": token}, status=201)


@api.route("POST", "/api/v1/conversations/{conversation_id}/messages", "Send a customer message", "customer",
           auth=AUTH, request=obj(text=STR, payload=STR, title=STR, client_message_id=STR),
           response=MESSAGES, errors=[401, 404, 413, 415, 429])
async def post_message(request: web.Request) -> web.Response:
    app = request.app
    conv = await authed(request)
    body = await json_body(request)
    limit = app[SETTINGS].max_text_length
    payload = text_field(body, "payload", 500, required=False)
    title = text_field(body, "title", 200, required=False)
    text = (title or payload) if payload else text_field(body, "text", limit)
    client_id = body.get("client_message_id")
    if client_id is not None and (not isinstance(client_id, str) or not 1 <= len(client_id) <= 80):
        raise InvalidInput("invalid_field", "'client_message_id' muss ein Text mit 1–80 Zeichen sein.")
    app[CONV_LIMIT].check(f"conv:{conv.id}")
    app[CLIENT_LIMIT].check(f"ip:{client_address(request)}")
    messages = await app[CONVERSATIONS].customer_message(conv, text or "", payload=payload, client_message_id=client_id)
    return web.json_response({"messages": messages})


@api.route("GET", "/api/v1/conversations/{conversation_id}/messages", "The whole transcript, oldest first",
           "customer", auth=AUTH, response=MESSAGES, errors=[401, 404])
async def get_messages(request: web.Request) -> web.Response:
    conv = await authed(request)
    return web.json_response({"messages": await request.app[CONVERSATIONS].transcript(conv.id)})


@api.route("GET", "/api/v1/conversations/{conversation_id}", "Conversation state", "customer", auth=AUTH,
           response=obj(conversation_id=STR, state={"type": "string", "enum": list(values(ConversationState))},
                         channel=STR, queue=obj(position=INT, expected_wait_seconds=INT)), errors=[401, 404])
async def get_conversation(request: web.Request) -> web.Response:
    conv = await authed(request)
    queue = (await request.app[QUEUE].positions()).get(conv.id) if conv.state == ConversationState.QUEUED else None
    return web.json_response({"conversation_id": conv.id, "state": conv.state, "channel": conv.channel,
                              "queue": queue, "created_at": conv.created_at.isoformat() + "Z"})


@api.route("POST", "/api/v1/conversations/{conversation_id}/callback",
           "Leave a callback/e-mail request instead of waiting", "customer", auth=AUTH, status=201,
           request=obj(contact=STR, note=STR), response=obj(id=INT, contact=STR, status=STR), errors=[401, 404])
async def post_callback(request: web.Request) -> web.Response:
    conv = await authed(request)
    body = await json_body(request)
    contact = text_field(body, "contact", 200)
    note = text_field(body, "note", request.app[SETTINGS].max_text_length, required=False)
    ticket = await request.app[QUEUE].leave_request(conv, contact or "", note)
    return web.json_response(ticket, status=201)


@api.route("GET", "/api/v1/conversations/{conversation_id}/ws", "Websocket: pushes every new message and state",
           "customer", auth=AUTH, errors=[401, 404])
async def websocket(request: web.Request) -> web.StreamResponse:
    conv = await authed(request, request.query.get("token"))
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    return await pump(request.app, ws, customer_topic(conv.id))


async def pump(app: web.Application, ws: web.WebSocketResponse, topic: str,
               hello: Dict[str, Any] | None = None) -> web.WebSocketResponse:
    """Forward bus frames for one topic to a websocket until either side closes."""
    bus = app[BUS]
    queue = bus.subscribe(topic)
    if hello:
        await ws.send_json(hello)

    async def reader() -> None:
        async for msg in ws:
            if msg.type == WSMsgType.ERROR:
                break

    read_task = asyncio.create_task(reader())
    get: asyncio.Task[Dict[str, Any]] | None = None
    try:
        while not ws.closed:
            get = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({get, read_task}, return_when=asyncio.FIRST_COMPLETED)
            if get not in done:
                break
            await ws.send_json(get.result())
    except (ConnectionResetError, RuntimeError):
        pass
    finally:
        bus.unsubscribe(topic, queue)
        for task in (get, read_task):
            if task is not None and not task.done():
                task.cancel()
        await ws.close()
    return ws



