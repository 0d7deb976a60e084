"""One route table (bot/hub/web/routes.py): no module adds routes as a side effect of being
imported, and the table and /api/v1/openapi.json list exactly the same operations."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

import bot.hub
from bot.hub.app import init_app
from bot.hub.settings import Settings
from bot.hub.web.spec import API, Api, Doc

HUB = Path(next(iter(bot.hub.__path__)))
TABLE = {HUB / "web" / "routes.py", HUB / "web" / "spec.py"}  # the table and its Api
ROUTER = {"router", "add_route", "add_get", "add_post", "add_put", "add_delete", "add_patch"}
ROUTER |= {"add_routes", "add_static", "add_view", "add_resource"}
DECORATORS = {"route", "get", "post", "put", "delete", "patch", "view"}  # @api.route(...) & co.
# Routed but not documented: the document itself, and nothing else.
UNDOCUMENTED = {("GET", "/api/v1/openapi.json")}


def hub_app() -> web.Application:
    return init_app(Settings())  # routes only: nothing is started


def test_only_the_route_table_adds_routes():
    """Handlers are plain functions: the router or a route decorator outside routes.py fails."""
    found = []
    for path in sorted(HUB.rglob("*.py")):
        if path in TABLE or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ROUTER:
                found.append(f"{path.relative_to(HUB)}:{node.lineno} .{node.attr}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(call, ast.Attribute) and call.attr in DECORATORS:
                        found.append(f"{path.relative_to(HUB)}:{node.lineno} @{call.attr}")
    assert found == []


def test_no_module_holds_a_route_registry():
    registries = []
    for info in pkgutil.walk_packages(bot.hub.__path__, "bot.hub."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, (Api, web.RouteTableDef, web.UrlDispatcher)):
                registries.append(f"{info.name}.{name}")
    assert registries == []


def test_the_document_lists_exactly_the_routed_operations():
    app = hub_app()
    documented = {
        (method.upper(), path)
        for path, operations in app[API].openapi("t", "1")["paths"].items()
        for method in operations
    }
    routed = {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.method != "HEAD"
        and route.resource is not None
        and route.resource.canonical.startswith(("/api/", "/webhooks/"))
    }
    assert documented == routed - UNDOCUMENTED
    assert UNDOCUMENTED <= routed  # a route taken out must leave this list too


def test_every_doc_next_to_a_handler_is_in_the_table():
    """A Doc the table leaves out is an operation missing from the routes and the document."""
    used = {id(op.doc) for op in hub_app()[API].operations}
    left_out = {
        f"{info.name}.{name}"
        for info in pkgutil.iter_modules([str(HUB / "web")], "bot.hub.web.")
        for name, value in vars(importlib.import_module(info.name)).items()
        if isinstance(value, Doc) and id(value) not in used
    }
    assert left_out == set()


async def test_every_documented_operation_reaches_its_handler():
    """Resolved as a request would be: no other route shadows a documented one."""
    app = hub_app()
    assert app[API].operations
    for op in app[API].operations:
        path = re.sub(r"\{[^}]+\}", "1", op.path)
        match = await app.router.resolve(make_mocked_request(op.method, path, app=app))
        assert match.handler is op.handler, f"{op.method} {op.path}"
