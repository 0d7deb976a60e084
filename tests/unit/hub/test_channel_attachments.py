"""Photos and PDFs through Telegram, Messenger and WhatsApp, against the fake platforms' file routes.

In: the customer's file is downloaded (size-capped), checked, re-encoded and stored like a widget
upload, shown in the transcript and logged into the tracker; the bot says thanks. Out: an agent's
file goes out as the platform's own photo/document message with the bytes uploaded, or as a notice
when the platform's limit is smaller than the file.
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from PIL import Image

from bot.hub.channels import telegram as telegram_module
from bot.hub.keys.attachments import ATTACHMENTS
from bot.hub.keys.dialogue import CONVERSATIONS
from bot.hub.keys.store import REPO
from bot.hub.settings import Channels, MessengerSettings, TelegramSettings, WhatsAppSettings
from bot.hub.store.models import Message
from tests.fake_platforms import FakeMessenger, FakeTelegram, FakeWhatsApp, Upload, serving, settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.conftest import rows, stored
from tests.unit.hub.test_attachments import GPS_TAG, PDF, image_bytes

LIMIT = 200 * 1024
ZIP = b"PK\x03\x04" + b"\x00" * 200


@pytest.fixture()
async def telegram():
    async with serving(FakeTelegram(tg.TOKEN)) as fake:
        yield fake


@pytest.fixture()
async def messenger():
    async with serving(FakeMessenger(fb.PAGE_TOKEN)) as fake:
        yield fake


@pytest.fixture()
async def whatsapp():
    async with serving(FakeWhatsApp(wa.TOKEN, wa.PHONE_ID)) as fake:
        yield fake


@pytest.fixture()
def settings(settings, database_url, tmp_path, telegram, messenger, whatsapp):
    settings.channels = Channels(
        telegram=TelegramSettings(token=tg.TOKEN, secret=tg.SECRET, api_base=telegram.url),
        messenger=MessengerSettings(
            page_token=fb.PAGE_TOKEN,
            app_secret=fb.APP_SECRET,
            verify_token=fb.VERIFY_TOKEN,
            api_base=messenger.url,
        ),
        whatsapp=WhatsAppSettings(
            token=wa.TOKEN,
            phone_number_id=wa.PHONE_ID,
            app_secret=wa.APP_SECRET,
            verify_token=wa.VERIFY_TOKEN,
            api_base=whatsapp.url,
        ),
    )
    settings.attachment_dir = tmp_path / "attachments"
    settings.attachment_max_bytes = LIMIT
    return settings


def hub_log(caplog) -> str:
    """What the hub logged (the fake platforms' access logs show the token in the path, as Telegram's would)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))


def files(settings) -> list[Path]:
    root = Path(settings.attachment_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def done(client) -> None:
    await settle(client)
    await client.app[CONVERSATIONS].drain(5)


async def customer_messages(client) -> list[Message]:
    return await rows(client, Message, Message.sender == "customer", order_by=Message.seq)


async def assert_clean_photo(client, conv_id: str, meta: dict) -> None:
    """The stored photo has no EXIF (no GPS, no camera) and the transcript/tracker know it."""
    kept = await client.app[ATTACHMENTS].read(conv_id, meta["id"])
    image = Image.open(io.BytesIO(kept.data))
    assert dict(image.getexif()) == {} and b"Kamera GmbH" not in kept.data
    transcript = await client.app[CONVERSATIONS].transcript(conv_id)
    assert transcript[0]["custom"]["attachment"]["id"] == meta["id"]


async def take_over(client, agent, text: str, deliver) -> str:
    await deliver(text)
    await settle(client)
    cid = (await (await client.get("/api/v1/agent/queue", headers=agent)).json())["handoffs"][0][
        "conversation_id"
    ]
    assert (
        await client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=agent)
    ).status == 200
    return cid


async def agent_sends(client, agent, cid: str, data: bytes, name: str) -> None:
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/attachments",
        data=data,
        params={"name": name},
        headers={**agent, "Content-Type": "application/octet-stream"},
    )
    assert resp.status == 201, await resp.text()
    await settle(client)


# -- Telegram -------------------------------------------------------------------------------------------


async def test_telegram_photo_arrives_largest_fitting_size_exif_stripped(
    client, telegram, fake_rasa
):
    small = telegram.host("AgAC-small", image_bytes("JPEG", size=(32, 24)), "image/jpeg")
    medium = telegram.host(
        "AgAC-medium", image_bytes("JPEG", gps=True, size=(320, 240)), "image/jpeg"
    )
    photo = [
        {"file_id": small, "file_unique_id": "s", "file_size": 900, "width": 32, "height": 24},
        {"file_id": medium, "file_unique_id": "m", "file_size": 5000, "width": 320, "height": 240},
        {
            "file_id": "AgAC-large",
            "file_unique_id": "l",
            "file_size": LIMIT + 1,
            "width": 2560,
            "height": 1920,
        },
    ]
    resp = await tg.deliver(
        client, tg.message(201, photo=photo, caption="Das Paket ist beschädigt")
    )
    assert resp.status == 200
    await done(client)
    assert telegram.delivered("getFile") == [{"file_id": medium}] and len(telegram.downloads) == 1
    (customer,) = await customer_messages(client)
    meta = customer.custom["attachment"]
    assert customer.text == "[Foto] foto.jpg\nDas Paket ist beschädigt" and (
        meta["width"],
        meta["height"],
    ) == (320, 240)
    await assert_clean_photo(client, customer.conversation_id, meta)
    assert fake_rasa.received == []  # no text turn: the tracker hears the file as a logged event
    user, bot = fake_rasa.events[customer.conversation_id]
    assert user["metadata"]["attachment"]["mime"] == "image/jpeg" and bot["metadata"] == {
        "attachment_notice": True
    }
    assert telegram.texts() == [bot["text"]] and bot["text"].startswith("Danke für das Foto!")


async def test_telegram_pdf_document_is_stored_and_other_documents_stay_unsupported(
    client, telegram, settings
):
    pdf = telegram.host("BQAC-pdf", PDF, "application/pdf")
    await tg.deliver(
        client,
        tg.message(
            202,
            document={
                "file_id": pdf,
                "file_unique_id": "p",
                "file_name": "Rechnung.pdf",
                "mime_type": "application/pdf",
                "file_size": len(PDF),
            },
        ),
    )
    await tg.deliver(
        client,
        tg.message(
            203,
            document={
                "file_id": "BQAC-zip",
                "file_unique_id": "z",
                "file_name": "fotos.zip",
                "mime_type": "application/zip",
                "file_size": 4096,
            },
        ),
    )
    await done(client)
    first, second = await customer_messages(client)
    assert (
        first.text == "[PDF-Dokument] Rechnung.pdf"
        and first.custom["attachment"]["mime"] == "application/pdf"
    )
    assert (
        await client.app[ATTACHMENTS].read(first.conversation_id, first.custom["attachment"]["id"])
    ).data == PDF
    assert (second.text, second.custom) == ("[Datei]", {"unsupported": "file"})
    thanks, unsupported = telegram.texts()
    assert thanks.startswith("Danke für das Dokument!") and unsupported.startswith(
        "Dateien kann ich leider nicht öffnen"
    )
    assert telegram.delivered("getFile") == [{"file_id": pdf}]  # the zip was never fetched


async def test_telegram_too_large_file_is_refused_kindly_and_nothing_stored(
    client, telegram, settings
):
    # declared too large: not even asked for
    await tg.deliver(
        client,
        tg.message(
            204,
            document={
                "file_id": "BQAC-big",
                "file_unique_id": "b",
                "mime_type": "application/pdf",
                "file_size": LIMIT + 1,
            },
        ),
    )
    # declared small, but the platform sends more: the download stops at the limit
    liar = telegram.host("BQAC-liar", PDF + b"0" * LIMIT, "application/pdf")
    telegram.declared_size[liar] = 1000
    await tg.deliver(
        client,
        tg.message(
            205,
            document={
                "file_id": liar,
                "file_unique_id": "l",
                "mime_type": "application/pdf",
                "file_size": 1000,
            },
        ),
    )
    await done(client)
    assert telegram.delivered("getFile") == [{"file_id": liar}]
    too_big = "Die Datei ist leider zu groß – ich kann Dateien bis 200 KB annehmen."
    assert [t[: len(too_big)] for t in telegram.texts()] == [too_big, too_big]
    assert [(m.text, m.custom) for m in await customer_messages(client)] == [
        ("[Datei]", {"unsupported": "file", "refused": "attachment_too_large"})
    ] * 2
    assert files(settings) == []


async def test_telegram_download_failure_says_so_once_and_the_update_stays_deduped(
    client, telegram, settings, caplog
):
    caplog.set_level(logging.INFO)
    update = tg.message(
        206,
        photo=[
            {
                "file_id": "AgAC-gone",
                "file_unique_id": "g",
                "file_size": 900,
                "width": 90,
                "height": 67,
            }
        ],
    )
    responses = await asyncio.gather(tg.deliver(client, update), tg.deliver(client, update))
    assert [r.status for r in responses] == [200, 200]
    await done(client)
    assert telegram.texts() == [
        "Ihre Datei ist leider nicht bei mir angekommen. Bitte schicken Sie sie noch einmal."
    ]
    assert await stored(client) == (1, 2, 1) and files(settings) == []
    assert "could not download" in hub_log(caplog) and tg.TOKEN not in hub_log(caplog)


async def test_telegram_disguised_file_is_refused_with_the_allowed_types(
    client, telegram, settings
):
    fake_pdf = telegram.host("BQAC-exe", b"MZ\x90\x00" + b"\x00" * 300, "application/pdf")
    await tg.deliver(
        client,
        tg.message(
            207,
            document={
                "file_id": fake_pdf,
                "file_unique_id": "e",
                "file_name": "rechnung.pdf",
                "mime_type": "application/pdf",
            },
        ),
    )
    await done(client)
    (reply,) = telegram.texts()
    assert (
        reply.startswith("Diese Datei kann ich leider nicht annehmen")
        and "JPEG, PNG, WebP" in reply
    )
    assert files(settings) == []


async def test_telegram_agent_pdf_and_photo_go_out_natively(
    client, telegram, fake_rasa, agent, caplog
):
    cid = await take_over(
        client,
        agent,
        "Ich möchte mit einem Menschen sprechen",
        lambda text: tg.deliver(client, tg.message(210, text=text)),
    )
    await agent_sends(client, agent, cid, PDF, "Retourenschein.pdf")
    photo = image_bytes("PNG", size=(40, 30))
    await agent_sends(client, agent, cid, photo, "Paket.png")
    (document,) = telegram.delivered("sendDocument")
    assert document["chat_id"] == str(tg.CHAT) and document["caption"] == "Eva: Retourenschein.pdf"
    assert document["document"] == Upload("Retourenschein.pdf", "application/pdf", PDF)
    (sent_photo,) = telegram.delivered("sendPhoto")
    assert (
        sent_photo["photo"].content_type == "image/png"
        and sent_photo["photo"].filename == "Paket.png"
    )
    assert Image.open(io.BytesIO(sent_photo["photo"].data)).size == (40, 30)
    assert tg.TOKEN not in hub_log(caplog)


async def test_telegram_file_over_the_platform_limit_becomes_a_notice(
    client, telegram, fake_rasa, agent, monkeypatch
):
    monkeypatch.setattr(telegram_module, "DOCUMENT_LIMIT", 100)
    cid = await take_over(
        client,
        agent,
        "Ich möchte mit einem Menschen sprechen",
        lambda text: tg.deliver(client, tg.message(211, text=text)),
    )
    await agent_sends(client, agent, cid, PDF, "Retourenschein.pdf")
    assert telegram.delivered("sendDocument") == []
    assert telegram.texts()[-1].startswith(
        "Wir haben eine Datei für Sie (Retourenschein.pdf), die für diesen Messenger zu groß ist."
    )


# -- Messenger ------------------------------------------------------------------------------------------


async def test_messenger_photo_arrives_from_the_cdn_without_the_token(client, messenger, fake_rasa):
    url = messenger.host("p1", image_bytes("JPEG", gps=True), "image/jpeg")
    second = messenger.host("p2", image_bytes("PNG"), "image/png")
    await fb.deliver(
        client,
        fb.page_event(
            fb.attachment_event(
                "m_img",
                {"type": "image", "payload": {"url": url}},
                {"type": "image", "payload": {"url": second}},
            )
        ),
    )
    await done(client)
    assert len(messenger.downloads) == 2 and all(
        "Authorization" not in h for h in messenger.downloads
    )
    first, other = await customer_messages(client)
    assert first.text == "[Foto] photo.jpg" and other.custom["attachment"]["mime"] == "image/png"
    await assert_clean_photo(client, first.conversation_id, first.custom["attachment"])
    assert (
        all(t.startswith("Danke für das Foto!") for t in messenger.texts())
        and len(messenger.texts()) == 2
    )


async def test_messenger_exe_as_file_is_refused_and_sticker_stays_unsupported(
    client, messenger, settings
):
    url = messenger.host("f1", b"MZ\x90\x00" + b"\x00" * 300)
    sticker = {
        "type": "image",
        "payload": {
            "url": "https://scontent.xx.fbcdn.net/v/t39.1997-6/like.png",
            "sticker_id": 369239263222822,
        },
    }
    await fb.deliver(
        client,
        fb.page_event(fb.attachment_event("m_exe", {"type": "file", "payload": {"url": url}})),
    )
    await fb.deliver(
        client, fb.page_event(fb.attachment_event("m_st", sticker, sticker_id=369239263222822))
    )
    await done(client)
    refused, unsupported = messenger.texts()
    assert refused.startswith("Diese Datei kann ich leider nicht annehmen")
    assert unsupported.startswith("Sticker kann ich leider nicht ansehen")
    assert files(settings) == [] and len(messenger.downloads) == 1


async def test_messenger_agent_pdf_is_uploaded_as_filedata(client, messenger, fake_rasa, agent):
    cid = await take_over(
        client,
        agent,
        "Ich möchte mit einem Menschen sprechen",
        lambda text: fb.deliver(client, fb.page_event(fb.text_event("m_h", text))),
    )
    await agent_sends(client, agent, cid, PDF, "Retourenschein.pdf")
    upload = [c for c in messenger.calls if "filedata" in c.body]
    assert len(upload) == 1 and upload[0].status == 200
    body = upload[0].body
    assert body["recipient"] == {"id": fb.PSID} and body["messaging_type"] == "RESPONSE"
    assert body["message"] == {"attachment": {"type": "file", "payload": {"is_reusable": False}}}
    assert body["filedata"] == Upload("Retourenschein.pdf", "application/pdf", PDF)
    assert upload[0].headers["Authorization"] == f"Bearer {fb.PAGE_TOKEN}" and upload[0].query == {}
    assert (
        messenger.texts()[-1] == "Eva: Retourenschein.pdf"
    )  # who sent it: attachments have no caption


# -- WhatsApp -------------------------------------------------------------------------------------------


async def test_whatsapp_image_is_looked_up_and_downloaded_with_the_bearer_token(
    client, whatsapp, fake_rasa
):
    media = whatsapp.host("1479537139650973", image_bytes("JPEG", gps=True), "image/jpeg")
    await wa.deliver(
        client,
        wa.incoming(
            wa.wamid(20),
            "image",
            image={
                "caption": "Kratzer am Gehäuse",
                "mime_type": "image/jpeg",
                "sha256": "",
                "id": media,
            },
        ),
    )
    await done(client)
    assert whatsapp.downloads[0]["Authorization"] == f"Bearer {wa.TOKEN}"
    (customer,) = await customer_messages(client)
    assert customer.text == "[Foto] foto.jpg\nKratzer am Gehäuse"
    await assert_clean_photo(client, customer.conversation_id, customer.custom["attachment"])
    assert whatsapp.texts()[0].startswith("Danke für das Foto!")


async def test_whatsapp_pdf_zip_and_too_large(client, whatsapp, settings):
    pdf = whatsapp.host("2001", PDF, "application/pdf")
    big = whatsapp.host("2002", PDF, "application/pdf")
    whatsapp.declared_size[big] = LIMIT + 1
    await wa.deliver(
        client,
        wa.incoming(
            wa.wamid(21),
            "document",
            document={"filename": "Rechnung 4711.pdf", "mime_type": "application/pdf", "id": pdf},
        ),
    )
    await wa.deliver(
        client,
        wa.incoming(
            wa.wamid(22),
            "document",
            document={"filename": "fotos.zip", "mime_type": "application/zip", "id": "2003"},
        ),
    )
    await wa.deliver(
        client,
        wa.incoming(
            wa.wamid(23),
            "document",
            document={"filename": "scan.pdf", "mime_type": "application/pdf", "id": big},
        ),
    )
    await done(client)
    kept, unsupported, refused = await customer_messages(client)
    assert kept.text == "[PDF-Dokument] Rechnung 4711.pdf"
    assert (
        unsupported.custom == {"unsupported": "file"}
        and refused.custom["refused"] == "attachment_too_large"
    )
    thanks, no_zip, too_big = whatsapp.texts()
    assert thanks.startswith("Danke für das Dokument!") and no_zip.startswith(
        "Dateien kann ich leider nicht öffnen"
    )
    assert too_big.startswith("Die Datei ist leider zu groß") and len(whatsapp.downloads) == 1
    assert [p.name.endswith(".json") for p in files(settings)].count(True) == 1


async def test_whatsapp_agent_files_are_uploaded_then_sent_by_media_id(
    client, whatsapp, fake_rasa, agent
):
    cid = await take_over(
        client,
        agent,
        "Ich möchte mit einem Menschen sprechen",
        lambda text: wa.deliver(client, wa.incoming(wa.wamid(30), "text", text={"body": text})),
    )
    await agent_sends(client, agent, cid, PDF, "Retourenschein.pdf")
    await agent_sends(
        client, agent, cid, image_bytes("WEBP"), "Etikett.webp"
    )  # WebP is no WhatsApp image
    await agent_sends(client, agent, cid, image_bytes("JPEG"), "Paket.jpg")
    uploads = [c for c in whatsapp.calls if c.method == "media"]
    assert (
        all(c.body["messaging_product"] == "whatsapp" and c.status == 200 for c in uploads)
        and len(uploads) == 3
    )
    assert uploads[0].headers["Authorization"] == f"Bearer {wa.TOKEN}"
    pdf, webp, jpeg = whatsapp.files()
    assert (pdf["type"], pdf["to"], pdf["document"]["filename"], pdf["document"]["caption"]) == (
        "document",
        wa.WA_ID,
        "Retourenschein.pdf",
        "*Eva*: Retourenschein.pdf",
    )
    assert pdf["upload"].data == PDF and pdf["upload"].content_type == "application/pdf"
    assert (webp["type"], webp["upload"].content_type) == ("document", "image/webp")
    assert (jpeg["type"], jpeg["upload"].content_type) == ("image", "image/jpeg")
    assert GPS_TAG not in Image.open(io.BytesIO(jpeg["upload"].data)).getexif()
    assert await client.app[REPO].latest_by_external("whatsapp", wa.WA_ID) is not None
