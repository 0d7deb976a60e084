"""Attachment routes: customers and agents upload a file (the request body is the file's bytes)
and read files of their own conversations.

The customer's token goes in the Authorization header, never in a URL, so the widget fetches
files and shows them as blob: URLs. A file of another conversation, or a wrong token, is a
404: the answer must not tell whether an attachment id exists. A customer's upload counts
against KD_RATE_UPLOAD per client before its body is read; every file an agent opens is in the
audit log (who read which attachment of which conversation).
"""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from bot.hub.attachments.service import StoredFile
from bot.hub.attachments.validate import check_size
from bot.hub.errors import AuthenticationFailed, InvalidInput, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.keys.attachments import ATTACHMENTS
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.limits import CLIENT_LIMIT, CONV_LIMIT
from bot.hub.keys.store import REPO
from bot.hub.web.agent import SEC, assigned_conversation, current_agent, visible_conversation
from bot.hub.web.body import bearer
from bot.hub.web.customer import AUTH, authed
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import MESSAGE_REF, MESSAGES, Doc, param

CHUNK = 64 * 1024
FILE_BODY = {
    "type": "string",
    "format": "binary",
    "description": "The file's bytes: JPEG, PNG, WebP or PDF (checked by content), at most "
    "KD_ATTACHMENT_MAX_MB (default 10 MB). Images are re-encoded without EXIF.",
}
FILE_RESPONSE = {"type": "string", "format": "binary"}
NAME = param(
    "name",
    "query",
    {"type": "string", "maxLength": 200},
    required=False,
    description="The file's name as the customer sees it (its extension is set from the content)",
)
VARIANT = param(
    "variant",
    "query",
    {"type": "string", "enum": ["full", "thumb"]},
    required=False,
    description="thumb: a small preview of an image (a document is always sent whole)",
)
UPLOAD_ERRORS = [404, 429]
MAX_NAME = 200


async def read_upload(request: web.Request) -> bytes:
    """The body, streamed past the app's JSON size limit, up to the attachment limit."""
    limit = request.app[SETTINGS].attachment_max_bytes
    if request.content_length is not None:
        check_size(request.content_length, limit)
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(CHUNK):
        size += len(chunk)
        check_size(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def file_response(stored: StoredFile, thumbnail: bool) -> web.Response:
    meta = stored.meta
    disposition = "inline" if meta["kind"] == "image" else "attachment"
    name = ("vorschau-" if thumbnail and meta["kind"] == "image" else "") + meta["name"]
    return web.Response(
        body=stored.data,
        content_type=meta["mime"],
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


def wants_thumbnail(request: web.Request) -> bool:
    variant = request.query.get("variant", "full")
    if variant not in ("full", "thumb"):
        raise InvalidInput("invalid_field", "'variant' muss 'full' oder 'thumb' sein.")
    return variant == "thumb"


def upload_name(request: web.Request) -> str | None:
    name = request.query.get("name")
    if name is not None and len(name) > MAX_NAME:
        raise InvalidInput("invalid_field", f"'name' darf höchstens {MAX_NAME} Zeichen lang sein.")
    return name


CUSTOMER_UPLOAD_DOC = Doc(
    "Send a file (the body is the file): stored and answered like a message",
    "customer",
    auth=AUTH,
    status=201,
    request=FILE_BODY,
    request_media_type="application/octet-stream",
    response=MESSAGES,
    errors=UPLOAD_ERRORS,
    parameters=[NAME],
)


async def customer_upload(request: web.Request) -> web.Response:
    app = request.app
    conv = await authed(request)
    name = upload_name(request)
    client = client_address(request)
    app[CONV_LIMIT].check(f"conv:{conv.id}", register=conv.register)
    app[CLIENT_LIMIT].check(f"ip:{client}", register=conv.register)
    app[ATTACHMENTS].admit_upload(f"ip:{client}", conv.register)
    data = await read_upload(request)
    messages = await app[ATTACHMENTS].from_customer(conv, data, name)
    return web.json_response({"messages": messages}, status=201)


CUSTOMER_FILE_DOC = Doc(
    "A file of this conversation (with the conversation's token; any other token: 404)",
    "customer",
    auth=AUTH,
    response=FILE_RESPONSE,
    media_type="*/*",
    errors=[404, 422, 429],
    parameters=[VARIANT],
)


async def customer_file(request: web.Request) -> web.Response:
    token = bearer(request)
    if not token:
        raise AuthenticationFailed(
            "invalid_token", "Der Zugangsschlüssel für dieses Gespräch fehlt."
        )
    try:
        conv = await request.app[CONVERSATIONS].authenticate(
            request.match_info["conversation_id"], token
        )
    except AuthenticationFailed:
        raise NotFound("attachment_not_found", "Diesen Anhang gibt es nicht.") from None
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}", register=conv.register)
    thumbnail = wants_thumbnail(request)
    stored = await request.app[ATTACHMENTS].read(
        conv.id, request.match_info["attachment_id"], thumbnail
    )
    return file_response(stored, thumbnail)


AGENT_UPLOAD_DOC = Doc(
    "Send the customer a file (the body is the file), e.g. a return label",
    "agent",
    auth=SEC,
    status=201,
    request=FILE_BODY,
    request_media_type="application/octet-stream",
    response=MESSAGE_REF,
    errors=[404, 409, 429],
    parameters=[NAME],
)


async def agent_upload(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    name = upload_name(request)
    conv = await assigned_conversation(request, agent)
    data = await read_upload(request)
    message = await request.app[ATTACHMENTS].from_agent(conv, agent, data, name)
    return web.json_response(message, status=201)


AGENT_FILE_DOC = Doc(
    "A file of a conversation this agent may see (each read is in the audit log)",
    "agent",
    auth=SEC,
    response=FILE_RESPONSE,
    media_type="*/*",
    errors=[403, 404, 422],
    parameters=[VARIANT],
)


async def agent_file(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    thumbnail = wants_thumbnail(request)
    conv = await visible_conversation(request, agent)
    stored = await request.app[ATTACHMENTS].read(
        conv.id, request.match_info["attachment_id"], thumbnail
    )
    await request.app[REPO].audit(
        agent.id,
        Audit.VIEW_ATTACHMENT,
        conv.id,
        {
            "attachment": stored.meta["id"],
            "kind": stored.meta["kind"],
            "variant": "thumb" if thumbnail else "full",
        },
        client_address(request),
    )
    return file_response(stored, thumbnail)
