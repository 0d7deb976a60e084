"""Reading or writing another customer's chat: conversation ids travel in URLs and may leak, so the
id alone must open nothing. Each conversation has its own random bearer token (256 bits, stored only
as a hash); another conversation's token is refused on every customer route (401, attachments 404),
and a token left in a shared browser expires after KD_CUSTOMER_IDLE_HOURS without a customer
message."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.hub.store.models import Conversation, Message, utcnow
from tests.unit.hub.abuse.test_slash_commands import say
from tests.unit.hub.conftest import auth, change, rows, start
from tests.unit.hub.test_api_customer import count_messages
from tests.unit.hub.test_attachments import (
    image_bytes,
    settings,  # noqa: F401 - attachments in tmp_path
    upload,
)


async def test_one_customer_cannot_read_or_write_another(client):
    alice, bob = await start(client), await start(client)
    url = f"/api/v1/conversations/{alice['conversation_id']}"
    for method, path, body in [
        ("GET", url, None),
        ("GET", url + "/messages", None),
        ("POST", url + "/messages", {"text": "hi"}),
    ]:
        resp = await client.request(method, path, json=body, headers=auth(bob))
        assert resp.status == 401
        assert (await resp.json())["error"]["code"] == "invalid_token"
    assert await count_messages(client) == 0


async def test_another_conversations_token_gets_404(client):
    anna, ben = await start(client), await start(client)
    meta = (await (await upload(client, anna, image_bytes("PNG"), "a.png")).json())["messages"][0][
        "custom"
    ]["attachment"]
    path = f"/api/v1/conversations/{anna['conversation_id']}/attachments/{meta['id']}"
    assert (await client.get(path, headers=auth(ben))).status == 404
    other = f"/api/v1/conversations/{ben['conversation_id']}/attachments/{meta['id']}"
    assert (await client.get(other, headers=auth(ben))).status == 404  # the id alone opens nothing
    assert (await client.get(path)).status == 401
    assert (await client.get(path + "x", headers=auth(anna))).status == 404
    assert (
        await client.get(
            f"/api/v1/conversations/{anna['conversation_id']}/attachments/..%2F..%2Fhub.db",
            headers=auth(anna),
        )
    ).status == 404
    assert (await client.get(path, headers=auth(anna))).status == 200


async def test_token_expires_after_the_idle_time(client):
    conv = await start(client)
    cid = conv["conversation_id"]
    url = f"/api/v1/conversations/{cid}"
    await say(client, conv, text="Hallo")
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == cid)
        .values(last_customer_at=utcnow() - timedelta(hours=23)),
    )
    assert (await client.get(url, headers=auth(conv))).status == 200
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == cid)
        .values(last_customer_at=utcnow() - timedelta(hours=25)),
    )
    for method, path, body in [
        ("GET", url, None),
        ("GET", url + "/messages", None),
        ("POST", url + "/messages", {"text": "Noch da?"}),
    ]:
        resp = await client.request(method, path, json=body, headers=auth(conv))
        assert resp.status == 401
        error = (await resp.json())["error"]
        assert error["code"] == "token_expired" and "abgelaufen" in error["message"]
    assert len(await rows(client, Message, Message.conversation_id == cid)) == 2  # nothing stored


async def test_a_wrong_token_stays_invalid_not_expired(client):
    conv = await start(client)
    await change(
        client,
        update(Conversation)
        .where(Conversation.id == conv["conversation_id"])
        .values(created_at=utcnow() - timedelta(hours=25)),
    )
    resp = await client.get(
        f"/api/v1/conversations/{conv['conversation_id']}",
        headers={"Authorization": "Bearer falsch"},
    )
    assert (await resp.json())["error"]["code"] == "invalid_token"
