"""DHL tracking against the fake Shipment Tracking - Unified API (tests/fakes_shop/dhl.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import AsyncIterator

import pytest

from bot.shop.backend import ShopConfigError, ShopUnavailable
from bot.shop.tracking import DELIVERED_CODE, TRANSIT
from bot.shop.tracking.dhl import DhlTracker
from tests.fakes_shop.base import serving
from tests.fakes_shop.dhl import FakeDhl

ON_THE_WAY, DELIVERED, STUCK = "003404341002342", "003404341002351", "003404341002421"


@pytest.fixture()
async def fake() -> AsyncIterator[FakeDhl]:
    async with serving(FakeDhl()) as served:
        yield served


@pytest.fixture()
async def dhl(fake: FakeDhl) -> AsyncIterator[DhlTracker]:
    tracker = DhlTracker(fake.url, fake.api_key, timeout=3)
    tracker.http.backoff = 0.01
    yield tracker
    await tracker.close()


async def test_parcel_on_the_way(fake: FakeDhl, dhl: DhlTracker) -> None:
    tracking = await dhl.track(ON_THE_WAY)
    assert tracking is not None and tracking.status == TRANSIT
    assert tracking.last_event == "Die Sendung wurde im Ziel-Paketzentrum bearbeitet."
    assert tracking.last_place == "Berlin" and tracking.delivered_at is None
    assert (
        tracking.estimated_delivery is not None and tracking.estimated_delivery > datetime.utcnow()
    )
    call = fake.served("GET")[0]
    assert call.query == {"trackingNumber": ON_THE_WAY, "language": "de"}
    assert call.headers["DHL-API-Key"] == fake.api_key


async def test_delivered_parcel_has_its_delivery_time(dhl: DhlTracker) -> None:
    tracking = await dhl.track(DELIVERED)
    assert tracking is not None and tracking.status == DELIVERED_CODE
    assert tracking.delivered_at is not None
    # the demo delivered three days ago at 10:00 UTC; DHL writes it as Berlin local time
    assert tracking.delivered_at == tracking.last_event_at
    assert timedelta(days=2) < datetime.utcnow() - tracking.delivered_at < timedelta(days=4)


async def test_stuck_parcel_reports_its_old_last_scan(dhl: DhlTracker) -> None:
    tracking = await dhl.track(STUCK)
    assert tracking is not None and tracking.last_event_at is not None
    assert datetime.utcnow() - tracking.last_event_at > timedelta(days=5)
    assert (
        tracking.estimated_delivery is not None and tracking.estimated_delivery < datetime.utcnow()
    )


async def test_unknown_number_is_none(dhl: DhlTracker) -> None:
    assert await dhl.track("00340434000000000000") is None
    assert await dhl.track("   ") is None


async def test_bad_key_is_a_credentials_error(fake: FakeDhl) -> None:
    tracker = DhlTracker(fake.url, "wrong")
    with pytest.raises(ShopConfigError) as caught:
        await tracker.track(ON_THE_WAY)
    await tracker.close()
    assert caught.value.reason == "credentials"


async def test_quota_429_waits_for_retry_after(fake: FakeDhl, dhl: DhlTracker) -> None:
    fake.fail_next(429, "0")
    assert await dhl.track(ON_THE_WAY) is not None
    assert [c.status for c in fake.calls] == [429, 200]


async def test_quota_longer_than_the_deadline_is_unavailable(
    fake: FakeDhl, dhl: DhlTracker
) -> None:
    fake.fail_next(429, "3600")
    with pytest.raises(ShopUnavailable):
        await dhl.track(ON_THE_WAY)
    assert len(fake.calls) == 1  # did not sit out an hour


@pytest.mark.parametrize("key,says", [("dhl-test-key", "funktioniert"), ("wrong", "geht nicht")])
def test_check_shop_tells_whether_the_dhl_key_works(monkeypatch, key: str, says: str) -> None:
    from bot.shop.check import main
    from tests.fakes_shop.base import serving_in_thread
    from tests.fakes_shop.woocommerce import FakeWooCommerce

    woo = FakeWooCommerce()
    dhl = FakeDhl().serve_on(woo)
    with serving_in_thread(woo):
        for name, value in {
            "KD_SHOP_BACKEND": "woocommerce",
            "KD_SHOP_URL": woo.url,
            "KD_WOOCOMMERCE_CONSUMER_KEY": woo.key,
            "KD_WOOCOMMERCE_CONSUMER_SECRET": woo.secret,
            "KD_DHL_API_KEY": key,
            "KD_DHL_API_URL": woo.url,
        }.items():
            monkeypatch.setenv(name, value)
        printed: list = []
        status = main(["check"], printed.append)
    assert status == 0 and f"Sendungsverfolgung DHL: {says}" in printed[0]
    assert dhl.api_key == "dhl-test-key"
