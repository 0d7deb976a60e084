"""Macros through the agent API (issue 27.10): canned replies imported, personal and shared macros,
variables checked at save time, applied in Sie or du with their action - real hub, fake Rasa."""

import pytest
from sqlalchemy import update

from bot.hub.accounts.agents import create_agent
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.macros import MACROS
from bot.hub.keys.store import REPO
from bot.hub.store.models import Conversation, ConversationTag, Macro, Message
from tests.unit.hub.conftest import BUSINESS_HOURS, auth, change, rows, start

API = "/api/v1/agent/macros"


@pytest.fixture()
async def people(client):
    repo = client.app[REPO]
    client.app[QUEUE].clock = lambda: BUSINESS_HOURS
    tokens = {}
    for name, role in (("Eva", "agent"), ("Tom", "agent"), ("Chefin", "admin")):
        await create_agent(repo, f"{name.lower()}@shop.de", name, "geheim123", role)
        resp = await client.post(
            "/api/v1/agent/login",
            json={"email": f"{name.lower()}@shop.de", "password": "geheim123"},
        )
        tokens[name] = {"Authorization": f"Bearer {(await resp.json())['token']}"}
    return tokens


async def claimed(client, headers, register="sie"):
    """A conversation handed over and claimed by the agent of `headers`; its id."""
    conv = await start(client)
    cid = conv["conversation_id"]
    await client.post(
        f"/api/v1/conversations/{cid}/messages", json={"text": "Mensch bitte"}, headers=auth(conv)
    )
    await change(
        client, update(Conversation).where(Conversation.id == cid).values(register=register)
    )
    resp = await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=headers)
    assert resp.status == 200, await resp.text()
    return cid


async def test_canned_replies_are_shared_macros_imported_once(client, people):
    listed = await (await client.get(API, headers=people["Tom"])).json()
    canned = [m for m in listed["macros"] if m["canned"]]
    assert {m["title"] for m in canned} >= {"Begrüßung", "Kurz prüfen", "Abschluss"}
    greeting = next(m for m in canned if m["title"] == "Begrüßung")
    assert greeting["scope"] == "team" and greeting["team"] is None
    assert "deine Nachricht" in greeting["text_du"] and "Ihre Nachricht" in greeting["text"]
    assert await client.app[MACROS].import_canned() == 0  # a restart imports nothing twice
    assert len(await rows(client, Macro)) == len(canned)
    # deleted by an admin: stays deleted after the next start
    assert (await client.delete(f"{API}/{greeting['id']}", headers=people["Chefin"])).status == 200
    assert await client.app[MACROS].import_canned() == 0
    titles = [
        m["title"] for m in (await (await client.get(API, headers=people["Tom"])).json())["macros"]
    ]
    assert "Begrüßung" not in titles


async def test_personal_and_shared_macros_and_who_may_write_them(client, people):
    body = {"title": "Rückruf", "text": "Ich rufe Sie an, {customer_name}.", "tags": ["rückruf"]}
    resp = await client.post(API, json=body, headers=people["Eva"])
    assert resp.status == 201
    mine = await resp.json()
    assert mine["scope"] == "personal" and mine["variables"] == ["customer_name"]
    assert (await client.get(f"{API}/{mine['id']}", headers=people["Tom"])).status == 404
    assert mine["id"] not in [
        m["id"] for m in (await (await client.get(API, headers=people["Tom"])).json())["macros"]
    ]
    shared = {**body, "scope": "team"}
    refused = await client.post(API, json=shared, headers=people["Eva"])
    assert refused.status == 403
    assert (await refused.json())["error"]["code"] == "macro_shared_needs_supervisor"
    made = await client.post(API, json=shared, headers=people["Chefin"])
    assert made.status == 201
    shared_id = (await made.json())["id"]
    assert shared_id in [
        m["id"] for m in (await (await client.get(API, headers=people["Tom"])).json())["macros"]
    ]
    # an agent may not change a shared macro, nor turn a personal one into a shared one
    assert (await client.put(f"{API}/{shared_id}", json=body, headers=people["Eva"])).status == 403
    scope = await client.put(f"{API}/{mine['id']}", json=shared, headers=people["Eva"])
    assert scope.status == 409
    changed = await client.put(
        f"{API}/{mine['id']}", json={**body, "title": "Rückruf heute"}, headers=people["Eva"]
    )
    assert changed.status == 200 and (await changed.json())["title"] == "Rückruf heute"
    found = await (await client.get(API, params={"q": "rückruf h"}, headers=people["Eva"])).json()
    assert [m["title"] for m in found["macros"]] == ["Rückruf heute"]


@pytest.mark.parametrize(
    "change_, status, code",
    [
        ({"text": "Hallo {kundenname}"}, 422, "unknown_variable"),
        ({"text_du": "Hallo {name}"}, 422, "unknown_variable"),
        ({"text": "Preis: {"}, 422, "invalid_template"),
        ({"action": "delete_all"}, 422, "invalid_action"),
        ({"action": "transfer_team:einkauf"}, 404, "team_not_found"),
        ({"tags": "vip"}, 422, "invalid_field"),
        ({"title": "   "}, 422, "empty_text"),
        ({"scope": "everyone"}, 422, "invalid_field"),
    ],
)
async def test_bad_macros_are_refused_with_a_clear_error(client, people, change_, status, code):
    body = {"title": "Test", "text": "Hallo {customer_name}", **change_}
    resp = await client.post(API, json=body, headers=people["Eva"])
    assert resp.status == status
    assert (await resp.json())["error"]["code"] == code
    assert await rows(client, Macro, Macro.title == "Test") == []


async def test_a_macro_answers_in_du_and_closes_in_one_step(client, people):
    cid = await claimed(client, people["Eva"], register="du")
    body = {
        "title": "Erledigt",
        "text": "Ihre Bestellung {order} ist erledigt. Viele Grüße, {agent}",
        "text_du": "Deine Bestellung {order} ist erledigt. Viele Grüße, {agent}",
        "tags": ["erledigt"],
        "action": "close",
    }
    macro = await (await client.post(API, json=body, headers=people["Eva"])).json()
    shown = await (
        await client.get(
            f"/api/v1/agent/conversations/{cid}/macros/{macro['id']}/preview", headers=people["Eva"]
        )
    ).json()
    assert shown == {
        "macro_id": macro["id"],
        "register": "du",
        "text": "Deine Bestellung 100234 ist erledigt. Viele Grüße, Eva",
        "missing": [],
    }
    # only the agent holding the conversation applies it
    other = await client.post(
        f"/api/v1/agent/conversations/{cid}/macros/{macro['id']}/apply", headers=people["Tom"]
    )
    assert other.status == 404  # Tom cannot even use Eva's personal macro
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/macros/{macro['id']}/apply", headers=people["Eva"]
    )
    assert resp.status == 200, await resp.text()
    done = await resp.json()
    assert done["action"] == "close" and done["conversation"]["state"] == "closed"
    # the macro's tag is set on the conversation, next to the bot's topic tag (issue 27.9)
    assert done["tags"] == ["erledigt", "Lieferstatus"] and done["tags_applied"] is True
    tagged = await rows(client, ConversationTag, ConversationTag.conversation_id == cid)
    assert sorted(t.agent_id is None for t in tagged) == [False, True]  # Eva's and the bot's
    sent = await rows(client, Message, Message.conversation_id == cid, Message.sender == "agent")
    assert [m.text for m in sent] == ["Deine Bestellung 100234 ist erledigt. Viele Grüße, Eva"]


async def test_a_missing_variable_stops_the_macro_until_the_agent_edits_it(client, people):
    cid = await claimed(client, people["Eva"])
    macro = await (
        await client.post(
            API,
            json={
                "title": "Name",
                "text": "Hallo {customer_name}!",
                "action": "transfer_team:kundenservice",
            },
            headers=people["Eva"],
        )
    ).json()
    url = f"/api/v1/agent/conversations/{cid}/macros/{macro['id']}/apply"
    refused = await client.post(url, headers=people["Eva"])
    assert refused.status == 409
    assert "{customer_name}" in (await refused.json())["error"]["message"]
    assert (
        await rows(client, Message, Message.conversation_id == cid, Message.sender == "agent") == []
    )
    resp = await client.post(url, json={"text": "Hallo Frau Schmidt!"}, headers=people["Eva"])
    assert resp.status == 200
    assert (await resp.json())["conversation"]["state"] == "queued"  # back in the team's queue
