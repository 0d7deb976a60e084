"""Learning-loop API ("Nicht verstanden"): candidates grouped by similarity, reviews, the NLU export,
and the help pages' content gaps (questions the knowledge base abstained on or whose answer did not help).

Any agent may list and review (reading the candidates is audit-logged; plain agents get no conversation
ids, which span every team); writing data/nlu/learned.yml is for admins (it changes what the next
training learns) and is audit-logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

from aiohttp import web

from bot.hub.errors import InvalidInput, NotFound
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import sees_everything
from bot.hub.keys.config import SETTINGS
from bot.hub.keys.store import REPO
from bot.hub.learning.gaps import ContentGaps
from bot.hub.learning.nlu_file import domain_choices
from bot.hub.learning.service import Learning
from bot.hub.settings import ROOT
from bot.hub.states import AgentRole
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import json_body
from bot.hub.web.proxy import client_address
from bot.hub.web.reports import PARAMETERS, period_of
from bot.hub.web.spec import BOOL, INT, STR, Doc, Schema, nullable, obj, text_input
from bot.shared.config import SETTINGS as DECLARED

DOMAIN = ROOT / "domain.yml"
MAX_IDS, MAX_TEXT = 100, 500
CHOICES = domain_choices(DOMAIN) if DOMAIN.exists() else []
INTENT: Schema = nullable(
    {"type": "string", "enum": CHOICES, "description": "the right intent; null: noise"}
)
ARRAY: Schema = {"type": "array", "items": {"type": "object"}}
REVIEW_REQUEST: Schema = obj(
    required=["message_ids", "intent"],
    message_ids={
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_IDS,
        "items": {"type": "string", "maxLength": 40},
    },
    intent=INTENT,
    texts={
        "type": "object",
        "description": "message id -> the example as it should be learned (optional edits)",
        "additionalProperties": text_input(MAX_TEXT),
    },
)


def learning_of(request: web.Request) -> Learning:
    return Learning(request.app[REPO].sessions, DOMAIN, request.app[SETTINGS].learned_nlu_file)


CANDIDATES_DOC = Doc(
    "Customer messages the bot did not understand (fallback, or confidence below 0.6), not reviewed yet, "
    "newest 500 grouped by similarity; default period: the last 30 days. Each message's "
    "`conversation_id` only for supervisors and admins",
    "learning",
    auth=SEC,
    response=obj(
        period={"type": "object"},
        limit=INT,
        truncated=BOOL,
        count=INT,
        groups=ARRAY,
        intents={"type": "array", "items": STR},
    ),
    errors=[401, 422],
    parameters=PARAMETERS[:2],
)


async def candidates(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    period = period_of(request, default_days=30)
    elevated = sees_everything(agent.role)  # plain agents: no conversation ids of other teams
    found = await learning_of(request).candidates(period, conversation_ids=elevated)
    # customers' own words, from every team
    await request.app[REPO].audit(
        agent.id,
        Audit.VIEW_LEARNING,
        None,
        {"period": found["period"], "count": found["count"], "conversation_ids": elevated},
        client_address(request),
    )
    return web.json_response(found, headers={"Cache-Control": "no-store"})


def _ids(body: Dict[str, Any]) -> List[str]:
    ids = body.get("message_ids")
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= MAX_IDS
        or not all(isinstance(i, str) and len(i) <= 40 for i in ids)
    ):
        raise InvalidInput(
            "invalid_field", f"'message_ids' muss 1 bis {MAX_IDS} Nachrichten-IDs enthalten."
        )
    return ids


def _texts(body: Dict[str, Any]) -> Dict[str, str]:
    texts = body.get("texts") or {}
    if not isinstance(texts, dict) or not all(
        isinstance(t, str) and t.strip() and len(t) <= MAX_TEXT for t in texts.values()
    ):
        raise InvalidInput(
            "invalid_field", f"'texts' muss Texte mit 1 bis {MAX_TEXT} Zeichen enthalten."
        )
    return {str(k): v.strip() for k, v in texts.items()}


REVIEW_DOC = Doc(
    "Assign the right intent to customer messages (null: noise); they leave the candidates",
    "learning",
    auth=SEC,
    request=REVIEW_REQUEST,
    response=obj(reviewed=INT, intent=nullable(STR)),
    errors=[401, 404],
)


async def review(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    body = await json_body(request)
    ids, texts = _ids(body), _texts(body)
    if "intent" not in body or not (body["intent"] is None or isinstance(body["intent"], str)):
        raise InvalidInput("invalid_field", "'intent' muss ein Intent oder null (Rauschen) sein.")
    return web.json_response(
        await learning_of(request).review(ids, body["intent"], agent.id, texts)
    )


REVIEWS_DOC = Doc(
    "Reviewed messages, newest first (the learned examples)",
    "learning",
    auth=SEC,
    response=obj(reviews=ARRAY, examples=INT, noise=INT),
    errors=[401],
)


async def reviews(request: web.Request) -> web.Response:
    await current_agent(request)
    return web.json_response(
        await learning_of(request).reviews(), headers={"Cache-Control": "no-store"}
    )


FORGET_DOC = Doc(
    "Undo a review (the message is a candidate again)",
    "learning",
    auth=SEC,
    response=obj(ok=BOOL),
    errors=[401, 404],
)


async def forget(request: web.Request) -> web.Response:
    await current_agent(request)
    try:
        review_id = int(request.match_info["review_id"])
    except ValueError:
        raise NotFound("review_not_found", "Diese Zuordnung gibt es nicht.") from None
    await learning_of(request).forget(review_id)
    return web.json_response({"ok": True})


EXPORT_DOC = Doc(
    "Write the reviewed examples to data/nlu/learned.yml (admins only); the next `make train` learns them",
    "learning",
    auth=SEC,
    response=obj(path=STR, examples=INT, intents={"type": "object"}, skipped=INT),
    errors=[401, 403],
)


async def export(request: web.Request) -> web.Response:
    admin = await current_agent(request, AgentRole.ADMIN)
    result = await learning_of(request).export()
    await request.app[REPO].audit(
        admin.id,
        "nlu_export",
        "learned.yml",
        {"examples": result["examples"], "skipped": result["skipped"]},
        client_address(request),
    )
    return web.json_response(result)


def gaps_of(request: web.Request) -> ContentGaps:
    """The pages folder and the index (its page list) are the knowledge base's settings (read per
    request: pages come and go)."""
    pages = Path(DECLARED["KD_KNOWLEDGE_DIR"].read())
    index = Path(DECLARED["KD_KNOWLEDGE_INDEX_DIR"].read())
    return ContentGaps(
        request.app[REPO].sessions, pages, request.app[SETTINGS].knowledge_cases_file, index
    )


GAPS_DOC = Doc(
    "Content gaps of the help pages: customer questions the knowledge base abstained on or whose answer "
    "the customer marked unhelpful, not attached to a page yet, grouped by the topic of the page involved "
    "(newest 500 blocks; default period: the last 30 days), and the list of pages to attach. Each "
    "question's `conversation_id` only for supervisors and admins",
    "learning",
    auth=SEC,
    response=obj(period={"type": "object"}, count=INT, truncated=BOOL, groups=ARRAY, pages=ARRAY),
    errors=[401, 422],
    parameters=PARAMETERS[:2],
)


async def knowledge_gaps(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    period = period_of(request, default_days=30)
    elevated = sees_everything(agent.role)
    found = await gaps_of(request).gaps(period, conversation_ids=elevated)
    await request.app[REPO].audit(  # customers' own words, from every team
        agent.id,
        Audit.VIEW_LEARNING,
        "knowledge_gaps",
        {"period": found["period"], "count": found["count"], "conversation_ids": elevated},
        client_address(request),
    )
    return web.json_response(found, headers={"Cache-Control": "no-store"})


CASE_REQUEST: Schema = obj(
    required=["message_id", "page_id"],
    message_id={"type": "string", "minLength": 1, "maxLength": 40},
    page_id={"type": "string", "minLength": 1, "maxLength": 200},
)
CASE_DOC = Doc(
    "Attach the help page that answers a customer's question (supervisors and admins): the question "
    "becomes a knowledge-base test case (KD_KNOWLEDGE_CASES_FILE) and leaves the content gaps",
    "learning",
    auth=SEC,
    request=CASE_REQUEST,
    response=obj(case={"type": "object"}, page={"type": "object"}),
    errors=[401, 403, 404, 422],
)


async def knowledge_case(request: web.Request) -> web.Response:
    supervisor = await current_agent(request, AgentRole.SUPERVISOR)
    body = await json_body(request)
    message_id, page_id = body.get("message_id"), body.get("page_id")
    if not (
        isinstance(message_id, str)
        and 0 < len(message_id) <= 40
        and isinstance(page_id, str)
        and 0 < len(page_id) <= 200
    ):
        raise InvalidInput("invalid_field", "'message_id' und 'page_id' müssen angegeben sein.")
    result = await gaps_of(request).attach(str(message_id), str(page_id))
    await request.app[REPO].audit(
        supervisor.id,
        "knowledge_case",
        str(message_id),
        {"page_id": page_id},
        client_address(request),
    )
    return web.json_response(result)
