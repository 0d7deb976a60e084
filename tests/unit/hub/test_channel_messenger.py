"""Messenger channel: signed page webhooks as Meta sends them, deliveries to a fake Send API.
Forged, replayed and token-leaking requests: tests/unit/hub/abuse/."""

import asyncio
import io
import json
import time

import pytest
from PIL import Image

from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.store import REPO
from bot.hub.settings import Channels, MessengerSettings
from bot.hub.store.models import Message
from tests.fake_platforms import FakeMessenger, post_signed, serving, settle
from tests.unit.hub.conftest import rows, take_over_and_hand_back

PAGE_TOKEN = "EAAGm0PX4ZCpsBAKZAtestpagetoken"
APP_SECRET = "3f1c0b9a7d2e4f60a1b2c3d4e5f60718"
VERIFY_TOKEN = "kd-verify-7391"
PSID = "6543210987654321"
PAGE_ID = "102938475610293"
NOW_MS = int(
    time.time() * 1000
)  # events carry real timestamps: older than a day is refused as a replay


@pytest.fixture()
async def messenger():
    async with serving(FakeMessenger(PAGE_TOKEN)) as fake:
        yield fake


@pytest.fixture()
def settings(
    settings, database_url, messenger, tmp_path
):  # database_url: keeps the SQLite/PostgreSQL parametrization
    settings.channels = Channels(
        messenger=MessengerSettings(
            page_token=PAGE_TOKEN,
            app_secret=APP_SECRET,
            verify_token=VERIFY_TOKEN,
            api_base=messenger.url,
        )
    )
    settings.attachment_dir = tmp_path / "attachments"
    return settings


def page_event(*messaging: dict) -> dict:
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": NOW_MS, "messaging": list(messaging)}],
    }


def text_event(mid: str, text: str, **extra) -> dict:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": NOW_MS - 60000,
        "message": {"mid": mid, "text": text, **extra},
    }


def attachment_event(mid: str, *attachments: dict, **extra) -> dict:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": NOW_MS - 60000,
        "message": {"mid": mid, "attachments": list(attachments), **extra},
    }


async def deliver(client, payload: dict, secret=APP_SECRET):
    return await post_signed(client, "/webhooks/messenger", payload, secret)


async def test_verification_handshake(client):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    resp = await client.get("/webhooks/messenger", params=query)
    assert (
        resp.status == 200
        and resp.content_type == "text/plain"
        and await resp.text() == "1158201444"
    )
    for wrong in (
        {"hub.verify_token": "falsch"},
        {"hub.mode": "unsubscribe"},
        {"hub.verify_token": ""},
    ):
        resp = await client.get("/webhooks/messenger", params={**query, **wrong})
        assert resp.status == 403 and (await resp.json())["error"]["code"] == "verification_failed"


async def test_text_gets_the_answer_with_quick_replies(client, messenger, fake_rasa):
    resp = await deliver(
        client,
        page_event(
            text_event(
                "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplw"
                "lqLP_5cgXIbu7I3rBN0P",
                "Wo ist meine Bestellung?",
            )
        ),
    )
    assert resp.status == 200
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Wo ist meine Bestellung?"]
    assert messenger.delivered() == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {
                "text": "Echo: Wo ist meine Bestellung?",
                "quick_replies": [{"content_type": "text", "title": "Ja", "payload": "/affirm"}],
            },
        }
    ]
    # the page token travels in a header: a URL with it would end up in logs and proxies
    assert (
        messenger.calls[0].query == {}
        and messenger.calls[0].headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    )
    conv = await client.app[REPO].latest_by_external("messenger", PSID)
    assert (conv.channel, conv.display_name) == ("messenger", "Messenger-Kunde 4321")


async def test_quick_reply_and_postback_are_forwarded_as_payloads(client, messenger, fake_rasa):
    await deliver(client, page_event(text_event("m_1", "Hallo")))  # the answer offers Ja -> /affirm
    await settle(client)
    await deliver(client, page_event(text_event("m_2", "Ja", quick_reply={"payload": "/affirm"})))
    postback = {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": NOW_MS - 30000,
        "postback": {"title": "Bestellstatus", "payload": "/order_status"},
    }
    await deliver(client, page_event(postback))
    await deliver(
        client, page_event(postback)
    )  # redelivered postback (no mid): sender + timestamp dedupe it
    await settle(client)
    # The postback (e.g. from the page's menu) was not offered in the chat: its title goes as typed text.
    assert [r["message"] for r in fake_rasa.received] == ["Hallo", "/affirm", "Bestellstatus"]
    customer = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert [(m.text, m.payload) for m in customer] == [
        ("Hallo", None),
        ("Ja", "/affirm"),
        ("Bestellstatus", None),
    ]


async def test_the_same_event_twice_is_processed_once(client, messenger, fake_rasa):
    event = page_event(text_event("m_3", "Hallo"))
    await asyncio.gather(deliver(client, event), deliver(client, event))
    await settle(client)
    assert len(fake_rasa.received) == 1 and messenger.texts() == ["Echo: Hallo"]


async def test_an_image_is_kept_and_a_sticker_gets_a_kind_german_reply(
    client, messenger, fake_rasa
):
    out = io.BytesIO()
    Image.new("RGB", (90, 67), (10, 120, 200)).save(out, "JPEG")
    image = {
        "type": "image",
        "payload": {"url": messenger.host("photo1", out.getvalue(), "image/jpeg")},
    }
    sticker = {
        "type": "image",
        "payload": {
            "url": "https://scontent.xx.fbcdn.net/v/t39.1997-6/like.png",
            "sticker_id": 369239263222822,
        },
    }
    await deliver(client, page_event(attachment_event("m_4", image)))
    await deliver(client, page_event(attachment_event("m_5", sticker, sticker_id=369239263222822)))
    await settle(client)
    assert fake_rasa.received == []
    image_reply, sticker_reply = messenger.texts()
    assert image_reply.startswith("Danke für das Foto!")
    assert (
        sticker_reply.startswith("Sticker kann ich leider nicht ansehen")
        and "als Text" in sticker_reply
    )
    photo, _ = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert photo.custom["attachment"]["mime"] == "image/jpeg"


async def test_a_long_answer_is_split_at_2000_characters(client, messenger, fake_rasa):
    words = ("Rücksendung " * 250).strip()  # the echo has 3005 characters
    await deliver(client, page_event(text_event("m_6", words)))
    await settle(client)
    first, second = messenger.delivered()
    assert len(first["message"]["text"]) <= 2000 and "quick_replies" not in first["message"]
    assert second["message"]["quick_replies"][0]["payload"] == "/affirm"
    assert f"{first['message']['text']} {second['message']['text']}" == f"Echo: {words}"


async def test_quick_replies_respect_count_and_title_limits(client, messenger):
    conv, _ = await client.app[CONVERSATIONS].create(
        "messenger", {}, external_id=PSID, display_name="Kunde"
    )
    buttons = [
        {"title": f"Bestellung Nummer {100200 + i} ansehen", "payload": f'/order{{"id":{i}}}'}
        for i in range(15)
    ]
    await client.app[CONVERSATIONS].post(conv, "bot", None, buttons=buttons)
    await settle(client)
    (quick,) = messenger.quick_replies()
    assert (
        len(quick) == 13
        and quick[0]["title"] == "Bestellung Nummer 1…"
        and quick[0]["payload"] == '/order{"id":0}'
    )
    assert messenger.texts() == ["Bitte wählen Sie:"]


async def test_429_is_retried_and_delivered_once(client, messenger, fake_rasa):
    messenger.fail_next(429, retry_after="0")
    await deliver(client, page_event(text_event("m_7", "Hallo")))
    await settle(client)
    assert [c.status for c in messenger.calls] == [429, 200] and messenger.texts() == [
        "Echo: Hallo"
    ]


async def test_handoff_round_trip_through_messenger(client, messenger, fake_rasa, agent):
    await deliver(client, page_event(text_event("m_8", "Kann ich mit einem Menschen sprechen?")))
    await settle(client)
    queue = (await (await client.get("/api/v1/agent/queue", headers=agent)).json())["handoffs"]
    assert (queue[0]["channel"], queue[0]["display_name"]) == ("messenger", "Messenger-Kunde 4321")
    await take_over_and_hand_back(client, agent, queue[0]["conversation_id"], "Ich schaue nach.")
    await settle(client)
    texts = messenger.texts()
    assert texts[0] == "Ich gebe Ihr Anliegen weiter." and "Position 1" in texts[1]
    assert texts[2:] == [
        "Eva aus unserem Team ist jetzt für Sie da.",
        "Eva: Ich schaue nach.",
        "Hier ist wieder Wanda.",
        "Wie zufrieden waren Sie?",
    ]
    assert [q["title"] for q in messenger.quick_replies()[-1]] == ["1", "2", "3", "4", "5"]


async def test_a_batch_above_64_kib_is_accepted_and_the_api_limit_stays(
    client, messenger, fake_rasa
):
    """Meta batches up to 1000 events in one request; customer routes keep their small limit."""
    receipts = [
        {
            "sender": {"id": PSID},
            "recipient": {"id": PAGE_ID},
            "timestamp": NOW_MS,
            "delivery": {
                "mids": [f"m_receipt_{i}_{n:04d}" for n in range(40)],
                "watermark": NOW_MS,
            },
        }
        for i in range(120)
    ]
    batch = page_event(*receipts, text_event("m_11", "Hallo"))
    assert len(json.dumps(batch)) > 100 * 1024
    resp = await deliver(client, batch)
    assert resp.status == 200
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Hallo"]
    huge = page_event(*receipts * 10)
    assert len(json.dumps(huge)) > 1024 * 1024
    assert (await deliver(client, huge)).status == 413
    too_big = {"channel": "webchat", "metadata": {"note": "x" * 70 * 1024}}
    assert (await client.post("/api/v1/conversations", json=too_big)).status == 413
