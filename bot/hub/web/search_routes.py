"""GET /api/v1/agent/search: the console's one search box (issue 27.8; bot/hub/search).

Every search is in the audit log (who searched for what, and which conversations the page showed),
as every other read of customer data is (issue 23.12).

Every parameter is checked against what the document says; a value it does not allow is a 400 that
names the parameter. A value it allows is answered, even if it finds nothing (an unknown team or
tag, `from` after `to`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping, Tuple

from aiohttp import web

from bot.hub.errors import MalformedRequest
from bot.hub.handoff.audit import Audit
from bot.hub.handoff.visibility import sees_everything
from bot.hub.keys.config import COMPANY
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.search.fold import WORD, terms
from bot.hub.search.scope import Scope
from bot.hub.search.service import KINDS, Search, SearchQuery
from bot.hub.states import ChannelName, ConversationState, values
from bot.hub.web.agent import SEC, current_agent
from bot.hub.web.body import id_value
from bot.hub.web.proxy import client_address
from bot.hub.web.reports import DATE_PATTERN
from bot.hub.web.spec import BOOL, ID, INT, STR, Doc, Schema, nullable, obj, param

MAX_QUERY = 200
MAX_PAGE = 50
MAX_PER_PAGE = 50
TICKET_NUMBER = re.compile(r"#?([0-9]{1,9})")


def bad(name: str, rule: str) -> MalformedRequest:
    return MalformedRequest("invalid_parameter", f"'{name}' {rule}.")


def number(query: Mapping[str, str], name: str, default: int, top: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= top:
        raise bad(name, f"muss eine Zahl von 1 bis {top} sein")
    return int(raw)


def choice(query: Mapping[str, str], name: str, allowed: Tuple[str, ...]) -> str | None:
    raw = query.get(name)
    if raw is not None and raw not in allowed:
        raise bad(name, f"muss einer von {', '.join(allowed)} sein")
    return raw


def label(query: Mapping[str, str], name: str) -> str | None:
    raw = query.get(name)
    if raw is not None and not 1 <= len(raw) <= 40:
        raise bad(name, "muss 1 bis 40 Zeichen lang sein")
    return None if raw is None else raw.replace("\x00", "\ufffd")  # PostgreSQL text holds no NUL


def identifier(query: Mapping[str, str], name: str, rule: str) -> int | None:
    raw = query.get(name)
    value = id_value(raw) if raw is not None else None
    if raw is not None and value is None:
        raise bad(name, rule)
    return value


def day(query: Mapping[str, str], name: str) -> date | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        if not re.fullmatch(DATE_PATTERN, raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise bad(name, "muss ein Datum (JJJJ-MM-TT) zwischen 2000 und 2999 sein") from None


def parse(query: Mapping[str, str], tz: object) -> SearchQuery:
    """The search from the query string; a 400 names the first parameter that is not allowed."""
    text = query.get("q")
    if text is None or len(text) > MAX_QUERY or not WORD.search(text):
        raise bad(
            "q",
            f"muss mindestens einen Buchstaben oder eine Ziffer enthalten (höchstens {MAX_QUERY} Zeichen)",
        )
    kind = choice(query, "kind", KINDS)
    agent_id = identifier(query, "agent", "muss die Nummer eines Mitarbeiters sein")
    tag_id = identifier(query, "tag", "muss die Nummer eines Schlagworts sein")
    first, last = day(query, "from"), day(query, "to")

    def utc(d: date) -> datetime:
        local = datetime.combine(d, time.min, tzinfo=tz)  # type: ignore[arg-type]
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    number_match = TICKET_NUMBER.fullmatch(text.strip())
    return SearchQuery(
        terms=tuple(terms(text)),
        kinds=(kind,) if kind else KINDS,
        channel=choice(query, "channel", values(ChannelName)),
        team=label(query, "team"),
        state=choice(query, "state", values(ConversationState)),
        tag=tag_id,
        agent_id=agent_id,
        start=utc(first) if first else None,
        end=utc(last + timedelta(days=1)) if last else None,
        page=number(query, "page", 1, MAX_PAGE),
        per_page=number(query, "per_page", 20, MAX_PER_PAGE),
        ticket_number=int(number_match.group(1))
        if number_match and int(number_match.group(1))
        else None,
    )


HIT: Schema = obj(
    required=[
        "kind",
        "id",
        "conversation_id",
        "created_at",
        "snippet",
        "score",
        "channel",
        "state",
    ],
    kind={"type": "string", "enum": list(KINDS)},
    id={
        **STR,
        "description": "message seq, note id, request number, or the conversation id (contact)",
    },
    conversation_id=STR,
    created_at=nullable({"type": "string", "format": "date-time"}),
    snippet={
        **STR,
        "description": "HTML: the excerpt escaped, the matching words in <mark>; safe to insert as markup",
    },
    score={"type": "number"},
    sender=nullable(STR),
    ticket_status=nullable(STR),
    channel=STR,
    state=STR,
    display_name=nullable(
        {**STR, "description": "as the customer's platform gave it: unescaped text"}
    ),
)
SEARCH_DOC = Doc(
    "Full-text search over transcripts, internal notes, requests and contact fields, ranked, with "
    "highlighted excerpts; German analysis (PostgreSQL 'german', SQLite FTS5 with umlauts and ß folded), "
    "every word a prefix. Plain agents find only what they may open (their conversations, their teams' "
    "queues and requests); supervisors and admins find everything",
    "agent",
    auth=SEC,
    response=obj(
        required=["query", "page", "per_page", "has_more", "results"],
        query=STR,
        page=INT,
        per_page=INT,
        has_more=BOOL,
        results={"type": "array", "items": HIT},
    ),
    errors=[400],
    parameters=[
        param(
            "q",
            "query",
            {"type": "string", "minLength": 1, "maxLength": MAX_QUERY, "pattern": r"[^\W_]"},
            description="Words to find (all of them, each as the start of a word); a request's number alone "
            "('88' or '#88') also finds that request",
        ),
        param(
            "kind",
            "query",
            {"type": "string", "enum": list(KINDS)},
            required=False,
            description="Only hits of this kind",
        ),
        param(
            "channel",
            "query",
            {"type": "string", "enum": list(values(ChannelName))},
            required=False,
        ),
        param(
            "state",
            "query",
            {"type": "string", "enum": list(values(ConversationState))},
            required=False,
            description="The conversation's state now",
        ),
        param(
            "team",
            "query",
            {"type": "string", "minLength": 1, "maxLength": 40},
            required=False,
            description="Conversations handed to or with a request of this team (company.yml `teams:` key)",
        ),
        param(
            "tag",
            "query",
            ID,
            required=False,
            description="Conversations with this tag (its id), on themselves or on one of their requests",
        ),
        param(
            "agent",
            "query",
            ID,
            required=False,
            description="Conversations this agent claimed, holds or wrote in",
        ),
        param(
            "from",
            "query",
            {"type": "string", "format": "date", "pattern": DATE_PATTERN},
            required=False,
            description="Hits from this local day on (company time zone)",
        ),
        param(
            "to",
            "query",
            {"type": "string", "format": "date", "pattern": DATE_PATTERN},
            required=False,
            description="Hits up to and including this local day",
        ),
        param(
            "page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, required=False
        ),
        param(
            "per_page",
            "query",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            required=False,
        ),
    ],
)


async def search(request: web.Request) -> web.Response:
    agent = await current_agent(request)
    q = parse(request.query, request.app[COMPANY].tz)
    queue = request.app[QUEUE]
    scope = Scope(agent.id, sees_everything(agent.role), await queue.agent_teams(agent))
    found = await Search(request.app[REPO].sessions, queue.teams).search(q, scope)
    shown = list(dict.fromkeys(hit["conversation_id"] for hit in found["results"]))
    filters = {k: v for k, v in request.query.items() if k != "q"}
    await request.app[REPO].audit(
        agent.id,
        Audit.SEARCH,
        None,
        {"query": request.query["q"], "filters": filters, "conversations": shown},
        client_address(request),
    )
    return web.json_response(
        {"query": request.query["q"], **found}, headers={"Cache-Control": "no-store"}
    )
