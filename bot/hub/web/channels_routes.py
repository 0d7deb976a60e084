"""Webhook routes of the messenger channels (the adapters live in bot.hub.channels).

The routes always exist, so the OpenAPI document lists them; a platform that
is not configured answers 404 and nothing is stored.
"""

from __future__ import annotations

from aiohttp import web

from bot.hub.channels import CHANNELS
from bot.hub.channels.base import Channel
from bot.hub.channels.meta import SIGNATURE_HEADER, MetaChannel
from bot.hub.channels.telegram import SECRET_HEADER
from bot.hub.errors import NotFound
from bot.hub.web.spec import INT, STR, Doc, obj, param

TAG = "channels"
# Meta batches up to 1000 events in one signed request, far above the hub's 64 KiB for browsers.
WEBHOOK_MAX_BODY = 1024 * 1024
OK = obj(required=["ok"], ok={"type": "boolean"})
META_UPDATE = obj(object=STR, entry={"type": "array", "items": {"type": "object"}})
SIGNED = [
    param(
        SIGNATURE_HEADER,
        "header",
        STR,
        description="sha256=<HMAC-SHA256 of the raw body with the app secret>",
    )
]
HANDSHAKE = [
    param("hub.mode", "query", {"type": "string", "enum": ["subscribe"]}),
    param("hub.verify_token", "query", STR),
    param("hub.challenge", "query", STR),
]


def webhook_request(request: web.Request) -> web.Request:
    """The same request with the webhook body limit (the app's limit stays for every other route)."""
    return request.clone(client_max_size=WEBHOOK_MAX_BODY)


def channel(request: web.Request, name: str) -> Channel:
    found = request.app.get(CHANNELS, {}).get(name)
    if found is None:
        raise NotFound("channel_not_configured", f"Der Kanal '{name}' ist nicht eingerichtet.")
    return found


def meta_channel(request: web.Request, name: str) -> MetaChannel:
    found = channel(request, name)
    assert isinstance(found, MetaChannel)
    return found


TELEGRAM_UPDATE_DOC = Doc(
    "Telegram update (header X-Telegram-Bot-Api-Secret-Token)",
    TAG,
    request=obj(update_id=INT, message={"type": "object"}, callback_query={"type": "object"}),
    response=OK,
    errors=[401, 404],
    parameters=[param(SECRET_HEADER, "header", STR, description="The secret given to setWebhook")],
)


async def telegram_update(request: web.Request) -> web.Response:
    return await channel(request, "telegram").webhook(webhook_request(request))


# One Doc for both Meta channels: the handshake is the same protocol on each.
META_HANDSHAKE_DOC = Doc(
    "Meta verification handshake: answers hub.challenge",
    TAG,
    response=STR,
    media_type="text/plain",
    errors=[403, 404],
    parameters=HANDSHAKE,
)


async def messenger_handshake(request: web.Request) -> web.Response:
    return meta_channel(request, "messenger").handshake(request)


MESSENGER_EVENTS_DOC = Doc(
    "Messenger page events (header X-Hub-Signature-256)",
    TAG,
    request=META_UPDATE,
    response=OK,
    errors=[401, 403, 404],
    parameters=SIGNED,
)


async def messenger_events(request: web.Request) -> web.Response:
    return await channel(request, "messenger").webhook(webhook_request(request))


async def whatsapp_handshake(request: web.Request) -> web.Response:
    return meta_channel(request, "whatsapp").handshake(request)


WHATSAPP_EVENTS_DOC = Doc(
    "WhatsApp Cloud API events (header X-Hub-Signature-256)",
    TAG,
    request=META_UPDATE,
    response=OK,
    errors=[401, 403, 404],
    parameters=SIGNED,
)


async def whatsapp_events(request: web.Request) -> web.Response:
    return await channel(request, "whatsapp").webhook(webhook_request(request))
