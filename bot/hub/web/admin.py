"""Admin API: data protection – export and erase everything stored about a customer.

Both are POSTs with the selector in the JSON body, not in a query string: e-mail
addresses must not end up in proxy or access logs. Admins only; every call is
written to the audit log (without the e-mail or platform id it selected by).
"""

from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from bot.hub.housekeeping import PRIVACY
from bot.hub.keys.store import REPO
from bot.hub.privacy.service import SCHEMA, Selector
from bot.hub.states import AgentRole
from bot.hub.store.models import Agent
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import json_body
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import STR, Doc, obj

ARRAY = {"type": "array", "items": {"type": "object"}}
NO_STORE = {"Cache-Control": "no-store"}


async def audit(
    request: web.Request, agent: Agent, action: str, selector: Selector, detail: Dict[str, Any]
) -> None:
    """The one place this module writes the audit log (agent security, migration 0004)."""
    await request.app[REPO].audit(
        agent.id, action, selector.audit_target(), detail, client_address(request)
    )


GDPR_EXPORT_DOC = Doc(
    "Export everything stored about a customer as one JSON document (admins only)",
    "admin",
    auth=SEC,
    request=SCHEMA,
    response=obj(format=STR, generated_at=STR, selector={"type": "object"}, conversations=ARRAY),
    errors=[401, 403, 404, 409, 415],
)


async def gdpr_export(request: web.Request) -> web.Response:
    agent = await current_agent(request, AgentRole.ADMIN)
    selector = Selector.parse(await json_body(request))
    document = await request.app[PRIVACY].export(selector)
    await audit(
        request,
        agent,
        "gdpr_export",
        selector,
        {"conversations": [c["conversation_id"] for c in document["conversations"]]},
    )
    return web.json_response(
        document,
        headers={
            **NO_STORE,
            "Content-Disposition": 'attachment; filename="kundendialog-export.json"',
        },
    )


GDPR_ERASE_DOC = Doc(
    "Erase everything stored about a customer: hub, Rasa tracker store, shop records (admins only)",
    "admin",
    auth=SEC,
    request=SCHEMA,
    response=obj(conversations={"type": "array", "items": STR}, erased={"type": "object"}),
    errors=[401, 403, 404, 409, 415],
)


async def gdpr_erase(request: web.Request) -> web.Response:
    agent = await current_agent(request, AgentRole.ADMIN)
    selector = Selector.parse(await json_body(request))
    result = await request.app[PRIVACY].erase(selector)
    await audit(request, agent, "gdpr_erase", selector, result)
    return web.json_response(result, headers=NO_STORE)
