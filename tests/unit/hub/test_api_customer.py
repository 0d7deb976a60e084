"""Customer API against the real hub app (fake Rasa): contract, auth, idempotency, bad input."""

import asyncio

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.store.models import Message
from tests.unit.hub.conftest import auth, rows, start


async def count_messages(client) -> int:
    return len(await rows(client, Message))


async def test_conversation_flow(client, fake_rasa):
    conv = await start(client)
    assert len(conv["conversation_id"]) >= 20 and len(conv["token"]) >= 40
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers=auth(conv),
    )
    assert resp.status == 200
    messages = (await resp.json())["messages"]
    assert [m["sender"] for m in messages] == ["customer", "bot"]
    assert (
        messages[1]["text"] == "Echo: Hallo" and messages[1]["buttons"][0]["payload"] == "/affirm"
    )
    assert fake_rasa.received[0]["sender"] == conv["conversation_id"]
    transcript = await (
        await client.get(
            f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
        )
    ).json()
    assert [m["id"] for m in transcript["messages"]] == [m["id"] for m in messages]
    state = await (
        await client.get(f"/api/v1/conversations/{conv['conversation_id']}", headers=auth(conv))
    ).json()
    assert state["state"] == "bot"


async def test_button_payload_is_forwarded_and_title_shown(client, fake_rasa):
    conv = await start(client)
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hallo"},
        headers=auth(conv),
    )  # the answer offers the button "Ja" -> /affirm
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"payload": "/affirm", "title": "Ja"},
        headers=auth(conv),
    )
    messages = (await resp.json())["messages"]
    assert messages[0]["text"] == "Ja" and fake_rasa.received[-1]["message"] == "/affirm"


async def test_idempotent_retry_returns_first_answer(client, fake_rasa):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    body = {"text": "Hallo", "client_message_id": "c-1"}
    first = await (await client.post(url, json=body, headers=auth(conv))).json()
    second = await (await client.post(url, json=body, headers=auth(conv))).json()
    assert first == second
    assert len(fake_rasa.received) == 1
    assert await count_messages(client) == 2


async def test_concurrent_retries_are_sent_once(client, fake_rasa):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    body = {"text": "Hallo", "client_message_id": "same"}
    results = await asyncio.gather(
        *(client.post(url, json=body, headers=auth(conv)) for _ in range(3))
    )
    assert all(r.status == 200 for r in results)
    assert len(fake_rasa.received) == 1


async def test_bad_input_is_rejected_and_nothing_stored(client):
    conv = await start(client)
    url = f"/api/v1/conversations/{conv['conversation_id']}/messages"
    cases = [
        ({"json": {"text": ""}}, 422, "empty_text"),
        ({"json": {"text": "x" * 2001}}, 413, "text_too_long"),
        ({"json": {"text": 5}}, 422, "invalid_field"),
        (
            {"data": "{not json", "headers": {"Content-Type": "application/json"}},
            400,
            "invalid_json",
        ),
        (
            {"data": "text=hi", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
            415,
            "unsupported_media_type",
        ),
        ({"json": ["a"]}, 400, "invalid_json"),
    ]
    for kwargs, status, code in cases:
        headers = {**auth(conv), **kwargs.pop("headers", {})}
        resp = await client.post(url, headers=headers, **kwargs)
        assert resp.status == status, code
        assert (await resp.json())["error"]["code"] == code
    assert await count_messages(client) == 0


async def test_unknown_ids_and_missing_token(client):
    resp = await client.get(
        "/api/v1/conversations/nope/messages", headers={"Authorization": "Bearer x"}
    )
    assert resp.status == 404 and (await resp.json())["error"]["code"] == "conversation_not_found"
    conv = await start(client)
    resp = await client.get(f"/api/v1/conversations/{conv['conversation_id']}")
    assert resp.status == 401
    resp = await client.post("/api/v1/conversations", json={"channel": "fax"})
    assert resp.status == 422


async def test_rasa_down_keeps_message_and_answers_later(client, fake_rasa):
    conv = await start(client)
    fake_rasa.down = True
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hallo?"},
        headers=auth(conv),
    )
    messages = (await resp.json())["messages"]
    assert [m["sender"] for m in messages] == ["customer", "system"]
    assert "nicht erreichbar" in messages[1]["text"]
    fake_rasa.down = False
    assert await client.app[CONVERSATIONS].retry_pending() == 1
    transcript = (
        await (
            await client.get(
                f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
            )
        ).json()
    )["messages"]
    assert transcript[-1]["text"] == "Echo: Hallo?"
    assert await client.app[CONVERSATIONS].retry_pending() == 0


async def test_websocket_pushes_new_messages(client):
    conv = await start(client)
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    ws = await client.ws_connect(f"{base}/ws?ticket={ticket}")
    await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hi"},
        headers=auth(conv),
    )
    frames = [await ws.receive_json(timeout=5), await ws.receive_json(timeout=5)]
    assert [f["message"]["sender"] for f in frames] == ["customer", "bot"]
    await ws.close()
    bad = await client.get(f"/api/v1/conversations/{conv['conversation_id']}/ws?token=wrong")
    assert bad.status == 401


async def test_openapi_lists_the_public_contract(client):
    doc = await (await client.get("/api/v1/openapi.json")).json()
    paths = doc["paths"]
    for path in [
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/conversations/{conversation_id}/ws",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/health",
        "/api/v1/agent/login",
        "/api/v1/agent/conversations/{conversation_id}/claim",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/conversations/{conversation_id}/messages"]) == {"get", "post"}


async def test_static_pages(client):
    for path in [
        "/",
        "/widget.js",
        "/widget.css",
        "/console",
        "/console.css",
        "/static/console/main.js",
        "/static/widget/main.js",
        "/static/shared/dom.js",
    ]:
        resp = await client.get(path)
        assert resp.status == 200, path
        widget = path.startswith(
            ("/widget", "/static/widget/", "/static/shared/")
        )  # loaded by shops on other origins
        assert resp.headers.get("Access-Control-Allow-Origin") == ("*" if widget else None), path


async def test_static_files_stay_inside_the_static_folder(client):
    for path in [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/missing.js",
        "/static/widget",
    ]:
        assert (await client.get(path)).status == 404, path


async def test_state_labels_come_from_the_core_enums(client):
    from bot.hub.states import ENUMS, values

    labels = await (await client.get("/api/v1/states")).json()
    assert {kind: list(table) for kind, table in labels.items()} == {
        kind: list(values(enum)) for kind, enum in ENUMS.items()
    }
    doc = await (await client.get("/api/v1/openapi.json")).json()
    assert "/api/v1/states" in doc["paths"]


async def test_slow_rasa_gets_the_outage_notice_not_an_error(aiohttp_client, settings, fake_rasa):
    from bot.hub.app import init_app

    settings.rasa_timeout = 0.3
    fake_rasa.delay = 2.0
    client = await aiohttp_client(init_app(settings))
    conv = await start(client)
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": "Hallo?"},
        headers=auth(conv),
    )
    assert resp.status == 200
    assert [m["sender"] for m in (await resp.json())["messages"]] == ["customer", "system"]
