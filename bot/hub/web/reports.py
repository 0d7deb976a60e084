"""Reports API for supervisors and admins: one JSON route per section, optional SVG charts, CSV exports.

Every route takes the period as `from` (a local date, company time zone) and `days` (1-366,
default 7 ending today), and optionally a `channel`, (sections about handoffs) a `team` and a `tag`
id (every section and export: only the conversations carrying the tag).
Any value the document allows is answered (a period in the far past or future simply holds
nothing).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Callable, Dict

from aiohttp import web

from bot.hub.errors import InvalidInput
from bot.hub.keys.config import COMPANY
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.reports.charts import charts
from bot.hub.reports.export import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    conversation_rows,
    csv_line,
    message_rows,
)
from bot.hub.reports.period import MAX_DAYS, Period
from bot.hub.reports.service import Reports
from bot.hub.states import AgentRole, ChannelName, values
from bot.hub.store.models import Agent
from bot.hub.web.agent import SEC, current_agent, query_int
from bot.hub.web.proxy import client_address
from bot.hub.web.spec import INT, STR, Doc, Schema, nullable, obj, param

Json = Dict[str, Any]
DATE_PATTERN = r"^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
NUMBER: Schema = {"type": "number"}
RATE: Schema = nullable({"type": "number", "minimum": 0, "maximum": 1})
DURATIONS: Schema = obj(
    count=INT,
    p50=nullable(NUMBER),
    p90=nullable(NUMBER),
    mean=nullable(NUMBER),
    max=nullable(NUMBER),
)
ARRAY: Schema = {"type": "array", "items": {"type": "object"}}
COUNTS: Schema = {"type": "object", "additionalProperties": {"type": "integer"}}
GRID: Schema = {
    "type": "array",
    "description": "7 weekdays (Monday first) x 24 local hours",
    "items": {"type": "array", "items": {"type": "integer"}},
}
PERIOD: Schema = obj(
    required=["from", "to", "days", "timezone"], **{"from": STR, "to": STR}, days=INT, timezone=STR
)
PARAMETERS = [
    param(
        "from",
        "query",
        {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        required=False,
        description="First day (local, company time zone); default: `days` days ending today",
    ),
    param(
        "days",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
        required=False,
        description="Length of the period in days (default 7)",
    ),
    param(
        "channel",
        "query",
        {"type": "string", "enum": list(values(ChannelName))},
        required=False,
        description="Only conversations of this channel",
    ),
]
TEAM_PARAM = param(
    "team",
    "query",
    {"type": "string", "minLength": 1, "maxLength": 40},
    required=False,
    description="Only this team's handoffs (escalations, queue, agents; company.yml `teams:`); "
    "the other sections cover every conversation",
)
TAG_PARAM = param(
    "tag",
    "query",
    {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    required=False,
    description="Only conversations carrying this tag id (GET /api/v1/agent/tags; issue 27.9), in every "
    "section: their messages, handoffs, claims, replies, ratings, help-page answers and SLA clocks; "
    "the tags section then counts the tags those conversations carry. An id no tag has counts nothing",
)
SVG_PARAM = param(
    "svg",
    "query",
    {"type": "boolean"},
    required=False,
    description="Add server-rendered SVG charts of the figures (`charts`: name -> SVG)",
)


def section_schema(**props: Schema) -> Schema:
    return obj(
        required=["section", "period", "channel", "team", "tag", *props],
        section=STR,
        period=PERIOD,
        channel=nullable(STR),
        team=nullable(STR),
        tag=nullable(INT),
        charts={"type": "object", "additionalProperties": {"type": "string"}},
        **props,
    )


SCHEMAS: Dict[str, Schema] = {
    "volume": section_schema(
        conversations=obj(total=INT, by_channel=COUNTS, per_day=ARRAY),
        messages=obj(total=INT, by_sender=COUNTS, per_day=ARRAY),
        heatmap=obj(conversations=GRID, customer_messages=GRID),
    ),
    "containment": section_schema(
        conversations=INT,
        engaged=INT,
        escalated=INT,
        with_agent=INT,
        stuck=INT,
        bot_only=INT,
        resolved_by_bot=INT,
        containment_rate=RATE,
        escalation_rate=RATE,
        per_day=ARRAY,
    ),
    "escalations": section_schema(total=INT, by_reason=ARRAY, by_topic=ARRAY, per_day=ARRAY),
    "queue": section_schema(
        queued=INT,
        taken=INT,
        abandoned=INT,
        callback=INT,
        still_waiting=INT,
        tickets=INT,
        tickets_outside_hours=INT,
        tickets_no_agent=INT,
        abandon_rate=RATE,
        wait_seconds=DURATIONS,
        wait_histogram=ARRAY,
    ),
    "agents": section_schema(
        agents=ARRAY,
        conversations=INT,
        handbacks=INT,
        transfers=INT,
        replies=INT,
        first_response_seconds=DURATIONS,
        handling_seconds=DURATIONS,
    ),
    "satisfaction": section_schema(
        all={"type": "object"},
        bot_only={"type": "object"},
        after_agent={"type": "object"},
        per_day=ARRAY,
    ),
    "understanding": section_schema(
        typed=INT,
        read=INT,
        fallback=INT,
        low_confidence=INT,
        fallback_rate=RATE,
        fallback_escalations=INT,
        by_intent=ARRAY,
        per_day=ARRAY,
    ),
    "knowledge": section_schema(
        answers=INT,
        helpful=INT,
        unhelpful=INT,
        abstentions=INT,
        helpful_rate=RATE,
        answer_rate=RATE,
        top_pages=ARRAY,
        per_day=ARRAY,
    ),
    "sla": section_schema(teams=ARRAY, agents=ARRAY),
    "tags": section_schema(tags=ARRAY),
}
SUMMARIES = {
    "volume": "Conversations and messages per day, by channel and sender; heatmap by weekday and hour",
    "containment": "Bot containment: share of engaged conversations resolved without a human, per day",
    "escalations": "Handoffs by reason, by topic and per day",
    "queue": "Waiting for a human: p50/p90 wait, abandoned, callbacks, tickets outside hours",
    "agents": "Per agent: conversations taken, first response, handling time, hand-backs",
    "satisfaction": "Ratings 1-5, bot only vs after a human: distribution, averages per day",
    "understanding": "Fallback rate, low confidence, intent distribution, fallback escalations",
    "knowledge": "Answers from the help pages: given, marked helpful or unhelpful, abstentions, top pages",
    "sla": "SLA attainment in business time: first response and resolution per team and per agent",
    "tags": "Per tag: conversations started and requests recorded in the period carrying it "
    "(with ?tag=: the tags that come with that tag)",
}


def period_of(request: web.Request, default_days: int = 7) -> Period:
    """The period from the query; the document's schema says what is accepted."""
    tz = request.app[COMPANY].tz
    raw_days = request.query.get("days")  # absent: the default; anything given must be valid
    if raw_days is not None and not re.fullmatch(r"[0-9]{1,4}", raw_days):
        raise InvalidInput("invalid_field", "'days' muss eine Zahl sein.")
    days = int(raw_days) if raw_days is not None else default_days
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("invalid_field", f"'days' muss zwischen 1 und {MAX_DAYS} liegen.")
    raw_from = request.query.get("from")
    if raw_from is None:
        return Period.ending_today(days, tz)
    try:
        if not re.fullmatch(DATE_PATTERN, raw_from):
            raise ValueError(raw_from)
        first = date.fromisoformat(raw_from)
    except ValueError:
        raise InvalidInput(
            "invalid_field", "'from' muss ein Datum (JJJJ-MM-TT) zwischen 2000 und 2999 sein."
        ) from None
    return Period(first, days, tz)


def channel_of(request: web.Request) -> str | None:
    channel = request.query.get("channel")
    if channel is not None and channel not in values(ChannelName):
        raise InvalidInput(
            "invalid_field", f"'channel' muss einer von {', '.join(values(ChannelName))} sein."
        )
    return channel


def tag_of(request: web.Request) -> int | None:
    """The `tag` filter: a tag id (malformed: 422). An id no tag has counts nothing, as the request
    list's tag filter does, so a tag merged or deleted meanwhile gives an empty report, not an error."""
    return query_int(request, "tag")


def flag_of(request: web.Request, name: str) -> bool:
    raw = request.query.get(name)
    if raw in (None, "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise InvalidInput("invalid_field", f"'{name}' muss true oder false sein.")


async def supervisor(request: web.Request) -> Agent:
    """Reports are for supervisors and admins (AgentAuth.authenticate: a role that sees everything)."""
    return await current_agent(request, AgentRole.SUPERVISOR)


def reports_of(request: web.Request) -> Reports:
    return Reports(request.app[REPO].sessions, request.app[COMPANY], request.app[QUEUE].teams)


def section_handler(name: str) -> Callable[[web.Request], Any]:
    """The handler of one report section (GET /api/v1/agent/reports/<name>, web/routes.py)."""

    async def handler(request: web.Request) -> web.Response:
        await supervisor(request)
        period, channel, with_svg = period_of(request), channel_of(request), flag_of(request, "svg")
        figures = await reports_of(request).section(
            name, period, channel, request.query.get("team"), tag_of(request)
        )
        if with_svg:
            figures["charts"] = charts(name, figures)
        return web.json_response(figures, headers={"Cache-Control": "no-store"})

    handler.__name__ = f"report_{name}"
    return handler


def section_doc(name: str) -> Doc:
    return Doc(
        SUMMARIES[name] + " (supervisors and admins)",
        "reports",
        auth=SEC,
        response=SCHEMAS[name],
        errors=[401, 403, 404, 422],
        parameters=[*PARAMETERS, TEAM_PARAM, TAG_PARAM, SVG_PARAM],
    )


async def stream_csv(
    request: web.Request,
    agent: Agent,
    kind: str,
    columns: list,
    rows: Any,
    period: Period,
    channel: str | None,
    tag: int | None = None,
) -> web.StreamResponse:
    await request.app[REPO].audit(
        agent.id,
        "report_export",
        kind,
        {**period.json(), "channel": channel, **({"tag": tag} if tag else {})},
        client_address(request),
    )
    stamp = datetime.now(timezone.utc).astimezone(period.tz).strftime("%Y%m%d")
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="kundendialog-{kind}-{period.first}-{period.last}-{stamp}.csv"',
        }
    )
    await response.prepare(request)
    await response.write(csv_line(columns, {c: c for c in columns}).encode())
    chunk: list = []
    async for row in rows(request.app[REPO].sessions, period, channel, tag):
        chunk.append(csv_line(columns, row))
        if len(chunk) >= 500:
            await response.write("".join(chunk).encode())
            chunk = []
    if chunk:
        await response.write("".join(chunk).encode())
    await response.write_eof()
    return response


CSV = {"type": "string", "description": "RFC 4180 CSV, UTF-8, header row first"}
EXPORT_TAG_PARAM = param(
    "tag",
    "query",
    {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    required=False,
    description="Only conversations carrying this tag id (their messages, their handoffs; issue 27.9)",
)


EXPORT_CONVERSATIONS_DOC = Doc(
    "CSV, one row per conversation started in the period: id, channel, start, end, state path, escalation "
    "reasons, wait, handling time, agents, rating, intents, tags; ?tag= a tag id: only conversations "
    "carrying it (supervisors and admins; audit-logged)",
    "reports",
    auth=SEC,
    response=CSV,
    media_type="text/csv",
    errors=[401, 403, 422],
    parameters=[*PARAMETERS, EXPORT_TAG_PARAM],
)


async def export_conversations(request: web.Request) -> web.StreamResponse:
    agent = await supervisor(request)
    period, channel = period_of(request), channel_of(request)
    return await stream_csv(
        request,
        agent,
        "conversations",
        CONVERSATION_COLUMNS,
        conversation_rows,
        period,
        channel,
        tag_of(request),
    )


EXPORT_MESSAGES_DOC = Doc(
    "CSV, one row per message written in the period, with sender, text, intent, confidence and mood; "
    "?tag= a tag id: only the messages of conversations carrying it (supervisors and admins; "
    "audit-logged)",
    "reports",
    auth=SEC,
    response=CSV,
    media_type="text/csv",
    errors=[401, 403, 422],
    parameters=[*PARAMETERS, EXPORT_TAG_PARAM],
)


async def export_messages(request: web.Request) -> web.StreamResponse:
    agent = await supervisor(request)
    period, channel = period_of(request), channel_of(request)
    return await stream_csv(
        request, agent, "messages", MESSAGE_COLUMNS, message_rows, period, channel, tag_of(request)
    )
