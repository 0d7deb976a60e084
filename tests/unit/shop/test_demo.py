"""bot/shop/demo.py: the demo shop behind the interface, as the flows read and change it."""

from __future__ import annotations

import pytest

from bot.shop.backend import NotAllowed
from bot.shop.demo import DemoShop
from bot.shop.model import CANCELLED, DELIVERED, PROCESSING, SHIPPED, Address, Capability
from bot.shop.registry import load_config


def shop() -> DemoShop:
    return DemoShop.from_config(load_config({}, {}))


async def test_orders_read_as_the_interface_records(shop_db: str) -> None:
    demo = shop()
    shipped = await demo.find_order("100234")
    assert shipped is not None and shipped.status == SHIPPED and shipped.carrier == "DHL"
    assert shipped.shipping_address.zipcode == "10969" and shipped.invoice_number
    assert await demo.verify(shipped, " Anna.Schmidt@web.de") and not await demo.verify(
        shipped, "x@y.de"
    )
    processing = await demo.find_order("100236")
    assert processing is not None and processing.status == PROCESSING
    assert processing.expected_delivery is not None and not processing.shipments
    delivered = await demo.find_order("100243")
    assert delivered is not None and delivered.status == DELIVERED and delivered.returns
    assert await demo.find_order("199999") is None
    assert demo.capabilities == frozenset(Capability)


async def test_writes_follow_the_shops_rules(shop_db: str) -> None:
    demo = shop()
    order = await demo.find_order("100236")
    assert order is not None
    assert (await demo.cancel(order, "k")).status == CANCELLED
    assert (await demo.cancel(order, "k")).status == CANCELLED  # idempotent
    shipped = await demo.find_order("100234")
    assert shipped is not None
    with pytest.raises(NotAllowed):
        await demo.cancel(shipped, "k")
    with pytest.raises(NotAllowed):
        await demo.change_address(shipped, Address.parse("Neue Str. 1, 10115 Berlin"))
    other = await demo.find_order("100241")
    assert other is not None
    changed = await demo.change_address(other, Address.parse("Neue Str. 1, 10115 Berlin"))
    assert str(changed.shipping_address) == "Neue Str. 1, 10115 Berlin"
    ret = await demo.create_return(shipped, (), "zu klein", "refund")
    assert ret.reference.startswith("RT-") and ret.label_reference
    ticket = await demo.create_ticket(shipped, "complaint", "kaputt")
    assert (await demo.find_order("100234")).tickets[-1].reference == ticket.reference  # type: ignore[union-attr]


async def test_order_numbers_are_mailed_without_saying_whether_there_are_any(shop_db: str) -> None:
    demo = shop()
    assert await demo.send_order_numbers("anna.schmidt@web.de")
    assert not await demo.send_order_numbers("niemand@example.de")
    assert (await demo.orders_by_email("anna.schmidt@web.de"))[0].startswith("1")
