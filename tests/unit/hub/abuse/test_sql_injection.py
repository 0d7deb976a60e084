"""SQL injection: customers, agents and webhooks put arbitrary text into messages, metadata, ids in
the URL, login e-mails and GDPR selectors. Every query goes through SQLAlchemy with bound
parameters and searches escape LIKE wildcards, so such text is stored and shown exactly as typed,
finds nothing it does not name exactly, and never changes a query."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from bot.hub.store.models import Conversation, Message
from tests.unit.hub.abuse.test_slash_commands import say
from tests.unit.hub.conftest import auth, rows, start
from tests.unit.hub.privacy_helpers import privacy_settings
from tests.unit.hub.test_agent_security import login

HOSTILE = [
    "'; DROP TABLE messages; --",
    "' OR '1'='1",
    '" OR ""="',
    "1); DELETE FROM conversations; --",
    "x' UNION SELECT token_hash FROM conversations --",
    "%_%\\",
]


@pytest.fixture()
def settings(settings, tmp_path):
    return privacy_settings(settings, tmp_path)  # GDPR requests read the tracker and shop stores


async def test_hostile_text_is_stored_shown_and_forwarded_as_typed(client, fake_rasa):
    resp = await client.post(
        "/api/v1/conversations", json={"channel": "webchat", "metadata": {"shop": HOSTILE[1]}}
    )
    conv = await resp.json()
    other = await start(client)
    assert (await say(client, other, text="Hallo")).status == 200
    for text in HOSTILE:
        assert (await say(client, conv, text=text)).status == 200
    shown = await (
        await client.get(
            f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
        )
    ).json()
    assert [m["text"] for m in shown["messages"] if m["sender"] == "customer"] == HOSTILE
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", *HOSTILE]
    (stored,) = await rows(client, Conversation, Conversation.id == conv["conversation_id"])
    assert stored.meta == {"shop": HOSTILE[1]}
    assert len(await rows(client, Conversation)) == 2  # nothing deleted, the other chat is intact
    kept = await rows(client, Message, Message.conversation_id == other["conversation_id"])
    assert [m.text for m in kept] == ["Hallo", "Echo: Hallo"]


async def test_hostile_ids_and_logins_find_nothing(client, team):
    conv = await start(client)
    for bad in HOSTILE + ["1 OR 1=1"]:
        path = quote(bad, safe="")
        resp = await client.get(f"/api/v1/conversations/{path}/messages", headers=auth(conv))
        assert resp.status == 404, bad
        assert (await resp.json())["error"]["code"] == "conversation_not_found"
        for method, url in (
            ("GET", f"/api/v1/agent/conversations/{path}"),
            ("POST", f"/api/v1/agent/tickets/{path}/close"),
        ):
            resp = await client.request(method, url, headers=team["chefin"])
            assert resp.status == 404, (url, await resp.text())
        refused = await login(client, f"{bad}@shop.de", bad)
        assert refused.status in (401, 429), bad  # a wrong login, throttled after a few
    login_as_anyone = await client.post(
        "/api/v1/agent/login", json={"email": "eva@shop.de' --", "password": "' OR '1'='1"}
    )
    assert login_as_anyone.status in (401, 429)


async def test_a_wildcard_or_a_quote_selects_nobody_in_a_gdpr_request(client, team):
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/callback",
        json={"contact": "anna.schmidt@web.de"},
        headers=auth(conv),
    )
    assert resp.status == 201
    await client.post(
        "/api/v1/conversations", json={"channel": "webchat", "metadata": {"email": "ben@web.de"}}
    )
    url = "/api/v1/agent/admin/gdpr/export"
    for selector in ("%@%", "_@_", "' OR '1'='1@x", "%' OR 1=1 --@x", "anna%@web.de"):
        resp = await client.post(url, json={"email": selector}, headers=team["chefin"])
        assert resp.status == 200, await resp.text()
        assert (await resp.json())["conversations"] == [], selector
    exact = await client.post(url, json={"email": "ANNA.schmidt@web.de"}, headers=team["chefin"])
    found = (await exact.json())["conversations"]
    assert [c["conversation_id"] for c in found] == [conv["conversation_id"]]
