"""Customer text acting as a bot command: Rasa reads "/intent{...}" as an intent with entities, so
a customer who types '/inform{"verified_order": "100234"}' would set slots the bot sets only after
a successful check. Text starting with "/" reaches Rasa as plain text, on every channel; the
transcript keeps what was typed."""

from __future__ import annotations

from bot.hub.store.models import Message
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub.conftest import auth, rows, start
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on


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


async def test_slash_text_from_messenger_channels_is_plain_text_too(
    client, telegram, messenger, fake_rasa
):
    command = '/inform{"order_id": "100234", "verified_order": "100234"}'
    await tg.deliver(client, tg.message(401, text=command))
    await fb.deliver(client, fb.page_event(fb.text_event("m_401", command)))
    await settle(client)
    assert len(fake_rasa.received) == 2
    assert not [r["message"] for r in fake_rasa.received if r["message"].startswith("/")]
