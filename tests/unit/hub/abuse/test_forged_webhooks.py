"""Forged webhooks: anyone can POST to /webhooks/* and /api/v1/mail/inbound, so a request that does
not carry the platform's signature (Meta: HMAC of the body with the app secret), Telegram's secret
header or the mail provider's bearer secret must be refused before it reaches a conversation, and
a mail reply must not find a ticket by its guessable number."""

from __future__ import annotations

import json

from bot.hub.keys.config import SETTINGS
from bot.hub.keys.mail import MAIL
from bot.hub.settings import Channels
from bot.hub.store.models import Message, Ticket
from tests.fake_platforms import meta_signature, post_signed, settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.conftest import auth, rows, start, stored
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on

INBOUND_SECRET = "inbound-secret"


async def test_wrong_or_missing_telegram_secret_is_refused_and_nothing_stored(
    client, telegram, fake_rasa
):
    for secret in ("", "kd-Webhook_Secret-43"):
        resp = await tg.deliver(client, tg.message(1, text="Hallo"), secret)
        assert resp.status == 401 and (await resp.json())["error"]["code"] == "invalid_secret"
    await settle(client)
    assert await stored(client) == (0, 0, 0) and telegram.calls == [] and fake_rasa.received == []


async def test_missing_or_wrong_messenger_signature_is_refused_and_nothing_stored(
    client, messenger, fake_rasa
):
    event = fb.page_event(fb.text_event("m_1", "Hallo"))
    resp = await fb.deliver(client, event, secret=None)
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "signature_missing"
    resp = await fb.deliver(client, event, secret="ein-anderes-geheimnis")
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "invalid_signature"
    genuine = json.dumps(event).encode()
    tampered = genuine.replace(b"Hallo", b"Hallo!")  # altered after Meta signed it
    resp = await client.post(
        "/webhooks/messenger",
        data=tampered,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(genuine, fb.APP_SECRET),
        },
    )
    assert resp.status == 403
    await settle(client)
    assert await stored(client) == (0, 0, 0) and messenger.calls == [] and fake_rasa.received == []


async def test_missing_or_wrong_whatsapp_signature_is_refused_and_nothing_stored(
    client, whatsapp, fake_rasa
):
    payload = wa.incoming(wa.wamid(1), "text", text={"body": "Hallo"})
    assert (await wa.deliver(client, payload, secret=None)).status == 401
    assert (await wa.deliver(client, payload, secret="not-the-app-secret")).status == 403
    assert (await wa.deliver(client, payload, secret=fb.APP_SECRET)).status == 403  # another app's
    await settle(client)
    assert await stored(client) == (0, 0, 0) and whatsapp.calls == [] and fake_rasa.received == []


async def test_webhooks_of_unconfigured_channels_answer_404(aiohttp_client, settings):  # noqa: F811
    from bot.hub.app import init_app

    settings.channels = Channels()  # no channel configured: no secret to check against
    client = await aiohttp_client(init_app(settings))
    for resp in (
        await client.post("/webhooks/telegram", json={"update_id": 1}),
        await client.get("/webhooks/whatsapp", params={"hub.mode": "subscribe"}),
        await post_signed(
            client, "/webhooks/whatsapp", {"object": "whatsapp_business_account"}, fb.APP_SECRET
        ),
        await post_signed(client, "/webhooks/messenger", {"object": "page"}, fb.APP_SECRET),
    ):
        assert (
            resp.status == 404 and (await resp.json())["error"]["code"] == "channel_not_configured"
        )
    assert await stored(client) == (0, 0, 0)


async def test_a_channel_whose_secret_is_not_set_refuses_every_webhook(
    aiohttp_client,
    settings,  # noqa: F811
    fake_rasa,
):
    """A token without its secret (a half-done set-up): an empty header must not match an empty secret."""
    from bot.hub.app import init_app

    settings.channels.telegram.secret = ""
    settings.channels.messenger.app_secret = ""
    settings.channels.whatsapp.app_secret = ""
    client = await aiohttp_client(init_app(settings))
    assert (await tg.deliver(client, tg.message(2, text="Hallo"), secret="")).status == 401
    for resp in (
        await fb.deliver(client, fb.page_event(fb.text_event("m_2", "Hallo")), secret=""),
        await wa.deliver(client, wa.incoming(wa.wamid(2), "text", text={"body": "Hallo"}), ""),
    ):
        assert resp.status in (401, 403)
    await settle(client)
    assert await stored(client) == (0, 0, 0) and fake_rasa.received == []


async def test_a_mail_reply_needs_the_providers_secret_and_the_tickets_signed_address(client):
    """The reply address is `antwort+<ticket>-<signature>@…`: a number alone, or another ticket's
    signature, finds no ticket."""
    hub = client.app[SETTINGS]
    hub.mail_enabled, hub.mail_inbound_secret = True, INBOUND_SECRET
    hub.mail_reply_domain = "antwort.waldmann-outdoor.de"
    conv = await start(client)
    for contact in (
        "0171 1234567",
        "0171 7654321",
    ):  # two tickets (a phone number: no mail is sent)
        resp = await client.post(
            f"/api/v1/conversations/{conv['conversation_id']}/callback",
            json={"contact": contact},
            headers=auth(conv),
        )
        assert resp.status == 201
    first, second = [t.id for t in await rows(client, Ticket, order_by=Ticket.id)]
    genuine = client.app[MAIL].token(first)
    reply = {"to": f"antwort+{genuine}@antwort.waldmann-outdoor.de", "text": "Erstattet?"}
    for headers in ({}, {"Authorization": "Bearer falsch"}):
        resp = await client.post("/api/v1/mail/inbound", json=reply, headers=headers)
        assert resp.status == 401 and (await resp.json())["error"]["code"] == "unauthenticated"
    hook = {"Authorization": f"Bearer {INBOUND_SECRET}"}
    before = len(await rows(client, Message))
    signature = genuine.split("-")[1]
    for forged in (
        f"antwort+{second}-0000000000@antwort.waldmann-outdoor.de",  # a guessed signature
        f"antwort+{second}-{signature}@antwort.waldmann-outdoor.de",  # the first ticket's
        f"antwort+{second}@antwort.waldmann-outdoor.de",  # the number alone
    ):
        resp = await client.post(
            "/api/v1/mail/inbound",
            json={"to": forged, "subject": f"Re: Anfrage #{second}", "text": "Storniert?"},
            headers=hook,
        )
        assert resp.status == 404 and (await resp.json())["error"]["code"] == "ticket_not_found"
    assert len(await rows(client, Message)) == before  # nothing reached a conversation
