"""Customer-side public API: conversations, messages, transcript, state, websocket."""

from __future__ import annotations

from typing import Any, Dict
from urllib.parse import urlsplit

from aiohttp import web

from bot.hub.errors import AuthenticationFailed, InvalidInput, MalformedRequest, NotFound
from bot.hub.handoff.contact import CONTACT_PATTERN, callback_contact
from bot.hub.handoff.ws_tickets import issue_ticket, redeem_ticket
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.limits import CALLBACK_LIMIT, CLIENT_LIMIT, CONV_LIMIT
from bot.hub.keys.store import REPO
from bot.hub.notifier import customer_topic
from bot.hub.states import ConversationState, values
from bot.hub.store.models import Conversation
from bot.hub.store.serialize import customer_messages, register_of
from bot.hub.web.body import bearer, json_body, text_field
from bot.hub.web.live_frames import from_customer
from bot.hub.web.proxy import client_address
from bot.hub.web.sockets import SOCKETS, pump
from bot.hub.web.spec import (
    DATE_TIME,
    INT,
    MAX_TEXT,
    MESSAGE_REF,
    STR,
    TICKET,
    Doc,
    link,
    nullable,
    obj,
    param,
    text_input,
)

CHANNELS = ("webchat",)  # messenger conversations are created by their webhooks
AUTH = "conversationToken"
WS_TICKET = param(
    "ticket",
    "query",
    STR,
    description="Single-use ticket from POST .../ws-ticket (a plain GET: 400)",
)


async def authed(request: web.Request, token: str | None = None) -> Conversation:
    return await request.app[CONVERSATIONS].authenticate(
        request.match_info["conversation_id"], token or bearer(request)
    )


METADATA_FIELDS, METADATA_TEXT = 20, 2000
METADATA = {
    "type": "object",
    "maxProperties": METADATA_FIELDS,
    "additionalProperties": {
        "anyOf": [
            {"type": "string", "maxLength": METADATA_TEXT},
            {"type": "number"},
            {"type": "boolean"},
        ]
    },
    "description": "Flat fields for the agents (text, number, yes/no). The widget sends `page` (the page URL); "
    "it is stored only when KD_STORE_PAGE_URL is set, and then without query and fragment.",
}
REGISTER = {
    "type": "string",
    "enum": ["sie", "du"],
    "description": "How the customer is addressed (they wrote du, else Sie); the widget's texts follow it",
}
CUSTOMER_MESSAGES = obj(
    required=["messages"], messages={"type": "array", "items": MESSAGE_REF}, register=REGISTER
)
CONVERSATION_LINKS = {
    name: link(
        operation,
        "With the token of this response as bearer token",
        conversation_id="$response.body#/conversation_id",
    )
    for name, operation in (
        ("state", "get_conversations_conversation_id"),
        ("transcript", "get_conversations_conversation_id_messages"),
        ("send", "post_conversations_conversation_id_messages"),
        ("callback", "post_conversations_conversation_id_callback"),
    )
}


def metadata_field(value: Any) -> bool:
    return isinstance(value, (bool, int, float)) or (
        isinstance(value, str) and len(value) <= METADATA_TEXT
    )


def conversation_metadata(body: Dict[str, Any], store_page_url: bool) -> Dict[str, Any]:
    """What is kept about where the chat started: data minimisation, the page URL only when configured
    (and never its query or fragment: e-mail addresses, order numbers and session ids travel there)."""
    metadata = body.get("metadata", {})
    if (
        not isinstance(metadata, dict)
        or len(metadata) > METADATA_FIELDS
        or not all(map(metadata_field, metadata.values()))
    ):
        raise InvalidInput(
            "invalid_field",
            f"'metadata' muss ein JSON-Objekt mit höchstens {METADATA_FIELDS} "
            f"Feldern (Text bis {METADATA_TEXT} Zeichen, Zahl oder Ja/Nein) sein.",
        )
    kept = {k: v for k, v in metadata.items() if k != "page"}
    page = metadata.get("page")
    if store_page_url and isinstance(page, str):
        kept["page"] = urlsplit(page)._replace(query="", fragment="").geturl()
    return kept


CREATE_CONVERSATION_DOC = Doc(
    "Start a conversation",
    "customer",
    status=201,
    request=obj(
        channel={"type": "string", "enum": list(CHANNELS), "default": "webchat"},
        metadata=METADATA,
        welcome={
            "type": "boolean",
            "default": False,
            "description": "Start with Wanda's greeting and AI disclosure (notices.welcome), "
            "stored as a bot message without a bot turn (the widget sends true)",
        },
    ),
    response=obj(
        required=["conversation_id", "token"],
        conversation_id=STR,
        token=STR,
        messages={
            "type": "array",
            "items": MESSAGE_REF,
            "description": "What the chat starts with: Wanda's greeting and AI disclosure",
        },
        register=REGISTER,
    ),
    errors=[429],
    links=CONVERSATION_LINKS,
)


async def create_conversation(request: web.Request) -> web.Response:
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}")
    body = await json_body(request)
    channel = body.get("channel", "webchat")
    if channel not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Unbekannter Kanal '{channel}'.")
    metadata = conversation_metadata(body, request.app[SETTINGS].store_page_url)
    welcome = body.get("welcome", False)
    if not isinstance(welcome, bool):
        raise InvalidInput("invalid_field", "'welcome' muss true oder false sein.")
    service = request.app[CONVERSATIONS]
    conv, token = await service.create(channel, metadata, welcome=welcome)
    return web.json_response(
        {
            "conversation_id": conv.id,
            "token": token,
            "register": register_of(conv),
            "messages": customer_messages(await service.transcript(conv.id)),
        },
        status=201,
    )


CUSTOMER_MESSAGE: Dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"description": "The message; required unless `payload` is given, then ignored"},
        "payload": nullable(
            text_input(
                500, description="A tapped button's payload (sent to the bot instead of text)"
            )
        ),
        "title": nullable(
            text_input(200, description="The tapped button's title (shown in the transcript)")
        ),
        "client_message_id": nullable(
            {
                "type": "string",
                "minLength": 1,
                "maxLength": 80,
                "description": "Makes a retried POST return the first answer",
            }
        ),
    },
    "anyOf": [
        {"required": ["payload"], "properties": {"payload": STR}},
        {"required": ["text"], "properties": {"text": text_input(MAX_TEXT)}},
    ],
}


POST_MESSAGE_DOC = Doc(
    "Send a customer message",
    "customer",
    auth=AUTH,
    request=CUSTOMER_MESSAGE,
    response=CUSTOMER_MESSAGES,
    errors=[404, 409, 429],
)


async def post_message(request: web.Request) -> web.Response:
    app = request.app
    service = app[CONVERSATIONS]
    token = bearer(request)
    conv = await service.authenticate_turn(request.match_info["conversation_id"], token)
    body = await json_body(request)
    limit = app[SETTINGS].max_text_length
    payload = text_field(body, "payload", 500, required=False)
    title = text_field(body, "title", 200, required=False)
    text = (title or payload) if payload else text_field(body, "text", limit)
    client_id = body.get("client_message_id")
    if client_id is not None and (not isinstance(client_id, str) or not 1 <= len(client_id) <= 80):
        raise InvalidInput(
            "invalid_field", "'client_message_id' muss ein Text mit 1–80 Zeichen sein."
        )
    app[CONV_LIMIT].check(f"conv:{conv.id}", register=conv.register)
    app[CLIENT_LIMIT].check(f"ip:{client_address(request)}", register=conv.register)
    turn = await service.customer_turn(
        conv,
        text or "",
        payload=payload,
        client_message_id=client_id,
        client=client_address(request),
        admit=service.admission(token),
    )
    service.remember(turn.conversation)
    return web.json_response(  # the register may have changed with this message
        {"messages": customer_messages(turn.messages), "register": register_of(turn.conversation)}
    )


GET_MESSAGES_DOC = Doc(
    "The whole transcript, oldest first",
    "customer",
    auth=AUTH,
    response=CUSTOMER_MESSAGES,
    errors=[404, 429],
)


async def get_messages(request: web.Request) -> web.Response:
    conv = await authed(request)
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}", register=conv.register)
    return web.json_response(
        {
            "messages": customer_messages(await request.app[CONVERSATIONS].transcript(conv.id)),
            "register": register_of(conv),
        }
    )


GET_CONVERSATION_DOC = Doc(
    "Conversation state",
    "customer",
    auth=AUTH,
    response=obj(
        required=["conversation_id", "state", "channel", "queue", "created_at"],
        conversation_id=STR,
        state={"type": "string", "enum": list(values(ConversationState))},
        channel=STR,
        queue=nullable(
            obj(
                required=["position", "expected_wait_seconds"],
                position=INT,
                expected_wait_seconds=INT,
                expected_wait_minutes=INT,
            )
        ),
        created_at=DATE_TIME,
        register=REGISTER,
    ),
    errors=[404],
)


async def get_conversation(request: web.Request) -> web.Response:
    conv = await authed(request)
    queue = (
        (await request.app[QUEUE].positions()).get(conv.id)
        if conv.state == ConversationState.QUEUED
        else None
    )
    return web.json_response(
        {
            "conversation_id": conv.id,
            "state": conv.state,
            "channel": conv.channel,
            "queue": queue,
            "created_at": conv.created_at.isoformat() + "Z",
            "register": register_of(conv),
        }
    )


POST_CALLBACK_DOC = Doc(
    "Leave a callback/e-mail request instead of waiting: `contact` is exactly one e-mail address "
    "(no list, no display name) or a phone number (422 invalid_contact otherwise); an e-mail address "
    "not verified in the chat gets a confirmation link first, and no other mail until it is used",
    "customer",
    auth=AUTH,
    status=201,
    request=obj(
        required=["contact"],
        contact={"type": "string", "maxLength": 200, "pattern": CONTACT_PATTERN},
        note=nullable(text_input(MAX_TEXT)),
    ),
    response=TICKET,
    errors=[404, 422, 429],
)


async def post_callback(request: web.Request) -> web.Response:
    conv = await authed(request)
    body = await json_body(request)
    typed = text_field(body, "contact", 200)
    note = text_field(body, "note", request.app[SETTINGS].max_text_length, required=False)
    contact = callback_contact(typed or "")
    if contact is None:
        raise InvalidInput(
            "invalid_contact",
            "Bitte geben Sie genau eine E-Mail-Adresse (ohne Namen, ohne Komma) oder eine "
            "Telefonnummer an.",
        )
    # Each request is a ticket and a console broadcast: a few per conversation and per client address.
    request.app[CALLBACK_LIMIT].check(f"conv:{conv.id}", register=conv.register)
    request.app[CALLBACK_LIMIT].check(f"ip:{client_address(request)}", register=conv.register)
    ticket = await request.app[QUEUE].leave_request(conv, contact, note)
    return web.json_response(ticket, status=201)


WS_TICKET_DOC = Doc(
    "A single-use websocket ticket (valid ~30 s): open the websocket with ?ticket=...",
    "customer",
    auth=AUTH,
    status=201,
    response=obj(ticket=STR, expires_in=INT),
    errors=[401, 404, 429],
)


async def ws_ticket(request: web.Request) -> web.Response:
    conv = await authed(request)
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}", register=conv.register)
    seconds = request.app[SETTINGS].ws_ticket_seconds
    ticket = await issue_ticket(request.app[REPO], seconds, conversation_id=conv.id)
    return web.json_response({"ticket": ticket, "expires_in": seconds}, status=201)


WEBSOCKET_DOC = Doc(
    "Websocket (?ticket= from POST .../ws-ticket): pushes every new message and state, and the agent's "
    '{"type": "typing"|"read", "sender": "agent"[, "seq"]}; send {"type": "typing"} or '
    '{"type": "read", "seq": N} (the last agent message seen)',
    "customer",
    status=101,
    errors=[400, 401, 404, 429],
    parameters=[WS_TICKET],
)


async def websocket(request: web.Request) -> web.StreamResponse:
    app = request.app
    conv_id = request.match_info["conversation_id"]
    ticket = request.query.get("ticket")
    ws = web.WebSocketResponse(heartbeat=25)
    if ticket is None and app[SETTINGS].ws_query_token and request.query.get("token"):
        conv = await authed(
            request, request.query.get("token")
        )  # deprecated: the token ends up in proxy logs
    else:
        if not ticket:
            raise AuthenticationFailed(
                "invalid_ticket", "Websocket-Ticket fehlt (POST .../ws-ticket)."
            )
        if not ws.can_prepare(request).ok:  # not an upgrade: keep the ticket unused
            raise MalformedRequest(
                "not_websocket", "Hier ist nur eine Websocket-Verbindung möglich."
            )
        redeemed = await redeem_ticket(app[REPO], ticket)
        if redeemed is None or redeemed.conversation_id != conv_id:
            raise AuthenticationFailed(
                "invalid_ticket", "Das Websocket-Ticket ist ungültig oder abgelaufen."
            )
        conv = await app[CONVERSATIONS].get(conv_id)
    with app[SOCKETS].hold(conv.id, client_address(request)):
        await ws.prepare(request)
        return await pump(
            app,
            ws,
            customer_topic(conv.id),
            check=lambda: still_open(app, conv.id),
            check_every=app[SETTINGS].agent_ws_recheck_seconds,
            incoming=from_customer(app, conv.id),
        )


async def still_open(app: web.Application, conv_id: str) -> bool:
    """An open socket follows its conversation: ended ("Chat beenden"), erased or expired closes it."""
    try:
        conv = await app[CONVERSATIONS].get(conv_id)
    except NotFound:
        return False
    return not app[CONVERSATIONS].revoked(conv) and not app[CONVERSATIONS].expired(conv)
