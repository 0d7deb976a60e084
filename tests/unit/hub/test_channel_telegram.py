"""Telegram channel: webhook updates in the Bot API's format, deliveries to a fake Bot API.
Forged, replayed and token-leaking requests: tests/unit/hub/abuse/."""

import asyncio
import io
import time

import pytest
from PIL import Image

from bot.hub.channels import CHANNELS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.store import REPO
from bot.hub.settings import Channels, TelegramSettings
from bot.hub.store.models import Message
from tests.fake_platforms import FakeTelegram, serving, settle
from tests.unit.hub.conftest import rows, stored

TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "kd-Webhook_Secret-42"
CHAT = 258741963
NOW = int(time.time())  # updates carry real dates: older than a day is refused as a replay
MAX = {
    "id": CHAT,
    "is_bot": False,
    "first_name": "Max",
    "last_name": "Mustermann",
    "username": "maxm",
    "language_code": "de",
}


@pytest.fixture()
async def telegram():
    async with serving(FakeTelegram(TOKEN)) as fake:
        yield fake


@pytest.fixture()
def settings(
    settings, database_url, telegram, tmp_path
):  # database_url: keeps the SQLite/PostgreSQL parametrization
    settings.channels = Channels(
        telegram=TelegramSettings(token=TOKEN, secret=SECRET, api_base=telegram.url)
    )
    settings.attachment_dir = tmp_path / "attachments"
    return settings


def message(update_id: int, **content) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id - 100,
            "from": MAX,
            "date": NOW - 1000 + update_id,
            "chat": {
                "id": CHAT,
                "first_name": "Max",
                "last_name": "Mustermann",
                "username": "maxm",
                "type": "private",
            },
            **content,
        },
    }


def tap(update_id: int, data: str, keyboard: list) -> dict:
    """A callback query as Telegram sends it when an inline keyboard button is pressed."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"4382bfdwdsb323b2d9{update_id}",
            "from": MAX,
            "chat_instance": "-8412577461238563412",
            "data": data,
            "message": {
                "message_id": 77,
                "from": {"id": 7012345678, "is_bot": True, "first_name": "Wanda"},
                "chat": {"id": CHAT, "type": "private"},
                "date": NOW - 900,
                "text": "Echo",
                "reply_markup": {"inline_keyboard": keyboard},
            },
        },
    }


async def deliver(client, update: dict, secret: str = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return await client.post("/webhooks/telegram", json=update, headers=headers)


async def test_text_gets_the_bots_answer_with_an_inline_keyboard(client, telegram, fake_rasa):
    resp = await deliver(client, message(101, text="Wo ist meine Bestellung?"))
    assert resp.status == 200 and await resp.json() == {"ok": True}
    await settle(client)
    assert [r["message"] for r in fake_rasa.received] == ["Wo ist meine Bestellung?"]
    assert telegram.delivered("sendMessage") == [
        {
            "chat_id": CHAT,
            "text": "Echo: Wo ist meine Bestellung?",
            "reply_markup": {"inline_keyboard": [[{"text": "Ja", "callback_data": "/affirm"}]]},
        }
    ]
    conv = await client.app[REPO].latest_by_external("telegram", str(CHAT))
    assert (conv.channel, conv.display_name, conv.meta) == (
        "telegram",
        "Max Mustermann",
        {"channel": "telegram"},
    )


async def test_button_tap_is_forwarded_as_payload_and_acknowledged(client, telegram, fake_rasa):
    await deliver(client, message(101, text="Hallo"))  # the answer offers Ja -> /affirm
    await settle(client)
    await deliver(client, tap(102, "/affirm", [[{"text": "Ja", "callback_data": "/affirm"}]]))
    await settle(client)
    assert fake_rasa.received[-1]["message"] == "/affirm"
    assert telegram.delivered("answerCallbackQuery") == [
        {"callback_query_id": "4382bfdwdsb323b2d9102"}
    ]
    _, customer = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert (customer.text, customer.payload) == ("Ja", "/affirm")
    assert telegram.texts() == ["Echo: Hallo", "Echo: /affirm"]


async def test_payload_longer_than_64_bytes_travels_as_a_token(client, telegram, fake_rasa):
    long_payload = (
        '/inform{"order_id":"100234","email":"max.mustermann@example.de","topic":"Lieferstatus"}'
    )
    conv, _ = await client.app[CONVERSATIONS].create(
        "telegram", {}, external_id=str(CHAT), display_name="Max"
    )
    await client.app[CONVERSATIONS].post(
        conv,
        "bot",
        "Welche Bestellung?",
        buttons=[{"title": "Bestellung 100234", "payload": long_payload}],
    )
    await settle(client)
    keyboard = telegram.keyboards()[-1]
    token = keyboard[0][0]["callback_data"]
    assert token.startswith("kd:") and len(token.encode()) <= 64
    await deliver(client, tap(103, token, keyboard))
    await settle(client)
    assert fake_rasa.received[-1]["message"] == long_payload
    # a token this process does not know (e.g. after a restart) arrives as the button's title
    await deliver(
        client,
        tap(
            104,
            "kd:0123456789ab",
            [[{"text": "Bestellung 100234", "callback_data": "kd:0123456789ab"}]],
        ),
    )
    await settle(client)
    assert fake_rasa.received[-1]["message"] == "Bestellung 100234"


async def test_the_same_update_twice_is_processed_once(client, telegram, fake_rasa):
    update = message(105, text="Hallo")
    responses = await asyncio.gather(deliver(client, update), deliver(client, update))
    assert [r.status for r in responses] == [200, 200]
    await settle(client)
    assert len(fake_rasa.received) == 1 and telegram.texts() == ["Echo: Hallo"]
    assert await stored(client) == (1, 2, 1)


async def test_sticker_gets_a_kind_german_reply_and_a_photo_is_kept(client, telegram, fake_rasa):
    sticker = {
        "width": 512,
        "height": 512,
        "emoji": "👍",
        "set_name": "HotCherry",
        "is_animated": False,
        "is_video": False,
        "type": "regular",
        "file_id": "CAACAgIAAxkBAAIBY2",
        "file_unique_id": "AgADnQ",
    }
    await deliver(client, message(106, sticker=sticker))
    out = io.BytesIO()
    Image.new("RGB", (90, 67), (10, 120, 200)).save(out, "JPEG")
    telegram.host("AgACAgIAAxkBAAIBZG", out.getvalue(), "image/jpeg")
    photo = [
        {
            "file_id": "AgACAgIAAxkBAAIBZG",
            "file_unique_id": "AQADs",
            "file_size": 1372,
            "width": 90,
            "height": 67,
        }
    ]
    await deliver(client, message(107, photo=photo, caption="Das Paket ist beschädigt"))
    await settle(client)
    assert fake_rasa.received == []
    sticker_reply, photo_reply = telegram.texts()
    assert (
        sticker_reply.startswith("Sticker kann ich leider nicht ansehen")
        and "Schreiben Sie mir" in sticker_reply
    )
    assert "Antwort-Buttons" in sticker_reply and photo_reply.startswith("Danke für das Foto!")
    customer = await rows(client, Message, Message.sender == "customer", order_by=Message.seq)
    assert [(m.text, m.custom.get("unsupported")) for m in customer] == [
        ("[Sticker]", "sticker"),
        ("[Foto] foto.jpg\nDas Paket ist beschädigt", None),
    ]
    assert customer[1].custom["attachment"]["mime"] == "image/jpeg"


async def test_a_long_answer_is_split_at_4096_characters_between_words(client, telegram, fake_rasa):
    words = ("Paket " * 682).strip()  # 4091 characters (Telegram allows 4096); the echo has 4097
    await deliver(client, message(108, text=words))
    await settle(client)
    first, second = telegram.delivered("sendMessage")
    assert (
        len(first["text"]) <= 4096
        and first["text"].endswith("Paket")
        and "reply_markup" not in first
    )
    assert second["reply_markup"]["inline_keyboard"] == [
        [{"text": "Ja", "callback_data": "/affirm"}]
    ]
    assert f"{first['text']} {second['text']}" == f"Echo: {words}"


async def test_429_is_retried_after_retry_after_and_delivered_once(client, telegram, fake_rasa):
    telegram.fail_next(429, retry_after="1")
    await deliver(client, message(109, text="Hallo"))
    await settle(client)
    attempts = [c for c in telegram.calls if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.9
    assert telegram.texts() == ["Echo: Hallo"]


async def test_handoff_round_trip_through_telegram(client, telegram, fake_rasa, agent):
    await deliver(client, message(110, text="Ich möchte mit einem Menschen sprechen"))
    await settle(client)
    queue = (await (await client.get("/api/v1/agent/queue", headers=agent)).json())["handoffs"]
    assert (queue[0]["channel"], queue[0]["display_name"]) == ("telegram", "Max Mustermann")
    cid = queue[0]["conversation_id"]
    base = f"/api/v1/agent/conversations/{cid}"
    assert (await client.post(f"{base}/claim", headers=agent)).status == 200
    await deliver(client, message(111, text="Danke, ich warte"))  # reaches the agent, not the bot
    await settle(client)
    assert len(fake_rasa.received) == 1
    detail = await (await client.get(base, headers=agent)).json()
    assert detail["conversation"]["display_name"] == "Max Mustermann"
    assert "Danke, ich warte" in [m["text"] for m in detail["messages"]]
    assert (
        await client.post(f"{base}/messages", json={"text": "Ich schaue nach."}, headers=agent)
    ).status == 201
    assert (await client.post(f"{base}/handback", headers=agent)).status == 200
    await settle(client)
    texts = telegram.texts()
    assert texts[0] == "Ich gebe Ihr Anliegen weiter."
    assert texts[1].startswith("Ein Mitarbeiter ist gleich für Sie da. Sie sind an Position 1")
    assert texts[2:] == [
        "Eva aus unserem Team ist jetzt für Sie da.",
        "Eva: Ich schaue nach.",
        "Hier ist wieder Wanda.",
        "Wie zufrieden waren Sie?",
    ]
    rating = telegram.keyboards()[-1]
    assert [row[0]["text"] for row in rating] == ["1", "2", "3", "4", "5"]
    assert rating[3][0]["callback_data"] == '/rate{"rating":"4"}'


async def test_a_closed_conversation_is_reopened_by_the_next_message(client, telegram, fake_rasa):
    await deliver(client, message(112, text="Hallo"))
    await settle(client)
    cid = (await client.app[REPO].latest_by_external("telegram", str(CHAT))).id
    await client.app[REPO].update_conversation(cid, state="closed")
    await deliver(client, message(113, text="Noch eine Frage"))
    await settle(client)
    conv = await client.app[REPO].latest_by_external("telegram", str(CHAT))
    assert (conv.id, conv.state, (await stored(client))[0]) == (cid, "bot", 1)
    assert telegram.texts()[-1] == "Echo: Noch eine Frage"


async def test_webhooks_are_in_the_openapi_document(client):
    paths = (await (await client.get("/api/v1/openapi.json")).json())["paths"]
    assert set(paths["/webhooks/telegram"]) == {"post"}
    assert set(paths["/webhooks/messenger"]) == set(paths["/webhooks/whatsapp"]) == {"get", "post"}
    assert set(client.app[CHANNELS]) == {"telegram"}


def test_freshness_needs_a_readable_recent_timestamp():
    from bot.hub.channels.freshness import is_fresh

    day = 24 * 3600
    assert is_fresh("telegram", 1, time.time() - 60, day) and is_fresh(
        "messenger", 1, time.time() * 1000, day, 1000
    )
    for stale in (None, "", "gestern", True, float("nan"), float("inf"), time.time() - day - 60):
        assert not is_fresh("telegram", 1, stale, day), stale


async def test_out_of_hours_the_callback_offer_is_accepted_by_text(client, telegram, fake_rasa):
    """Telegram has no callback form: "ja, Rückruf" is asked for a number, the number goes onto the request."""
    from datetime import datetime, timezone

    from bot.hub.keys.handoff import QUEUE
    from bot.hub.store.models import Ticket

    client.app[QUEUE].clock = lambda: datetime(
        2026, 11, 22, 22, 0, tzinfo=timezone.utc
    )  # Sunday night
    for update_id, text in (
        (201, "Ich will einen Menschen"),
        (202, "ja, Rückruf bitte"),
        (203, "0171 2345678"),
    ):
        await deliver(client, message(update_id, text=text))
        await settle(client)
    texts = telegram.texts()
    assert "Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer" in texts[-3]
    assert texts[-2] == "Gern! Unter welcher Telefonnummer oder E-Mail-Adresse erreichen wir Sie?"
    assert texts[-1].startswith(
        "Danke! Ich habe 0171 2345678 zu Ihrem Anliegen notiert (Vorgangsnummer"
    )
    assert [r["message"] for r in fake_rasa.received] == [
        "Ich will einen Menschen"
    ]  # the rest never reached Rasa
    [ticket] = await rows(client, Ticket)
    assert ticket.contact == "0171 2345678" and f"Vorher hinterlegt: telegram:{CHAT}" in (
        ticket.note or ""
    )
