"""The WooCommerce backend against the fake REST API v3 (tests/fakes_shop/woocommerce.py)."""

from __future__ import annotations

from typing import AsyncIterator, Dict

import pytest

from bot.shop.backend import NotAllowed, NotFound, NotSupported, ShopConfigError, ShopUnavailable
from bot.shop.model import CANCELLED, PROCESSING, SHIPPED, Address, Capability
from bot.shop.registry import create_backend, load_config
from bot.shop.woocommerce import WooCommerceShop
from tests.fakes_shop.base import serving
from tests.fakes_shop.woocommerce import FakeWooCommerce


def backend_for(fake: FakeWooCommerce, **env: str) -> WooCommerceShop:
    environ: Dict[str, str] = {
        "KD_WOOCOMMERCE_CONSUMER_KEY": fake.key,
        "KD_WOOCOMMERCE_CONSUMER_SECRET": fake.secret,
        "KD_SHOP_TIMEOUT": "3",
        **env,
    }
    shop = create_backend(load_config({"backend": "woocommerce", "url": fake.url}, environ))
    assert isinstance(shop, WooCommerceShop)
    shop.http.backoff = 0.01
    return shop


@pytest.fixture()
async def fake() -> AsyncIterator[FakeWooCommerce]:
    async with serving(FakeWooCommerce()) as served:
        yield served


@pytest.fixture()
async def shop(fake: FakeWooCommerce) -> AsyncIterator[WooCommerceShop]:
    backend = backend_for(fake)
    yield backend
    await backend.close()


async def test_order_by_number_not_by_id(fake: FakeWooCommerce, shop: WooCommerceShop) -> None:
    order = await shop.find_order("100234")
    assert order is not None
    assert (order.number, order.key, order.status) == ("100234", "4100", SHIPPED)
    assert order.carrier == "DHL" and order.tracking_number == "003404341002342"
    assert order.shipped_at is not None and order.payment_status == "paid"
    assert order.total_cents == 17980 and order.shipping_address.zipcode == "10969"
    assert await shop.verify(order, "anna.schmidt@web.de")
    search = fake.served("GET", "/orders")[0]
    assert search.query["search"] == "100234" and "line_items" in search.query["_fields"]
    assert "billing.email" in search.query["_fields"].split(",")  # not the billing address
    assert search.headers["Authorization"].startswith("Basic ")


async def test_states_and_unknown_number(shop: WooCommerceShop) -> None:
    on_hold = await shop.find_order("100236")
    assert on_hold is not None and (on_hold.status, on_hold.payment_status) == (
        PROCESSING,
        "pending",
    )
    assert await shop.find_order("999999") is None


async def test_refunds_are_read_from_their_endpoint(
    fake: FakeWooCommerce, shop: WooCommerceShop
) -> None:
    order = await shop.find_order("100239")
    assert order is not None and order.status == CANCELLED
    assert [r.amount_cents for r in order.refunds] == [7990] and order.refunds[0].created_at
    assert fake.served("GET", "/orders/4105/refunds")


async def test_search_pages_through_x_wp_totalpages() -> None:
    async with serving(FakeWooCommerce(extra_orders=120)) as fake:
        shop = backend_for(fake)
        numbers = await shop.orders_by_email("Anna.Schmidt@web.de")
        await shop.close()
    assert len(numbers) == 121 and "100234" in numbers and "200119" in numbers
    pages = [c.query["page"] for c in fake.served("GET", "/orders")]
    assert pages == ["1", "2", "3"]


@pytest.mark.parametrize("key,secret", [("ck_wrong", "cs_test"), ("ck_test", "cs_wrong")])
async def test_wrong_key_or_secret_is_a_credentials_error(
    fake: FakeWooCommerce, key: str, secret: str
) -> None:
    shop = backend_for(fake, KD_WOOCOMMERCE_CONSUMER_KEY=key, KD_WOOCOMMERCE_CONSUMER_SECRET=secret)
    with pytest.raises(ShopConfigError) as caught:
        await shop.find_order("100234")
    await shop.close()
    assert caught.value.reason == "credentials"
    assert fake.calls[0].status == 401


async def test_read_only_key_cannot_cancel() -> None:
    async with serving(FakeWooCommerce(read_only=True)) as fake:
        shop = backend_for(fake)
        order = await shop.find_order("100236")
        assert order is not None
        with pytest.raises(ShopConfigError):
            await shop.cancel(order, "k")
        await shop.close()
    assert fake.by_number("100236")["status"] == "on-hold"


async def test_plain_http_to_another_host_is_refused() -> None:
    with pytest.raises(ShopConfigError) as caught:
        WooCommerceShop("http://shop.example.de", "ck", "cs")
    assert caught.value.reason == "url" and "https" in caught.value.detail


async def test_error_bodies(fake: FakeWooCommerce, shop: WooCommerceShop) -> None:
    order = await shop.find_order("100236")
    assert order is not None
    del fake.orders[int(order.key)]  # deleted in the shop meanwhile
    with pytest.raises(NotFound):  # woocommerce_rest_shop_order_invalid_id
        await shop.cancel(order, "k")
    with pytest.raises(ShopConfigError) as caught:  # rest_no_route
        await shop._get("/no-such-route")
    assert caught.value.reason == "url"


async def test_429_retry_after_then_5xx(fake: FakeWooCommerce, shop: WooCommerceShop) -> None:
    fake.fail_next(429, "0")
    assert await shop.find_order("100234") is not None
    assert [c.status for c in fake.calls] == [429, 200]
    fake.fail_next(503, None, times=5)
    with pytest.raises(ShopUnavailable):
        await shop.find_order("100234")


async def test_cancel_is_idempotent(fake: FakeWooCommerce, shop: WooCommerceShop) -> None:
    order = await shop.find_order("100236")
    assert order is not None
    first = await shop.cancel(order, "conv:cancel")
    again = await shop.cancel(order, "conv:cancel")
    assert first.status == again.status == CANCELLED
    puts = fake.served("PUT")
    assert len(puts) == 1 and puts[0].body == {"status": "cancelled"}


async def test_completed_order_is_not_cancelled(
    fake: FakeWooCommerce, shop: WooCommerceShop
) -> None:
    order = await shop.find_order("100234")
    assert order is not None
    with pytest.raises(NotAllowed):
        await shop.cancel(order, "k")
    assert fake.served("PUT") == []


async def test_address_change_while_open(fake: FakeWooCommerce, shop: WooCommerceShop) -> None:
    order = await shop.find_order("100241")
    assert order is not None
    changed = await shop.change_address(order, Address.parse("Elbchaussee 9, 22763 Hamburg"))
    assert changed.shipping_address.text == "Elbchaussee 9, 22763 Hamburg"
    assert fake.by_number("100241")["shipping"]["postcode"] == "22763"
    shipped = await shop.find_order("100234")
    assert shipped is not None
    with pytest.raises(NotAllowed):
        await shop.change_address(shipped, Address.parse("Elbchaussee 9, 22763 Hamburg"))


async def test_return_and_request_become_private_notes(
    fake: FakeWooCommerce, shop: WooCommerceShop
) -> None:
    order = await shop.find_order("100235")
    assert order is not None
    created = await shop.create_return(order, order.items, "zu klein", "exchange")
    ticket = await shop.create_ticket(order, "complaint", "Reißverschluss kaputt")
    notes = fake.notes[int(order.key)]
    assert created.reference == f"RT-{notes[0]['id']}" and ticket.reference == f"N-{notes[1]['id']}"
    assert "Umtausch" in notes[0]["note"] and "zu klein" in notes[0]["note"]
    assert not any(n["customer_note"] for n in notes)
    open_order = await shop.find_order("100236")
    assert open_order is not None
    with pytest.raises(NotAllowed):
        await shop.create_return(open_order, (), "zu groß", "refund")
    with pytest.raises(NotAllowed):
        await shop.create_ticket(None, "order_lookup", "Bestellnummern")


async def test_declared_missing_capabilities_raise_not_supported(shop: WooCommerceShop) -> None:
    assert not shop.supports(Capability.INVOICES)
    assert not shop.supports(Capability.SEND_ORDER_NUMBERS)
    with pytest.raises(NotSupported) as caught:
        await shop.send_order_numbers("anna.schmidt@web.de")
    assert caught.value.capability is Capability.SEND_ORDER_NUMBERS
    order = await shop.find_order("100234")
    assert order is not None and order.invoices == ()


async def test_order_numbers_mail_is_a_customer_note_when_switched_on(
    fake: FakeWooCommerce,
) -> None:
    config = load_config(
        {"backend": "woocommerce", "url": fake.url, "woocommerce": {"mail_order_numbers": True}},
        {"KD_WOOCOMMERCE_CONSUMER_KEY": fake.key, "KD_WOOCOMMERCE_CONSUMER_SECRET": fake.secret},
    )
    shop = create_backend(config)
    assert shop.supports(Capability.SEND_ORDER_NUMBERS)
    assert await shop.send_order_numbers("Felix.Braun@posteo.de") is True
    assert await shop.send_order_numbers("nobody@example.org") is False
    await shop.close()
    notes = fake.notes[fake.by_number("100242")["id"]]
    assert len(notes) == 1 and notes[0]["customer_note"] is True and "100242" in notes[0]["note"]
    assert sum(len(n) for n in fake.notes.values()) == 1


async def test_check_reads_the_newest_order(shop: WooCommerceShop) -> None:
    newest = await shop.check()
    assert newest is not None and newest.number in {"100236", "100237", "100241"}


@pytest.mark.parametrize(
    "secret,path,says",
    [
        ("cs_test", "", "neueste Bestellung 100236"),
        ("cs_wrong", "", "KD_WOOCOMMERCE_CONSUMER_SECRET"),
        ("cs_test", "/blog", "antwortet keine woocommerce-API"),
    ],
)
def test_check_shop_command(monkeypatch, secret, path, says) -> None:
    """`python -m bot.shop check` with this backend: the newest order, or what to fix."""
    from bot.shop.check import main
    from tests.fakes_shop.base import serving_in_thread

    with serving_in_thread(FakeWooCommerce()) as fake:
        monkeypatch.setenv("KD_SHOP_BACKEND", "woocommerce")
        monkeypatch.setenv("KD_SHOP_URL", fake.url + path)
        monkeypatch.setenv("KD_WOOCOMMERCE_CONSUMER_KEY", fake.key)
        monkeypatch.setenv("KD_WOOCOMMERCE_CONSUMER_SECRET", secret)
        printed: list = []
        status = main(["check"], printed.append)
    assert says in printed[0] and status == (0 if says.startswith("neueste") else 1)
