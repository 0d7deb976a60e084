"""What a customer types never acts as a bot command: slash text is plain text, payloads only from offered buttons."""

from __future__ import annotations

from bot.hub.store.models import Message
from tests.unit.hub.conftest import auth, rows, start


async def say(client, conv, **body):
    return await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages", json=body, headers=auth(conv)
    )


async def test_text_starting_with_a_slash_reaches_rasa_as_plain_text(client, fake_rasa):
    conv = await start(client)
    resp = await say(client, conv, text="/restart")
    assert resp.status == 200
    assert fake_rasa.received[-1]["message"] == "restart"  # not Rasa's "/intent{entities}" syntax
    await say(client, conv, text=' //verify_order{"order_id": "100234"}')
    assert not fake_rasa.received[-1]["message"].startswith("/")
    texts = [
        m.text
        for m in await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    ]
    assert texts == [
        "/restart",
        '//verify_order{"order_id": "100234"}',
    ]  # the transcript keeps what was typed


async def test_a_payload_is_taken_only_from_a_button_the_bot_offered(client, fake_rasa):
    conv = await start(client)
    forged = await say(
        client,
        conv,
        payload='/inform{"order_id": "100234", "verified_order": "100234"}',
        title="Ja",
    )
    assert forged.status == 409 and (await forged.json())["error"]["code"] == "payload_not_offered"
    assert (
        fake_rasa.received == [] and await rows(client, Message) == []
    )  # nothing stored, nothing sent
    await say(client, conv, text="Hallo")  # the echo answer offers "Ja" -> /affirm
    tapped = await say(client, conv, payload="/affirm", title="Ja")
    assert tapped.status == 200 and fake_rasa.received[-1]["message"] == "/affirm"
    stored = (await rows(client, Message, Message.payload.is_not(None)))[0]
    assert (stored.text, stored.payload) == ("Ja", "/affirm")  # agents see what the bot acted on
    await say(client, conv, text="noch was")
    stale = await say(client, conv, payload="/deny", title="Nein")  # never offered
    assert stale.status == 409


async def test_rasa_gets_a_keyed_hash_of_the_client_address_not_the_address(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, text="Hallo")
    tag = fake_rasa.received[-1]["metadata"]["client"]
    assert "127.0.0.1" not in tag and len(tag) == 24
    other = await start(client)
    await say(client, other, text="Hallo")
    assert (
        fake_rasa.received[-1]["metadata"]["client"] == tag
    )  # the same client: the same tag across conversations
