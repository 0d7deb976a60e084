"""bot/shop/model.py: addresses split for shops that store the parts, orders never print data."""

from __future__ import annotations

from datetime import datetime

from bot.shop.model import SHIPPED, Address, Invoice, Order, Shipment


def test_addresses_split_into_street_zip_and_city() -> None:
    for text, parts in {
        "Neue Str. 1, 10115 Berlin": ("Neue Str. 1", "10115", "Berlin", ""),
        "Mariahilfer Straße 80, A-1070 Wien": ("Mariahilfer Straße 80", "1070", "Wien", "AT"),
        "Am Markt 5 04109 Leipzig": ("Am Markt 5", "04109", "Leipzig", ""),
        "Hauptstr. 12a, 80331 München": ("Hauptstr. 12a", "80331", "München", ""),
    }.items():
        address = Address.parse(text)
        assert (address.street, address.zipcode, address.city, address.country) == parts
        assert address.complete and str(address) == text


def test_an_address_that_does_not_split_keeps_its_text_only() -> None:
    address = Address.parse("  bei meiner   Nachbarin  ")
    assert str(address) == "bei meiner Nachbarin" and not address.complete


def test_order_reads_its_latest_shipment_and_invoice_and_hides_data_in_repr() -> None:
    order = Order(
        number="10023",
        key="abc",
        status=SHIPPED,
        email="anna@example.de",
        shipping_address=Address.parse("Lindenstraße 4, 10969 Berlin"),
        shipments=(
            Shipment("DPD", "1", expected_delivery=datetime(2026, 1, 2)),
            Shipment("DHL", "2", shipped_at=datetime(2026, 1, 3)),
        ),
        invoices=(Invoice("RE-1"), Invoice("RE-2")),
        promised_delivery=datetime(2026, 1, 9),
    )
    assert (order.id, order.carrier, order.tracking_number) == ("10023", "DHL", "2")
    assert order.expected_delivery == datetime(2026, 1, 9)  # the last parcel has no own date
    assert order.invoice_number == "RE-2"
    assert "anna" not in repr(order) and "Lindenstraße" not in repr(order)
