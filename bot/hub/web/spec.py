"""Route registry that feeds both aiohttp and the OpenAPI document.

Every public route is declared once with `api.route(...)`; `/api/v1/openapi.json`
is generated from these declarations, so the document cannot drift from the code.
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
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple, Union

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


@dataclass
class RouteDoc:
    method: str
    path: str
    handler: Callable[..., Any]
    summary: str
    tag: str
    auth: str | None = None
    request: Schema | None = None
    response: Schema | None = None
    status: int = 200
    errors: List[ErrorSpec] = field(default_factory=list)
    parameters: List[Schema] = field(default_factory=list)  # query and header parameters (param())
    links: Dict[str, Schema] = field(
        default_factory=dict
    )  # OpenAPI links of the success response (link())
    media_type: str = JSON  # of the success response
    request_required: bool = True  # False: the body may be left out entirely
    request_media_type: str = JSON  # of the request body (uploads: the file's bytes)

    @property
    def operation_id(self) -> str:
        """Stable and unique: method and path (handler names repeat across modules)."""
        return f"{self.method.lower()}_" + re.sub(
            r"[^a-z0-9]+", "_", self.path.removeprefix("/api/v1/").lower()
        ).strip("_")


class Api:
    def __init__(self) -> None:
        self.routes: List[RouteDoc] = []

    def route(
        self,
        method: str,
        path: str,
        summary: str,
        tag: str,
        *,
        auth: str | None = None,
        request: Schema | None = None,
        response: Schema | None = None,
        status: int = 200,
        errors: Sequence[ErrorSpec] | None = None,
        parameters: Sequence[Schema] | None = None,
        links: Dict[str, Schema] | None = None,
        media_type: str = JSON,
        request_required: bool = True,
        request_media_type: str = JSON,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append(
                RouteDoc(
                    method,
                    path,
                    handler,
                    summary,
                    tag,
                    auth,
                    request,
                    response,
                    status,
                    list(errors or []),
                    list(parameters or []),
                    links or {},
                    media_type,
                    request_required,
                    request_media_type,
                )
            )
            return handler

        return register

    def add_to(self, app: web.Application) -> None:
        for r in self.routes:
            app.router.add_route(r.method, r.path, r.handler)

    def openapi(
        self, title: str, version: str, limits: Mapping[str, int] | None = None
    ) -> Dict[str, Any]:
        paths: Dict[str, Dict[str, Any]] = {}
        seen: set[str] = set()
        for r in self.routes:
            if r.operation_id in seen:
                raise ValueError(f"two routes for {r.method} {r.path}")
            seen.add(r.operation_id)
            op: Dict[str, Any] = {
                "operationId": r.operation_id,
                "summary": r.summary,
                "tags": [r.tag],
                "responses": {},
            }
            params = [
                {
                    "name": p.strip("{}"),
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
                for p in r.path.split("/")
                if p.startswith("{")
            ]
            params += r.parameters
            if params:
                op["parameters"] = params
            if r.auth:
                op["security"] = [{r.auth: []}]
            if r.request:
                op["requestBody"] = {
                    "required": r.request_required,
                    "content": {r.request_media_type: {"schema": r.request}},
                }
            ok: Dict[str, Any] = {"description": "OK"}
            if r.response:
                ok["content"] = {r.media_type: {"schema": r.response}}
            if r.links:
                ok["links"] = r.links
            op["responses"][str(r.status)] = ok
            for code, schema in sorted(self._errors(r).items()):
                op["responses"][str(code)] = error_doc(code, schema)
            paths.setdefault(r.path, {})[r.method.lower()] = op
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
                        "description": "Token from /api/v1/agent/login",
                    },
                },
                "schemas": {"Error": ERROR, "Message": MESSAGE},
            },
        }
        return fill_limits(doc, {**DEFAULT_LIMITS, **(limits or {})})

    @staticmethod
    def _errors(r: RouteDoc) -> Dict[int, Schema | None]:
        codes: Dict[int, Schema | None] = {code: None for code in BODY_ERRORS} if r.request else {}
        if r.auth:
            codes[401] = None
        for error in r.errors:
            code, schema = error if isinstance(error, tuple) else (error, None)
            codes[code] = schema
        return codes


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
    created_at=nullable(DATE_TIME),
)
