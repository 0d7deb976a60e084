"""A payload the bot never offered: buttons carry Rasa commands such as '/inform{"order_id": …}',
so a modified widget or messenger client could send any payload and skip a check. A payload is
accepted only if the bot offered that button since the customer last wrote (409
`payload_not_offered` on the API); on messenger channels an unoffered tap arrives as its title,
plain text."""

from __future__ import annotations

from bot.hub.store.models import Message
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.abuse.test_slash_commands import say
from tests.unit.hub.conftest import rows, start
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on

FORGED = '/inform{"order_id":"100234","verified_order":"100234"}'


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


async def customer_messages(client):
    return [
        (m.text, m.payload)
        for m in await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    ]


async def test_a_made_up_telegram_callback_arrives_as_its_title(client, telegram, fake_rasa):
    await tg.deliver(client, tg.message(101, text="Hallo"))  # the answer offers Ja -> /affirm
    await settle(client)
    await tg.deliver(client, tg.tap(102, FORGED, [[{"text": "Ja", "callback_data": FORGED}]]))
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", "Ja"]
    assert await customer_messages(client) == [("Hallo", None), ("Ja", None)]


async def test_a_made_up_messenger_quick_reply_arrives_as_its_text(client, messenger, fake_rasa):
    await fb.deliver(client, fb.page_event(fb.text_event("m_1", "Hallo")))
    await settle(client)
    forged = fb.text_event("m_2", "Ja", quick_reply={"payload": FORGED})
    await fb.deliver(client, fb.page_event(forged))
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", "Ja"]
    assert await customer_messages(client) == [("Hallo", None), ("Ja", None)]


async def test_a_made_up_whatsapp_button_reply_arrives_as_its_title(client, whatsapp, fake_rasa):
    await wa.deliver(client, wa.incoming(wa.wamid(1), "text", text={"body": "Hallo"}))
    await settle(client)
    forged = {"type": "button_reply", "button_reply": {"id": FORGED, "title": "Ja"}}
    await wa.deliver(
        client,
        wa.incoming(
            wa.wamid(2),
            "interactive",
            context={"from": wa.PHONE_ID, "id": wa.wamid(90)},
            interactive=forged,
        ),
    )
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", "Ja"]
    assert await customer_messages(client) == [("Hallo", None), ("Ja", None)]
