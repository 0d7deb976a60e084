"""Secrets in logs: whoever reads the hub's logs (an operator, a log shipper, a support ticket with a
pasted excerpt) must not get the platform tokens. Telegram puts its bot token into every URL path,
so URLs are redacted in every log line; Meta's tokens travel only in the Authorization header,
never in a URL."""

from __future__ import annotations

import json
import logging

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.fake_platforms import settle
from tests.unit.hub import test_channel_messenger as fb
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub import test_channel_whatsapp as wa
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on


def hub_log(caplog) -> str:
    """Everything the hub logged, with tracebacks (a fake platform's own access log is its side)."""
    return "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.name != "aiohttp.access"
    )


async def test_the_telegram_bot_token_never_reaches_the_logs(aiohttp_client, settings, caplog):  # noqa: F811
    """Telegram wants the token in the URL path; aiohttp errors quote that URL."""
    from bot.hub.app import init_app

    async def redirect_forever(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(str(request.url))  # TooManyRedirects names the full URL

    looping = web.Application()
    looping.router.add_post("/{tail:.*}", redirect_forever)
    server = TestServer(looping, host="127.0.0.1")
    await server.start_server()
    settings.channels.telegram.api_base = str(server.make_url("")).rstrip("/")
    client = await aiohttp_client(init_app(settings))
    caplog.set_level(logging.DEBUG)
    try:
        await tg.deliver(client, tg.message(116, text="Hallo"))
        await tg.deliver(
            client, tg.tap(117, "/affirm", [[{"text": "Ja", "callback_data": "/affirm"}]])
        )
        await settle(client)
    finally:
        await server.close()
    logged = hub_log(caplog)
    assert "delivery failed" in logged and "TooManyRedirects" in logged
    assert tg.TOKEN.split(":")[1] not in logged and "<redacted>" in logged


async def test_failed_meta_deliveries_log_no_token(client, messenger, whatsapp, fake_rasa, caplog):
    caplog.set_level(logging.DEBUG)
    messenger.fail_next(500, retry_after="0", times=5)
    whatsapp.fail_next(500, retry_after="0", times=5)
    await fb.deliver(client, fb.page_event(fb.text_event("m_12", "Hallo")))
    await wa.deliver(client, wa.incoming(wa.wamid(12), "text", text={"body": "Hallo"}))
    await settle(client)
    logged = hub_log(caplog)
    assert logged.count("platform refused") >= 2
    assert fb.PAGE_TOKEN not in logged and wa.TOKEN not in logged


async def test_meta_tokens_travel_in_the_authorization_header_never_in_a_url(
    client, messenger, whatsapp, fake_rasa
):
    """A URL ends up in proxy and access logs; a header does not."""
    await fb.deliver(client, fb.page_event(fb.text_event("m_13", "Hallo")))
    await wa.deliver(client, wa.incoming(wa.wamid(13), "text", text={"body": "Hallo"}))
    await settle(client)
    for fake, token in ((messenger, fb.PAGE_TOKEN), (whatsapp, wa.TOKEN)):
        assert [c.status for c in fake.calls] == [200]
        for call in fake.calls:
            assert call.headers["Authorization"] == f"Bearer {token}"
            assert token not in json.dumps(call.query)
