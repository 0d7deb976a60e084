"""Web hardening: the page URL only when configured, 405 with Allow. Security headers, CORS, hostile
JSON and internal triage: tests/unit/hub/abuse/ (test_browser_headers, test_hostile_json,
test_triage_leak)."""

from bot.hub.app import init_app
from bot.hub.store.models import Conversation
from tests.unit.hub.conftest import rows

# -- page URL -------------------------------------------------------------------------------

PAGE = "https://shop.example/kasse?email=anna.schmidt%40web.de#zahlung"


async def test_the_page_url_is_not_stored_by_default(client):
    resp = await client.post(
        "/api/v1/conversations",
        json={"channel": "webchat", "metadata": {"page": PAGE, "shop": "waldmann"}},
    )
    assert resp.status == 201
    (conv,) = await rows(client, Conversation)
    assert conv.meta == {"shop": "waldmann"}


async def test_the_page_url_is_stored_without_query_when_configured(aiohttp_client, settings):
    settings.store_page_url = True
    client = await aiohttp_client(init_app(settings))
    assert (
        await client.post("/api/v1/conversations", json={"metadata": {"page": PAGE}})
    ).status == 201
    (conv,) = await rows(client, Conversation)
    assert conv.meta == {"page": "https://shop.example/kasse"}


# -- 405 -------------------------------------------------------------------------------------


async def test_405_names_the_allowed_methods(client):
    for path, allowed in (
        ("/api/v1/conversations", {"POST"}),
        ("/api/v1/conversations/x/messages", {"GET", "POST"}),
        ("/webhooks/messenger", {"GET", "POST"}),
        ("/console", {"GET", "HEAD"}),
    ):
        resp = await client.request("DELETE", path)
        assert resp.status == 405, path
        assert {m.strip() for m in resp.headers["Allow"].split(",")} == allowed, path
