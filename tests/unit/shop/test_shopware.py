"""The Shopware 6 backend against the fake Admin API (tests/fakes_shop/shopware.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, Dict

import pytest

from bot.shop.backend import NotAllowed, NotSupported, ShopConfigError, ShopUnavailable
from bot.shop.model import CANCELLED, DELIVERED, PROCESSING, SHIPPED, Address, Capability
from bot.shop.registry import create_backend, load_config
from bot.shop.shopware import ShopwareShop
from tests.fakes_shop.base import serving
from tests.fakes_shop.shopware import ALL_PRIVILEGES, FakeShopware


def backend_for(fake: FakeShopware, **env: str) -> ShopwareShop:
    environ: Dict[str, str] = {
        "KD_SHOPWARE_CLIENT_ID": fake.client_id,
        "KD_SHOPWARE_CLIENT_SECRET": fake.client_secret,
        "KD_SHOP_TIMEOUT": "3",
        **env,
    }
    shop = create_backend(load_config({"backend": "shopware", "url": fake.url}, environ))
    assert isinstance(shop, ShopwareShop)
    shop.http.backoff = 0.01
    return shop


@pytest.fixture()
async def fake() -> AsyncIterator[FakeShopware]:
    async with serving(FakeShopware()) as served:
        yield served


@pytest.fixture()
async def shop(fake: FakeShopware) -> AsyncIterator[ShopwareShop]:
    backend = backend_for(fake)
    yield backend
    await backend.close()


async def test_order_by_number_with_criteria_and_includes(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    order = await shop.find_order("100234")
    assert order is not None
    assert (order.number, order.status, order.carrier) == ("100234", SHIPPED, "DHL")
    assert order.key == fake.by_number("100234")["id"]
    assert order.tracking_number and order.shipped_at and order.expected_delivery
    assert order.payment_status == "paid" and order.payment_method == "PayPal"
    assert order.shipping_address.text == "Lindenstraße 4, 10969 Berlin"
    assert order.invoice_number == "RE-100234" and len(order.items) == 2
    assert order.total_cents == 17980 and await shop.verify(order, "Anna.Schmidt@web.de ")
    search = fake.served("POST", "/api/search/order")[0]
    assert search.body["filter"] == [{"type": "equals", "field": "orderNumber", "value": "100234"}]
    assert {"lineItems", "deliveries", "transactions", "addresses", "documents"} <= set(
        search.body["associations"]
    )
    assert search.headers["Authorization"].startswith("Bearer ")
    # data minimisation: nothing but the included fields came back (no names, no net amount)
    raw = fake.calls[-1]
    assert raw.status == 200


async def test_states_map_to_the_flows_states(shop: ShopwareShop) -> None:
    expected = {
        "100236": (PROCESSING, "open"),
        "100235": (DELIVERED, "paid"),
        "100239": (CANCELLED, "refunded"),
        "100241": (PROCESSING, "open"),
    }
    for number, (status, payment) in expected.items():
        order = await shop.find_order(number)
        assert order is not None and (order.status, order.payment_status) == (status, payment)
    delivered = await shop.find_order("100235")
    assert delivered is not None and delivered.delivered_at is not None
    processing = await shop.find_order("100236")
    assert processing is not None and processing.expected_delivery and not processing.shipments
    assert await shop.find_order("199999") is None


async def test_token_is_reused_and_refreshed_after_a_401(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    await shop.find_order("100234")
    await shop.find_order("100235")
    assert len(fake.served("POST", "/api/oauth/token")) == 1
    fake.expire_tokens()
    assert await shop.find_order("100236") is not None
    assert len(fake.served("POST", "/api/oauth/token")) == 2


async def test_short_lived_tokens_are_renewed_before_they_expire(fake: FakeShopware) -> None:
    fake.token_lifetime = 30  # within the safety margin: every call asks for a new token
    shop = backend_for(fake)
    try:
        await shop.find_order("100234")
        await shop.find_order("100234")
        assert len(fake.served("POST", "/api/oauth/token")) == 2
    finally:
        await shop.close()


async def test_cancel_checks_the_state_first_and_is_idempotent(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    order = await shop.find_order("100236")
    assert order is not None
    done = await shop.cancel(order, "key-1")
    assert done.status == CANCELLED
    again = await shop.cancel(order, "key-1")  # a retried confirmation
    assert again.status == CANCELLED
    assert len(fake.served("POST", "/state/cancel")) == 1
    shipped = await shop.find_order("100234")
    assert shipped is not None
    with pytest.raises(NotAllowed):
        await shop.cancel(shipped, "key-2")
    assert len(fake.served("POST", "/state/cancel")) == 1


async def test_a_retry_meeting_an_illegal_transition_is_success_when_cancelled(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    order = await shop.find_order("100236")
    assert order is not None
    original = shop._current

    async def stale(o):  # the shop cancelled in between our read and our write
        raw = await original(o)
        fake.set_state("100236", order="cancelled")
        return raw

    shop._current = stale  # type: ignore[method-assign]
    assert (await shop.cancel(order, "k")).status == CANCELLED
    assert [c.status for c in fake.calls if "state/cancel" in c.path] == [400]


async def test_address_changes_while_the_delivery_is_open(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    order = await shop.find_order("100236")
    assert order is not None
    changed = await shop.change_address(order, Address.parse("Neue Str. 1, 10115 Berlin"))
    assert changed.shipping_address.text == "Neue Str. 1, 10115 Berlin"
    patch = fake.served("PATCH", "/api/order-address/")[0]
    assert patch.body == {"street": "Neue Str. 1", "zipcode": "10115", "city": "Berlin"}
    with pytest.raises(NotSupported):  # Shopware stores the parts: a text that does not split
        await shop.change_address(order, Address.parse("bei meiner Nachbarin"))
    shipped = await shop.find_order("100234")
    assert shipped is not None
    with pytest.raises(NotAllowed):
        await shop.change_address(shipped, Address.parse("Neue Str. 1, 10115 Berlin"))


async def test_orders_by_email_page_through_the_total(fake: FakeShopware) -> None:
    fake.orders = {k: v for k, v in fake.orders.items()}
    anna = fake.by_number("100234")
    for n in range(30):  # 31 orders: two pages of 25
        copy = {**anna, "id": f"{n:032x}", "orderNumber": str(200000 + n)}
        fake.orders[copy["id"]] = copy
    shop = backend_for(fake)
    try:
        numbers = await shop.orders_by_email("ANNA.SCHMIDT@web.de")
    finally:
        await shop.close()
    assert len(numbers) == 31 and "100234" in numbers
    pages = [c.body["page"] for c in fake.served("POST", "/api/search/order")]
    assert pages == [1, 2]


async def test_rate_limit_waits_for_the_seconds_in_the_error_body(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    await shop.find_order("100234")
    fake.fail_next(429, retry_after="0", times=2)
    assert await shop.find_order("100235") is not None
    assert [c.status for c in fake.calls[-3:]] == [429, 429, 200]


async def test_a_shop_that_keeps_throttling_or_failing_is_unavailable_in_time(
    fake: FakeShopware, shop: ShopwareShop
) -> None:
    await shop.find_order("100234")
    fake.fail_next(429, retry_after="10", times=1)  # longer than the deadline: no waiting
    with pytest.raises(ShopUnavailable):
        await shop.find_order("100235")
    fake.fail_next(503, times=5)
    with pytest.raises(ShopUnavailable):
        await shop.find_order("100235")


async def test_errors_for_the_operator(fake: FakeShopware) -> None:
    wrong = backend_for(fake, KD_SHOPWARE_CLIENT_SECRET="nope")
    with pytest.raises(ShopConfigError) as info:
        await wrong.find_order("100234")
    assert info.value.reason == "credentials"
    await wrong.close()
    fake.privileges = set(ALL_PRIVILEGES) - {"order_delivery:read"}
    shop = backend_for(fake)
    with pytest.raises(ShopConfigError) as info:
        await shop.find_order("100234")
    assert info.value.reason == "permission" and "order_delivery:read" in info.value.detail
    await shop.close()


async def test_wrong_url_and_missing_secret(fake: FakeShopware) -> None:
    shop = backend_for(fake)
    shop.http.base_url = fake.url + "/shop"  # a path the Admin API is not at
    with pytest.raises(ShopConfigError) as info:
        await shop.find_order("100234")
    assert info.value.reason == "url"
    await shop.close()
    with pytest.raises(ShopConfigError) as info:
        create_backend(load_config({"backend": "shopware", "url": fake.url}, {}))
    assert info.value.reason == "config" and "KD_SHOPWARE_CLIENT_ID" in str(info.value)


async def test_declared_missing_capabilities_raise_not_supported(shop: ShopwareShop) -> None:
    order = await shop.find_order("100235")
    assert order is not None
    for capability in (Capability.CREATE_RETURN, Capability.TICKETS, Capability.SEND_ORDER_NUMBERS):
        assert not shop.supports(capability)
    with pytest.raises(NotSupported):
        await shop.create_return(order, (), "zu klein", "refund")
    with pytest.raises(NotSupported):
        await shop.create_ticket(order, "complaint", "kaputt")
    with pytest.raises(NotSupported):
        await shop.send_order_numbers("anna.schmidt@web.de")


async def test_check_reads_the_newest_order(shop: ShopwareShop) -> None:
    order = await shop.check()
    assert order is not None and order.number


async def test_concurrent_reads_fetch_one_token(fake: FakeShopware, shop: ShopwareShop) -> None:
    await asyncio.gather(*(shop.find_order(n) for n in ("100234", "100235", "100236")))
    assert len(fake.served("POST", "/api/oauth/token")) == 1


async def test_nothing_from_the_shop_is_logged(
    fake: FakeShopware, shop: ShopwareShop, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    order = await shop.find_order("100236")
    assert order is not None
    await shop.change_address(order, Address.parse("Neue Str. 1, 10115 Berlin"))
    await shop.cancel(order, "k")
    fake.fail_next(503, times=5)
    with pytest.raises(ShopUnavailable) as info:
        await shop.find_order("100234")
    client_side = [
        r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp.access")
    ]
    shop_data = ("leonie", "Leipzig", "Neue Str", "Zelt", "100236", "100234")
    assert not [line for line in client_side if any(d in line for d in shop_data)]
    assert not any(d in str(info.value) for d in shop_data)


async def test_a_returned_delivery_is_a_return_that_arrived(shop: ShopwareShop) -> None:
    order = await shop.find_order("100243")
    assert order is not None and order.status == DELIVERED
    assert [(r.reference, r.status) for r in order.returns] == [("RT-100243", "received")]
    assert order.payment_status == "paid" and not order.refunds
    refunded = await shop.find_order("100239")
    assert refunded is not None and refunded.refunds and not refunded.returns
