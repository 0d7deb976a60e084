"""Route registry that feeds both aiohttp and the OpenAPI document.

Every public route is declared once with `api.route(...)`; `/api/v1/openapi.json`
is generated from these declarations, so the document cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List

from aiohttp import web

Schema = Dict[str, Any]


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
    errors: List[int] = field(default_factory=list)


class Api:
    def __init__(self) -> None:
        self.routes: List[RouteDoc] = []

    def route(self, method: str, path: str, summary: str, tag: str, *, auth: str | None = None,
              request: Schema | None = None, response: Schema | None = None, status: int = 200,
              errors: List[int] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append(RouteDoc(method, path, handler, summary, tag, auth, request, response, status,
                                        errors or []))
            return handler
        return register

    def add_to(self, app: web.Application) -> None:
        for r in self.routes:
            app.router.add_route(r.method, r.path, r.handler)

    def openapi(self, title: str, version: str) -> Dict[str, Any]:
        paths: Dict[str, Dict[str, Any]] = {}
        for r in self.routes:
            op: Dict[str, Any] = {"summary": r.summary, "tags": [r.tag], "responses": {}}
            params = [{"name": p.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
                      for p in r.path.split("/") if p.startswith("{")]
            if params:
                op["parameters"] = params
            if r.auth:
                op["security"] = [{r.auth: []}]
            if r.request:
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": r.request}}}
            ok: Dict[str, Any] = {"description": "OK"}
            if r.response:
                ok["content"] = {"application/json": {"schema": r.response}}
            op["responses"][str(r.status)] = ok
            for code in sorted(set(r.errors + [400, 422] if r.request else r.errors)):
                op["responses"][str(code)] = {"description": "Error",
                                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            paths.setdefault(r.path, {})[r.method.lower()] = op
        return {
            "openapi": "3.0.3",
            "info": {"title": title, "version": version},
            "paths": paths,
            "components": {
                "securitySchemes": {
                    "conversationToken": {"type": "http", "scheme": "bearer",
                                          "description": "Token returned when the conversation was created"},
                    "agentToken": {"type": "http", "scheme": "bearer", "description": "Token from /api/v1/agent/login"},
                },
                "schemas": {"Error": ERROR, "Message": MESSAGE},
            },
        }


ERROR: Schema = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
MESSAGE: Schema = {"type": "object", "required": ["id", "sender", "created_at"], "properties": {
    "id": {"type": "string"}, "seq": {"type": "integer", "description": "server order within the conversation"},
    "sender": {"type": "string", "enum": ["customer", "bot", "agent", "system"]},
    "text": {"type": "string", "nullable": True},
    "buttons": {"type": "array", "items": {"type": "object", "properties": {
        "title": {"type": "string"}, "payload": {"type": "string"}}}},
    "created_at": {"type": "string", "format": "date-time"},
    "agent_name": {"type": "string", "nullable": True}, "custom": {"type": "object", "nullable": True}}}
MESSAGE_REF: Schema = {"$ref": "#/components/schemas/Message"}
MESSAGES: Schema = {"type": "object", "properties": {"messages": {"type": "array", "items": MESSAGE_REF}}}


def obj(**props: Schema) -> Schema:
    return {"type": "object", "properties": props}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
