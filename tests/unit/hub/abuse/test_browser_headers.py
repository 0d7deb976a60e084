"""Browsers as the attack path: a page on another origin must not read the agents' API with an
agent's cookies or tokens, frame the console to click for an agent (clickjacking), or get script
into a hub page. Every response carries a CSP (`default-src 'self'`, no inline code; the console and
the API are never framed), `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`;
CORS answers only on the customer API (the configured shop origins) and the widget's files."""

from __future__ import annotations

import json

from tests.unit.hub.conftest import auth, start

SHOP = "https://shop.example"


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


async def test_cors_allows_configured_origin_only(client):
    ok = await client.options("/api/v1/conversations", headers={"Origin": "https://shop.example"})
    assert ok.status == 204 and ok.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    bad = await client.options("/api/v1/conversations", headers={"Origin": "https://evil.example"})
    assert bad.status == 403 and "Access-Control-Allow-Origin" not in bad.headers
