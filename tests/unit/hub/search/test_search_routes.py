"""GET /api/v1/agent/search: a parameter the document does not allow is a 400 naming it; the document
lists the operation; a login is needed."""

from __future__ import annotations

import pytest

from bot.hub.store.models import AuditEntry
from tests.unit.hub.conftest import rows
from tests.unit.hub.search.seed import conversation
from tests.unit.hub.search.test_service import login


@pytest.mark.parametrize(
    "params, name",
    [
        ({}, "'q'"),
        ({"q": "!!! ..."}, "'q'"),
        ({"q": "x" * 201}, "'q'"),
        ({"q": "paket", "page": "0"}, "'page'"),
        ({"q": "paket", "page": "51"}, "'page'"),
        ({"q": "paket", "per_page": "zwanzig"}, "'per_page'"),
        ({"q": "paket", "channel": "fax"}, "'channel'"),
        ({"q": "paket", "state": "offen"}, "'state'"),
        ({"q": "paket", "kind": "order"}, "'kind'"),
        ({"q": "paket", "agent": "0"}, "'agent'"),
        ({"q": "paket", "from": "2026-13-01"}, "'from'"),
        ({"q": "paket", "to": "2026-02-30"}, "'to'"),
        ({"q": "paket", "tag": ""}, "'tag'"),
        ({"q": "paket", "tag": "vip"}, "'tag'"),
        ({"q": "paket", "team": "t" * 41}, "'team'"),
    ],
)
async def test_bad_parameters_are_a_clear_400(client, params, name):
    headers = await login(client, "sina@shop.de", "supervisor")
    resp = await client.get("/api/v1/agent/search", params=params, headers=headers)
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error["code"] == "invalid_parameter" and error["message"].startswith(name)


async def test_needs_a_login_and_is_in_the_document(client):
    assert (await client.get("/api/v1/agent/search", params={"q": "paket"})).status == 401
    doc = await (await client.get("/api/v1/openapi.json")).json()
    op = doc["paths"]["/api/v1/agent/search"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {
        "q",
        "channel",
        "team",
        "state",
        "tag",
        "agent",
        "from",
        "to",
        "page",
    }
    assert {"200", "400", "401"} <= set(op["responses"])


async def test_every_search_is_audited(client):
    headers = await login(client, "sina@shop.de", "supervisor")
    conv = await conversation(client, ["Meine Adresse ist Hauptstraße 5"])
    resp = await client.get(
        "/api/v1/agent/search", params={"q": "hauptstrasse", "channel": "webchat"}, headers=headers
    )
    assert resp.status == 200
    [entry] = await rows(client, AuditEntry, AuditEntry.action == "search")
    assert entry.agent_id == int(headers["X-Agent-Id"]) and entry.ip == "127.0.0.1"
    assert entry.detail == {
        "query": "hauptstrasse",
        "filters": {"channel": "webchat"},
        "conversations": [conv["id"]],
    }
