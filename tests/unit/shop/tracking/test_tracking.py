"""track_order: the carrier's view over the shop's, and the shop's dates when the carrier fails."""

from __future__ import annotations

from typing import AsyncIterator, Tuple

import pytest

from bot.shop.model import DELIVERED, PROCESSING, SHIPPED
from bot.shop.registry import create_backend, load_config
from bot.shop.tracking import track_order, trackers_from_config
from bot.shop.woocommerce import WooCommerceShop
from tests.fakes_shop.base import serving
from tests.fakes_shop.dhl import FakeDhl
from tests.fakes_shop.woocommerce import FakeWooCommerce

Stack = Tuple[WooCommerceShop, dict, FakeDhl]


@pytest.fixture()
async def stack() -> AsyncIterator[Stack]:
    async with serving(FakeWooCommerce()) as woo, serving(FakeDhl()) as dhl:
        environ = {
            "KD_WOOCOMMERCE_CONSUMER_KEY": woo.key,
            "KD_WOOCOMMERCE_CONSUMER_SECRET": woo.secret,
            "KD_DHL_API_KEY": dhl.api_key,
            "KD_DHL_API_URL": dhl.url,
            "KD_SHOP_TIMEOUT": "2",
        }
        config = load_config({"backend": "woocommerce", "url": woo.url}, environ)
        shop = create_backend(config)
        assert isinstance(shop, WooCommerceShop)
        trackers = trackers_from_config(config)
        yield shop, dict(trackers), dhl
        await shop.close()
        for tracker in trackers.values():
            await tracker.close()


async def test_woocommerce_learns_delivery_from_dhl(stack: Stack) -> None:
    shop, trackers, _ = stack
    order = await shop.find_order("100235")
    assert order is not None and order.status == SHIPPED and order.delivered_at is None
    tracked = await track_order(order, trackers)
    assert tracked.status == DELIVERED and tracked.delivered_at is not None
    assert "erfolgreich zugestellt" in tracked.shipments[0].last_event


async def test_delay_shows_the_real_last_event_and_dhls_estimate(stack: Stack) -> None:
    shop, trackers, _ = stack
    order = await shop.find_order("100242")
    assert order is not None and order.expected_delivery is None  # WooCommerce promises nothing
    tracked = await track_order(order, trackers)
    assert tracked.status == SHIPPED and tracked.expected_delivery is not None
    assert tracked.shipments[0].last_event.endswith(
        "Bruchsal: Die Sendung wurde im Start-Paketzentrum bearbeitet."
    )


async def test_carrier_down_keeps_the_shops_data(stack: Stack) -> None:
    shop, trackers, dhl = stack
    order = await shop.find_order("100234")
    assert order is not None
    dhl.fail_next(503, None, times=10)
    assert await track_order(order, trackers) == order


async def test_unshipped_orders_and_no_key_ask_nobody(stack: Stack) -> None:
    shop, trackers, dhl = stack
    order = await shop.find_order("100236")
    assert order is not None and order.status == PROCESSING
    assert await track_order(order, trackers) is order
    assert dhl.calls == []
    assert trackers_from_config(load_config({}, {})) == {}
