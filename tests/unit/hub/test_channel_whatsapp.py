"""WhatsApp channel: signed Cloud API webhooks as Meta sends them, deliveries to a fake Cloud API.
Forged, replayed and token-leaking requests: tests/unit/hub/abuse/."""

import asyncio
import time

import pytest

from bot.hub.keys.store import REPO
from bot.hub.settings import Channels, WhatsAppSettings
from bot.hub.store.models import Message
from tests.fake_platforms import FakeWhatsApp, post_signed, serving, settle
from tests.unit.hub.conftest import rows, stored, take_over_and_hand_back

TOKEN = "EAAJB3testcloudapitoken"
PHONE_ID = "106540352242922"
APP_SECRET = "9a8b7c6d5e4f30211203f4e5d6c7b8a9"
VERIFY_TOKEN = "kd-wa-verify-5521"
WA_ID = "4917612345678"
NOW = int(time.time())  # messages carry real timestamps: older than a day is refused as a replay


@pytest.fixture()
async def whatsapp():
    async with serving(FakeWhatsApp(TOKEN, PHONE_ID)) as fake:
        yield fake


@pytest.fixture()
def settings(
    settings, database_url, whatsapp
):  # database_url: keeps the SQLite/PostgreSQL parametrization
    settings.channels = Channels(
        whatsapp=WhatsAppSettings(
            token=TOKEN,
            phone_number_id=PHONE_ID,
            app_secret=APP_SECRET,
            verify_token=VERIFY_TOKEN,
            api_base=whatsapp.url,
        )
    )
    return settings


def change(value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "4930123456",
                                "phone_number_id": PHONE_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def incoming(wamid: str, kind: str, **content) -> dict:
    """A customer's message with the contact block Meta sends along."""
    return change(
        {
            "contacts": [{"profile": {"name": "Erika Musterfrau"}, "wa_id": WA_ID}],
            "messages": [
                {"from": WA_ID, "id": wamid, "timestamp": str(NOW - 60), "type": kind, **content}
            ],
        }
    )


def wamid(n: int) -> str:
    return f"wamid.HBgNNDkxNzYxMjM0NTY3OBUCABIYFjNFQjBDMEI2RkE5QjQ2QTc1RjYz{n:04d}AA=="


async def deliver(client, payload: dict, secret=APP_SECRET):
    return await post_signed(client, "/webhooks/whatsapp", payload, secret)


async def test_verification_handshake(client):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "984732615",
    }
    resp = await client.get("/webhooks/whatsapp", params=query)
    assert resp.status == 200 and await resp.text() == "984732615"
    resp = await client.get(
        "/webhooks/whatsapp", params={**query, "hub.verify_token": "kd-verify-7391"}
    )
    assert resp.status == 403


async def test_text_gets_the_answer_with_a_reply_button(client, whatsapp, fake_rasa):
    resp = await deliver(
        client, incoming(wamid(2), "text", text={"body": "Wo ist meine Bestellung?"})
    )
    assert resp.status == 200
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Wo ist meine Bestellung?"]
    assert whatsapp.delivered() == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA_ID,
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Echo: Wo ist meine Bestellung?"},
                "action": {
                    "buttons": [{"type": "reply", "reply": {"id": "/affirm", "title": "Ja"}}]
                },
            },
        }
    ]
    assert whatsapp.calls[0].headers["Authorization"] == f"Bearer {TOKEN}"
    conv = await client.app[REPO].latest_by_external("whatsapp", WA_ID)
    assert (conv.channel, conv.display_name) == ("whatsapp", "Erika Musterfrau")


async def test_button_and_list_replies_are_forwarded_as_payloads(client, whatsapp, fake_rasa):
    context = {"from": PHONE_ID, "id": wamid(90)}
    await deliver(
        client, incoming(wamid(2), "text", text={"body": "Hallo"})
    )  # the answer offers Ja -> /affirm
    await settle(client)
    await deliver(
        client,
        incoming(
            wamid(3),
            "interactive",
            context=context,
            interactive={"type": "button_reply", "button_reply": {"id": "/affirm", "title": "Ja"}},
        ),
    )
    await deliver(
        client,
        incoming(
            wamid(4),
            "interactive",
            context=context,
            interactive={
                "type": "list_reply",
                "list_reply": {"id": '/rate{"rating":"5"}', "title": "5"},
            },
        ),
    )
    await settle(client)
    # The list reply was never offered (a forged or stale tap): it travels as its title, typed text.
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", "/affirm", "5"]
    customer = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert [(m.text, m.payload) for m in customer] == [
        ("Hallo", None),
        ("Ja", "/affirm"),
        ("5", None),
    ]


async def test_status_updates_are_ignored(client, whatsapp, fake_rasa):
    statuses = change(
        {
            "statuses": [
                {
                    "id": wamid(91),
                    "status": "delivered",
                    "timestamp": str(NOW - 59),
                    "recipient_id": WA_ID,
                    "conversation": {"id": "CONVERSATION_ID"},
                    "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
                }
            ]
        }
    )
    resp = await deliver(client, statuses)
    assert resp.status == 200
    await settle(client)
    assert await stored(client) == (0, 0, 0) and whatsapp.calls == []


async def test_the_same_message_twice_is_processed_once(client, whatsapp, fake_rasa):
    payload = incoming(wamid(5), "text", text={"body": "Hallo"})
    await asyncio.gather(deliver(client, payload), deliver(client, payload))
    await settle(client)
    assert len(fake_rasa.received) == 1 and whatsapp.texts() == ["Echo: Hallo"]


async def test_sticker_and_voice_note_get_a_kind_german_reply(client, whatsapp, fake_rasa):
    await deliver(
        client,
        incoming(
            wamid(6),
            "sticker",
            sticker={
                "mime_type": "image/webp",
                "sha256": "a1b2",
                "id": "1234567890",
                "animated": False,
            },
        ),
    )
    await deliver(
        client,
        incoming(
            wamid(7),
            "audio",
            audio={
                "mime_type": "audio/ogg; codecs=opus",
                "sha256": "c3d4",
                "id": "2345678901",
                "voice": True,
            },
        ),
    )
    await settle(client)
    assert fake_rasa.received == []
    sticker_reply, voice_reply = whatsapp.texts()
    assert sticker_reply.startswith("Sticker kann ich leider nicht ansehen")
    assert (
        voice_reply.startswith("Sprachnachrichten kann ich leider nicht anhören")
        and "als Text" in voice_reply
    )


async def test_a_long_answer_sends_the_start_as_text_and_the_end_with_the_buttons(
    client, whatsapp, fake_rasa
):
    words = (
        "Versand " * 190
    ).strip()  # the echo has 1525 characters; an interactive body allows 1024
    await deliver(client, incoming(wamid(8), "text", text={"body": words}))
    await settle(client)
    first, second = whatsapp.delivered()
    assert first["type"] == "text" and second["type"] == "interactive"
    body = second["interactive"]["body"]["text"]
    assert len(body) <= 1024 and f"{first['text']['body']} {body}" == f"Echo: {words}"


async def test_handoff_round_trip_through_whatsapp(client, whatsapp, fake_rasa, agent):
    await deliver(client, incoming(wamid(9), "text", text={"body": "Ich brauche einen Menschen"}))
    await settle(client)
    queue = (await (await client.get("/api/v1/agent/queue", headers=agent)).json())["handoffs"]
    assert (queue[0]["channel"], queue[0]["display_name"]) == ("whatsapp", "Erika Musterfrau")
    await take_over_and_hand_back(client, agent, queue[0]["conversation_id"], "Ich schaue nach.")
    await settle(client)
    texts = whatsapp.texts()
    assert texts[0] == "Ich gebe Ihr Anliegen weiter." and "Position 1" in texts[1]
    assert texts[2:] == [
        "Eva aus unserem Team ist jetzt für Sie da.",
        "*Eva*: Ich schaue nach.",
        "Hier ist wieder Wanda.",
        "Wie zufrieden waren Sie?",
    ]
    rating = whatsapp.interactives()[-1]
    assert rating["type"] == "list" and rating["action"]["button"] == "Optionen"
    rows = rating["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == ["1", "2", "3", "4", "5"] and rows[0][
        "id"
    ] == '/rate{"rating":"1"}'


@pytest.mark.parametrize(
    "status, retry_after", [(429, "0"), (503, None)]
)  # None: exponential back-off
async def test_a_busy_platform_is_retried_and_the_message_delivered_once(
    client, whatsapp, fake_rasa, status, retry_after
):
    whatsapp.fail_next(status, retry_after=retry_after)
    await deliver(client, incoming(wamid(10), "text", text={"body": "Hallo"}))
    await settle(client)
    assert [c.status for c in whatsapp.calls] == [status, 200] and whatsapp.texts() == [
        "Echo: Hallo"
    ]
