"""The customer ends the chat (the widget's "Chat beenden"): on a shared computer nobody can reopen it."""

from __future__ import annotations

from aiohttp import web

from bot.hub.housekeeping import PRIVACY
from bot.hub.keys.limits import CLIENT_LIMIT
from bot.hub.states import ConversationState, values
from bot.hub.web.customer import AUTH, authed
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import STR, Doc, obj

END_CHAT_DOC = Doc(
    "End the chat: closes the conversation and withdraws its token",
    "customer",
    auth=AUTH,
    response=obj(
        conversation_id=STR, state={"type": "string", "enum": list(values(ConversationState))}
    ),
    errors=[401, 404, 429],
)


async def end_chat(request: web.Request) -> web.Response:
    request.app[CLIENT_LIMIT].check(f"ip:{client_address(request)}")
    conv = await authed(request)
    await request.app[PRIVACY].end_chat(conv)
    return web.json_response({"conversation_id": conv.id, "state": ConversationState.CLOSED})
