"""The documented routes: one table (web/routes.py) feeds both aiohttp and the OpenAPI document.

Every public route is added once, with the `Doc` written next to its handler, through
`Api.get/post/delete`; `/api/v1/openapi.json` is generated from that same table, so the
document cannot drift from the routes.
The document is a contract checked by schemathesis (tests/unit/hub/test_contract.py):
every status a route can answer is listed, and a request body is valid by the schema
exactly when the hub accepts it. So the statuses every route shares are added here
(a JSON body: 400 malformed, 413 too large, 415 not JSON, 422 invalid; a token: 401),
and text fields are described as the hub reads them (`text_input()`: at least one
non-blank character, the limit counted before trimming).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Sequence, Tuple, Union

from aiohttp import web

Schema = Dict[str, Any]
ErrorSpec = Union[
    int, Tuple[int, Schema]
]  # a status, or a status with its own body schema (not Error)
JSON = "application/json"
MAX_TEXT = "max_text_length"  # a maxLength filled in from the settings when the document is built
DEFAULT_LIMITS = {MAX_TEXT: 2000}
BODY_ERRORS = (400, 413, 415, 422)
# A character that is blank neither to Python (str.strip, \x1c-\x1f, \x85) nor to ECMA-262 regular
# expressions (\ufeff), which the document's patterns follow: body.BLANK is the same set.
NON_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Doc:
    """What the document says about one operation; its method and path come from the route table."""

    summary: str
    tag: str
    auth: str | None = None
    request: Schema | None = None
    response: Schema | None = None
    status: int = 200
    errors: Sequence[ErrorSpec] = ()
    parameters: Sequence[Schema] = ()  # query and header parameters (param())
    links: Mapping[str, Schema] = field(default_factory=dict)  # of the success response (link())
    media_type: str = JSON  # of the success response
    request_required: bool = True  # False: the body may be left out entirely
    request_media_type: str = JSON  # of the request body (uploads: the file's bytes)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    doc: Doc

    @property
    def operation_id(self) -> str:
        """Stable and unique: method and path (handler names repeat across modules)."""
        return f"{self.method.lower()}_" + re.sub(
            r"[^a-z0-9]+", "_", self.path.removeprefix("/api/v1/").lower()
        ).strip("_")


class Api:
    """Adds documented routes to the router and keeps them for the document."""

    def __init__(self, router: web.UrlDispatcher) -> None:
        self.router = router
        self.operations: List[Operation] = []

    def add(self, method: str, path: str, handler: Handler, doc: Doc) -> None:
        self.router.add_route(method, path, handler)
        self.operations.append(Operation(method, path, handler, doc))

    def get(self, path: str, handler: Handler, doc: Doc) -> None:
        self.add("GET", path, handler, doc)

    def post(self, path: str, handler: Handler, doc: Doc) -> None:
        self.add("POST", path, handler, doc)

    def delete(self, path: str, handler: Handler, doc: Doc) -> None:
        self.add("DELETE", path, handler, doc)

    def openapi(
        self, title: str, version: str, limits: Mapping[str, int] | None = None
    ) -> Dict[str, Any]:
        paths: Dict[str, Dict[str, Any]] = {}
        seen: set[str] = set()
        for o in self.operations:
            d = o.doc
            if o.operation_id in seen:
                raise ValueError(f"two routes for {o.method} {o.path}")
            seen.add(o.operation_id)
            op: Dict[str, Any] = {
                "operationId": o.operation_id,
                "summary": d.summary,
                "tags": [d.tag],
                "responses": {},
            }
            params = [
                {
                    "name": p.strip("{}"),
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
                for p in o.path.split("/")
                if p.startswith("{")
            ]
            params += d.parameters
            if params:
                op["parameters"] = params
            if d.auth:
                op["security"] = [{d.auth: []}]
            if d.request:
                op["requestBody"] = {
                    "required": d.request_required,
                    "content": {d.request_media_type: {"schema": d.request}},
                }
            ok: Dict[str, Any] = {"description": "OK"}
            if d.response:
                ok["content"] = {d.media_type: {"schema": d.response}}
            if d.links:
                ok["links"] = d.links
            op["responses"][str(d.status)] = ok
            for code, schema in sorted(self._errors(d).items()):
                op["responses"][str(code)] = error_doc(code, schema)
            paths.setdefault(o.path, {})[o.method.lower()] = op
        doc = {
            "openapi": "3.0.3",
            "info": {"title": title, "version": version},
            "paths": paths,
            "components": {
                "securitySchemes": {
                    "conversationToken": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "Token returned when the conversation was created",
                    },
                    "agentToken": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "Token from /api/v1/agent/login; with KD_ADMIN_2FA, admin "
                        "operations need a session opened with a TOTP code (else 403 "
                        "two_factor_session_required)",
                    },
                },
                "schemas": {"Error": ERROR, "Message": MESSAGE},
            },
        }
        return fill_limits(doc, {**DEFAULT_LIMITS, **(limits or {})})

    @staticmethod
    def _errors(d: Doc) -> Dict[int, Schema | None]:
        codes: Dict[int, Schema | None] = {code: None for code in BODY_ERRORS} if d.request else {}
        if d.auth:
            codes[401] = None
        for error in d.errors:
            code, schema = error if isinstance(error, tuple) else (error, None)
            codes[code] = schema
        return codes


API = web.AppKey("api", Api)  # the documented routes of this app, for /api/v1/openapi.json


def error_doc(code: int, schema: Schema | None) -> Dict[str, Any]:
    body = schema or {"$ref": "#/components/schemas/Error"}
    doc: Dict[str, Any] = {"description": "Error", "content": {JSON: {"schema": body}}}
    if code == 429:
        doc["headers"] = {
            "Retry-After": {
                "description": "Seconds until the limit lets the next request through",
                "required": True,
                "schema": {"type": "integer"},
            }
        }
    return doc


def fill_limits(node: Any, limits: Mapping[str, int]) -> Any:
    """Replace named limits (e.g. maxLength MAX_TEXT) with this hub's configured values."""
    if isinstance(node, dict):
        return {
            k: (limits[v] if k == "maxLength" and isinstance(v, str) else fill_limits(v, limits))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [fill_limits(v, limits) for v in node]
    return node


# -- schema helpers ----------------------------------------------------------------------------


def obj(*, required: List[str] | None = None, **props: Schema) -> Schema:
    schema: Schema = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def nullable(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def text_input(
    max_length: int | str, *, min_length: int = 1, description: str | None = None
) -> Schema:
    """A text field as body.text_field reads it: at most max_length characters as sent, and at
    least min_length once leading and trailing whitespace is trimmed."""
    pattern = (
        NON_BLANK
        if min_length <= 1
        else NON_BLANK + r"[\s\S]{" + str(min_length - 2) + r",}" + NON_BLANK
    )
    schema: Schema = {"type": "string", "pattern": pattern, "maxLength": max_length}
    if description:
        schema["description"] = description
    return schema


def param(
    name: str, where: str, schema: Schema, required: bool = True, description: str | None = None
) -> Schema:
    doc: Schema = {"name": name, "in": where, "required": required, "schema": schema}
    if description:
        doc["description"] = description
    return doc


def link(operation_id: str, description: str, **parameters: str) -> Schema:
    return {"operationId": operation_id, "description": description, "parameters": parameters}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}

ERROR: Schema = obj(
    required=["error"], error=obj(required=["code", "message"], code=STR, message=STR)
)
MESSAGE: Schema = {
    "type": "object",
    "required": ["id", "seq", "sender", "text", "buttons", "created_at"],
    "properties": {
        "id": STR,
        "seq": {"type": "integer", "description": "server order within the conversation"},
        "sender": {"type": "string", "enum": ["customer", "bot", "agent", "system"]},
        "text": nullable(STR),
        "buttons": {"type": "array", "items": obj(title=STR, payload=STR)},
        "created_at": DATE_TIME,
        "agent_name": nullable(STR),
        "custom": nullable({"type": "object"}),
    },
}
MESSAGE_REF: Schema = {"$ref": "#/components/schemas/Message"}
MESSAGES: Schema = obj(required=["messages"], messages={"type": "array", "items": MESSAGE_REF})
TICKET: Schema = obj(
    required=["id", "conversation_id", "status", "created_at"],
    id=INT,
    conversation_id=nullable(STR),
    contact=nullable(STR),
    note=nullable(STR),
    summary=nullable({"type": "object"}),
    status=STR,
    reason=nullable(STR),
    reason_label=nullable(STR),
    created_at=nullable(DATE_TIME),
    team=nullable(STR),
    closed_at=nullable(DATE_TIME),
    closed_by=nullable(INT),
)
