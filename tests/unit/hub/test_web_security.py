"""Web hardening: security headers, CORS only where a shop needs it, hostile JSON, no internal
triage for customers, the page URL only when configured, 405 with Allow."""

import asyncio
import json

import pytest

from bot.hub.app import init_app
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.push import BUS
from bot.hub.keys.store import REPO
from bot.hub.notifier import AGENTS, customer_topic
from bot.hub.store.models import Conversation, Message
from bot.hub.web.body import MAX_DEPTH
from tests.unit.hub.conftest import auth, rows, start, stored

SHOP = "https://shop.example"
INTERNAL = ("handoff", "summary", "mood", "verärgert", "intents")
HANDOFF = {
    "handoff": {
        "reason": "frustration",
        "priority": "urgent",
        "summary": {
            "topic": "Reklamation",
            "mood": 0.91,
            "mood_label": "Kunde ist verärgert",
            "intents": ["complaint", "frustration"],
        },
    }
}


# -- headers -------------------------------------------------------------------------------


async def test_every_response_carries_the_security_headers(client):
    conv = await start(client)
    responses = [
        await client.get(path)
        for path in (
            "/",
            "/console",
            "/widget.js",
            "/static/widget/main.js",
            "/api/v1/openapi.json",
            "/api/v1/nothing",
            "/nothing",
            f"/api/v1/conversations/{conv['conversation_id']}/messages",
        )
    ]
    responses.append(
        await client.post("/api/v1/conversations", data="x", headers={"Content-Type": "text/plain"})
    )
    for resp in responses:
        assert resp.headers["X-Content-Type-Options"] == "nosniff", resp.url
        assert resp.headers["Referrer-Policy"] == "no-referrer", resp.url
        assert "Content-Security-Policy" in resp.headers, resp.url


def directives(resp) -> dict:
    policy = resp.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


async def test_pages_allow_only_their_own_origin_and_the_console_is_never_framed(client):
    console = directives(await client.get("/console", headers={"Host": "hub.example:8443"}))
    assert console["default-src"] == ["'self'"] and console["frame-ancestors"] == ["'none'"]
    assert set(console["connect-src"]) == {
        "'self'",
        "ws://hub.example:8443",
        "wss://hub.example:8443",
    }
    assert (
        "'unsafe-inline'" not in json.dumps(console) and "script-src" not in console
    )  # default-src 'self' only
    assert (await client.get("/console")).headers["X-Frame-Options"] == "DENY"
    shop = directives(await client.get("/"))
    assert shop["default-src"] == ["'self'"] and shop["frame-ancestors"] == ["'self'"]
    api = directives(await client.get("/api/v1/states"))
    assert api["default-src"] == ["'none'"] and api["frame-ancestors"] == ["'none'"]
    # a hostile Host header cannot smuggle directives into the policy
    evil = (await client.get("/console", headers={"Host": "x; script-src *"})).headers[
        "Content-Security-Policy"
    ]
    assert "script-src" not in evil


async def test_pages_have_no_inline_script_or_style_the_policy_would_block():
    """CSP without 'unsafe-inline': every script and style must come from a file."""
    import re
    from pathlib import Path

    from bot.hub.web.pages import STATIC

    for page in STATIC.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", html), page.name
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), page.name
    for module in Path(STATIC).rglob(
        "*.js"
    ):  # style attributes set through el() are inline styles too
        assert not re.search(r"\bstyle:\s*['`]", module.read_text(encoding="utf-8")), module.name


async def test_cors_only_on_customer_routes_and_widget_assets(client, agent):
    origin = {"Origin": SHOP}
    conv = await start(client)
    customer = [
        await client.post("/api/v1/conversations", json={"channel": "webchat"}, headers=origin),
        await client.get(
            f"/api/v1/conversations/{conv['conversation_id']}", headers={**origin, **auth(conv)}
        ),
        await client.options("/api/v1/conversations/x/messages", headers=origin),
    ]
    for resp in customer:
        assert resp.headers["Access-Control-Allow-Origin"] == SHOP, resp.url
    for path in ("/widget.js", "/widget.css", "/static/widget/main.js", "/static/shared/dom.js"):
        assert (await client.get(path, headers=origin)).headers[
            "Access-Control-Allow-Origin"
        ] == "*", path
    agent_side = [
        await client.get("/api/v1/agent/me", headers={**origin, **agent}),
        await client.post(
            "/api/v1/agent/login", json={"email": "x@y.de", "password": "nope"}, headers=origin
        ),
        await client.options("/api/v1/agent/me", headers=origin),
        await client.get("/console", headers=origin),
        await client.get("/console.css", headers=origin),
        await client.get("/static/console/main.js", headers=origin),
    ]
    for resp in agent_side:
        assert not any(h.startswith("Access-Control-") for h in resp.headers), resp.url
    assert agent_side[2].status in (403, 405)


# -- hostile JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 30000 + "]" * 30000,
        '{"a":' * 6000 + "1" + "}" * 6000,
        '{"channel": "webchat", "metadata": '
        + '{"a":' * (MAX_DEPTH + 1)
        + "1"
        + "}" * (MAX_DEPTH + 2),
    ],
)
async def test_deeply_nested_json_is_a_400_and_nothing_is_stored(client, body):
    resp = await client.post(
        "/api/v1/conversations", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_json"
    assert await stored(client) == (0, 0, 0)


async def test_nan_and_infinity_are_not_json(client):
    """Python would parse them; PostgreSQL's JSON columns would then fail with a 500."""
    for constant in ("NaN", "Infinity", "-Infinity"):
        resp = await client.post(
            "/api/v1/conversations",
            data='{"metadata": {"score": ' + constant + "}}",
            headers={"Content-Type": "application/json"},
        )
        assert resp.status == 400, constant
    assert await stored(client) == (0, 0, 0)


# -- no internal triage for customers ---------------------------------------------------------------


async def test_customers_never_see_the_handoff_payload(client, fake_rasa, agent):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    posted = await client.post(url, json={"text": "Ich will einen Menschen!"}, headers=auth(conv))
    assert posted.status == 200
    await client.app[CONVERSATIONS].post(
        await client.app[CONVERSATIONS].get(conv["conversation_id"]),
        "bot",
        "Ich verbinde Sie.",
        custom=HANDOFF,
    )
    transcript = await client.get(url, headers=auth(conv))
    for resp in (posted, transcript):
        text = await resp.text()
        assert not [word for word in INTERNAL if word in text], text
    messages = (await transcript.json())["messages"]
    assert "Ich verbinde Sie." in [m["text"] for m in messages]
    assert all(
        m["text"] or m["buttons"] or m["custom"] for m in messages
    )  # nothing left that is only triage
    assert any((m["custom"] or {}).get("queue") for m in messages)  # what the customer needs stays
    stored_custom = [m.custom for m in await rows(client, Message) if m.custom]
    assert any("handoff" in c for c in stored_custom)  # stored in full, only hidden
    detail = await (
        await client.get(f"/api/v1/agent/conversations/{conv['conversation_id']}", headers=agent)
    ).json()
    assert detail["handoff"]["summary"]["topic"] == "Lieferstatus"
    assert any(
        (m["custom"] or {}).get("handoff") for m in detail["messages"]
    )  # agents see everything


async def test_customer_websocket_frames_carry_no_triage(client):
    """What the customer's websocket forwards: the frames published on the conversation's topic."""
    conv = await start(client)
    service = client.app[CONVERSATIONS]
    customer_frames = client.app[BUS].subscribe(customer_topic(conv["conversation_id"]))
    agent_frames = client.app[BUS].subscribe(AGENTS)
    await client.app[REPO].update_conversation(
        conv["conversation_id"], state="queued"
    )  # agents hear it too
    await service.post(
        await service.get(conv["conversation_id"]),
        "bot",
        "Einen Moment.",
        custom={**HANDOFF, "queue": {"position": 1}},
    )
    frame = await asyncio.wait_for(customer_frames.get(), 5)
    assert frame["message"]["text"] == "Einen Moment." and frame["message"]["custom"] == {
        "queue": {"position": 1}
    }
    assert not [word for word in INTERNAL if word in json.dumps(frame, ensure_ascii=False)]
    assert (await asyncio.wait_for(agent_frames.get(), 5))["message"]["custom"][
        "handoff"
    ] == HANDOFF["handoff"]


# -- page URL -------------------------------------------------------------------------------

PAGE = "https://shop.example/kasse?email=anna.schmidt%40web.de#zahlung"


async def test_the_page_url_is_not_stored_by_default(client):
    resp = await client.post(
        "/api/v1/conversations",
        json={"channel": "webchat", "metadata": {"page": PAGE, "shop": "waldmann"}},
    )
    assert resp.status == 201
    (conv,) = await rows(client, Conversation)
    assert conv.meta == {"shop": "waldmann"}


async def test_the_page_url_is_stored_without_query_when_configured(aiohttp_client, settings):
    settings.store_page_url = True
    client = await aiohttp_client(init_app(settings))
    assert (
        await client.post("/api/v1/conversations", json={"metadata": {"page": PAGE}})
    ).status == 201
    (conv,) = await rows(client, Conversation)
    assert conv.meta == {"page": "https://shop.example/kasse"}


# -- 405 -------------------------------------------------------------------------------------


async def test_405_names_the_allowed_methods(client):
    for path, allowed in (
        ("/api/v1/conversations", {"POST"}),
        ("/api/v1/conversations/x/messages", {"GET", "POST"}),
        ("/webhooks/messenger", {"GET", "POST"}),
        ("/console", {"GET", "HEAD"}),
    ):
        resp = await client.request("DELETE", path)
        assert resp.status == 405, path
        assert {m.strip() for m in resp.headers["Allow"].split(",")} == allowed, path
