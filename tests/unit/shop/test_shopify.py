"""The Shopify backend against the fake Admin GraphQL API (tests/fakes_shop/shopify.py)."""

from __future__ import annotations

import time
from typing import AsyncIterator, Dict

import pytest

from bot.shop.backend import NotAllowed, NotSupported, ShopConfigError, ShopUnavailable
from bot.shop.model import CANCELLED, PROCESSING, SHIPPED, Address, Capability
from bot.shop.registry import create_backend, load_config
from bot.shop.shopify import ShopifyShop
from tests.fakes_shop.base import serving
from tests.fakes_shop.shopify import FakeShopify

NUMBERS = {"pattern": r"#?\s*(1\d{5})", "prefix": "#", "example": "#100234"}


def backend_for(fake: FakeShopify, **env: str) -> ShopifyShop:
    environ: Dict[str, str] = {
        "KD_SHOPIFY_ACCESS_TOKEN": fake.token,
        "KD_SHOP_TIMEOUT": "3",
        **env,
    }
    config = load_config({"backend": "shopify", "url": fake.url, "order_numbers": NUMBERS}, environ)
    shop = create_backend(config)
    assert isinstance(shop, ShopifyShop)
    shop.http.backoff = 0.01
    return shop


@pytest.fixture()
async def fake() -> AsyncIterator[FakeShopify]:
    async with serving(FakeShopify()) as served:
        yield served


@pytest.fixture()
async def shop(fake: FakeShopify) -> AsyncIterator[ShopifyShop]:
    backend = backend_for(fake)
    yield backend
    await backend.close()


async def test_order_by_name_with_tracking_and_money(shop: ShopifyShop) -> None:
    order = await shop.find_order("#100234")
    assert order is not None
    assert (order.number, order.status, order.payment_status) == ("#100234", SHIPPED, "paid")
    assert order.key.startswith("gid://shopify/Order/")
    assert order.carrier == "DHL" and order.tracking_number == "003404341002342"
    assert [i.name for i in order.items] == [
        "Wanderschuhe Alpin Pro, Gr. 39",
        "Merino-Socken 3er-Pack",
    ]
    assert order.total_cents == 17980 and order.payment_method == "PayPal"
    assert order.shipping_address.text == "Lindenstraße 4, 10969 Berlin"
    assert order.expected_delivery is not None and await shop.verify(order, " Anna.Schmidt@web.de")


async def test_number_without_prefix_and_unknown_number(shop: ShopifyShop) -> None:
    assert (await shop.find_order("100236")) is not None
    assert await shop.find_order("#999999") is None


async def test_returns_refunds_and_cancelled(shop: ShopifyShop) -> None:
    returned = await shop.find_order("#100243")
    cancelled = await shop.find_order("#100239")
    assert returned is not None and [r.reference for r in returned.returns] == ["#100243-R1"]
    assert cancelled is not None and cancelled.status == CANCELLED
    assert [r.amount_cents for r in cancelled.refunds] == [7990]


async def test_line_items_page_through_the_connection() -> None:
    async with serving(FakeShopify(extra_items=120)) as fake:
        shop = backend_for(fake)
        order = await shop.find_order("#100234")
        await shop.close()
    assert order is not None and len(order.items) == 122
    assert order.items[-1].name == "Zubehör Nr. 120"
    pages = [c for c in fake.served("POST") if c.body["operationName"] == "OrderLineItems"]
    assert len(pages) == 2 and pages[1].body["variables"]["after"]


async def test_bad_token_is_a_credentials_error(fake: FakeShopify) -> None:
    shop = backend_for(fake, KD_SHOPIFY_ACCESS_TOKEN="shpat_wrong")
    with pytest.raises(ShopConfigError) as caught:
        await shop.find_order("#100234")
    await shop.close()
    assert caught.value.reason == "credentials"
    assert [c.status for c in fake.calls] == [401]


async def test_missing_scope_is_a_permission_error_naming_it() -> None:
    async with serving(FakeShopify(scopes={"read_orders"})) as fake:
        shop = backend_for(fake)
        order = await shop.find_order("#100236")
        assert order is not None
        with pytest.raises(ShopConfigError) as caught:
            await shop.cancel(order, "k1")
        await shop.close()
    assert caught.value.reason == "permission" and "write_orders" in caught.value.detail
    assert fake.cancelled_ids == []


async def test_throttled_query_waits_for_the_bucket_and_succeeds(
    fake: FakeShopify, shop: ShopifyShop
) -> None:
    fake.drain(to=0.0, restore_rate=300.0)  # refills the 78 points the query needs in ~0.26 s
    order = await shop.find_order("#100234")
    assert order is not None and fake.throttled == 1
    assert len(fake.served("POST")) == 2  # the throttled attempt and the retry


async def test_a_bucket_that_does_not_refill_in_time_is_unavailable(fake: FakeShopify) -> None:
    shop = backend_for(fake, KD_SHOP_TIMEOUT="0.5")
    fake.drain(to=0.0, restore_rate=1.0)  # 78 s for one query
    with pytest.raises(ShopUnavailable):
        await shop.find_order("#100234")
    await shop.close()
    assert fake.throttled == 1


async def test_known_low_bucket_paces_the_next_query(fake: FakeShopify, shop: ShopifyShop) -> None:
    await shop.find_order("#100234")  # learns the query's cost and the bucket
    fake.drain(to=0.0, restore_rate=2000.0)
    # as if Shopify had just reported an empty bucket refilling at half the fake's real rate:
    # the backend waits 78 ms, by when the fake holds about twice what the query costs
    shop._bucket = (0.0, 1000.0, 1000.0, time.monotonic())
    assert await shop.find_order("#100234") is not None
    assert fake.throttled == 0  # waited before asking instead of being refused


async def test_429_with_retry_after_and_5xx(fake: FakeShopify, shop: ShopifyShop) -> None:
    fake.fail_next(429, "0")
    assert await shop.find_order("#100234") is not None
    assert [c.status for c in fake.calls] == [429, 200]
    fake.fail_next(503, None, times=5)
    with pytest.raises(ShopUnavailable):
        await shop.find_order("#100234")


async def test_cancel_is_idempotent(fake: FakeShopify, shop: ShopifyShop) -> None:
    order = await shop.find_order("#100236")
    assert order is not None and order.status == PROCESSING
    first = await shop.cancel(order, "conv-1:cancel")
    again = await shop.cancel(order, "conv-1:cancel")  # a retried confirmation
    assert first.status == again.status == CANCELLED
    assert fake.cancelled_ids == [order.key]
    sent = [c for c in fake.calls if c.body and c.body.get("operationName") == "OrderCancel"]
    assert len(sent) == 1 and sent[0].body["variables"]["reason"] == "CUSTOMER"


async def test_shipped_order_is_not_cancelled(fake: FakeShopify, shop: ShopifyShop) -> None:
    order = await shop.find_order("#100234")
    assert order is not None
    with pytest.raises(NotAllowed):
        await shop.cancel(order, "k")
    assert fake.cancelled_ids == []


async def test_address_change_before_fulfilment_only(fake: FakeShopify, shop: ShopifyShop) -> None:
    order = await shop.find_order("#100236")
    assert order is not None
    changed = await shop.change_address(order, Address.parse("Neue Straße 5, 04109 Leipzig"))
    assert changed.shipping_address.text == "Neue Straße 5, 04109 Leipzig"
    stored = fake.orders["#100236"]["shippingAddress"]
    assert (stored["address1"], stored["zip"], stored["firstName"]) == (
        "Neue Straße 5",
        "04109",
        "Leonie",
    )
    with pytest.raises(NotAllowed):
        await shop.change_address(order, Address.parse("irgendwo"))
    shipped = await shop.find_order("#100234")
    assert shipped is not None
    with pytest.raises(NotAllowed):
        await shop.change_address(shipped, Address.parse("Neue Straße 5, 10969 Berlin"))
    assert fake.orders["#100234"]["shippingAddress"]["address1"] == "Lindenstraße 4"


async def test_return_request_of_fulfilled_items(fake: FakeShopify, shop: ShopifyShop) -> None:
    order = await shop.find_order("#100238")
    assert order is not None
    created = await shop.create_return(order, order.items[:1], "passt nicht", "refund")
    assert created.reference == "#100238-R1" and created.status == "open"
    request = next(
        c for c in fake.calls if c.body and c.body.get("operationName") == "ReturnRequest"
    )
    lines = request.body["variables"]["input"]["returnLineItems"]
    assert len(lines) == 1 and lines[0]["returnReason"] == "OTHER"
    assert "passt nicht" in lines[0]["customerNote"]
    open_order = await shop.find_order("#100236")
    assert open_order is not None
    with pytest.raises(NotAllowed):
        await shop.create_return(open_order, (), "zu groß", "refund")


async def test_approved_returns_use_return_create(fake: FakeShopify) -> None:
    shop = backend_for(fake)
    shop.approve_returns = True  # company.yml shop.shopify.approve_returns
    order = await shop.find_order("#100235")
    assert order is not None
    created = await shop.create_return(order, (), "zu klein", "exchange")
    await shop.close()
    assert created.reference == "#100235-R1"
    sent = next(c for c in fake.calls if c.body and c.body.get("operationName") == "ReturnCreate")
    line = sent.body["variables"]["returnInput"]["returnLineItems"][0]
    assert line["returnReasonNote"] == "Umtausch: zu klein" and "customerNote" not in line
    assert fake.orders["#100235"]["returns"]["nodes"][-1]["status"] == "OPEN"
    assert fake.return_notes == ["Umtausch: zu klein"]


async def test_orders_by_email_newest_first(shop: ShopifyShop) -> None:
    assert await shop.orders_by_email("Anna.Schmidt@web.de") == ["#100234"]
    assert await shop.orders_by_email("nobody@example.org") == []


@pytest.mark.parametrize(
    "capability", [Capability.INVOICES, Capability.TICKETS, Capability.SEND_ORDER_NUMBERS]
)
async def test_declared_missing_capabilities_raise_not_supported(
    shop: ShopifyShop, capability: Capability
) -> None:
    assert not shop.supports(capability)
    order = await shop.find_order("#100234")
    assert order is not None and order.invoices == ()
    with pytest.raises(NotSupported) as caught:
        if capability is Capability.SEND_ORDER_NUMBERS:
            await shop.send_order_numbers("anna.schmidt@web.de")
        else:
            await shop.create_ticket(order, "complaint", "kaputt")
    assert caught.value.capability in (Capability.TICKETS, Capability.SEND_ORDER_NUMBERS)


async def test_check_reads_the_newest_order_and_names_failures(fake: FakeShopify) -> None:
    shop = backend_for(fake)
    newest = await shop.check()
    assert newest is not None and newest.number.startswith("#1002")
    await shop.close()
    wrong = backend_for(fake, KD_SHOP_URL=fake.url + "/nicht-shopify")
    with pytest.raises(ShopConfigError) as caught:
        await wrong.check()
    await wrong.close()
    assert caught.value.reason == "url"


async def test_check_names_missing_access_scopes() -> None:
    async with serving(FakeShopify(scopes={"read_orders", "read_returns"})) as fake:
        shop = backend_for(fake)
        with pytest.raises(ShopConfigError) as caught:
            await shop.check()
        await shop.close()
    assert caught.value.reason == "permission"
    assert "write_orders" in caught.value.detail and "write_returns" in caught.value.detail


def test_missing_token_is_a_config_error() -> None:
    config = load_config({"backend": "shopify", "url": "https://x.myshopify.com"}, {})
    with pytest.raises(ShopConfigError) as caught:
        create_backend(config)
    assert caught.value.reason == "config" and "KD_SHOPIFY_ACCESS_TOKEN" in str(caught.value)


@pytest.mark.parametrize(
    "token,scopes,says",
    [
        ("shpat_test", None, "neueste Bestellung #1002"),
        ("shpat_wrong", None, "Prüfen Sie KD_SHOPIFY_ACCESS_TOKEN"),
        ("shpat_test", {"read_orders"}, "write_orders"),
    ],
)
def test_check_shop_command(monkeypatch, token, scopes, says) -> None:
    """`python -m bot.shop check` with this backend: the newest order, or what to fix."""
    from bot.shop.check import main
    from tests.fakes_shop.base import serving_in_thread

    with serving_in_thread(FakeShopify(scopes=scopes)) as fake:
        monkeypatch.setenv("KD_SHOP_BACKEND", "shopify")
        monkeypatch.setenv("KD_SHOP_URL", fake.url)
        monkeypatch.setenv("KD_SHOPIFY_ACCESS_TOKEN", token)
        printed: list = []
        status = main(["check"], printed.append)
    assert says in printed[0] and status == (0 if says.startswith("neueste") else 1)
