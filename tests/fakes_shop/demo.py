"""The demo shop's orders as platform-neutral records, for seeding the fake platforms.

Built from bot/shop/demo_seed.py (the same customers, orders, dates and tracking numbers), so a
dialogue test can talk about order 100234 / anna.schmidt@web.de against the demo shop and
against every fake platform alike. Each fake turns these records into its own wire format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import List

from bot.shop import demo_db as shop
from bot.shop import demo_seed as seed

COUNTRY_BY_CITY = {"Wien": "AT", "Zürich": "CH"}


@dataclass(frozen=True)
class Address:
    first_name: str
    last_name: str
    street: str
    zip: str
    city: str
    country: str  # ISO 3166-1 alpha-2

    @classmethod
    def parse(cls, name: str, text: str) -> Address:
        """'Lindenstraße 4, 10969 Berlin' (the demo's one-line form)."""
        street, _, rest = text.partition(", ")
        zip_code, _, city = rest.partition(" ")
        first, _, last = name.partition(" ")
        return cls(first, last, street, zip_code, city, COUNTRY_BY_CITY.get(city, "DE"))


@dataclass
class DemoItem:
    name: str
    quantity: int
    price_cents: int


@dataclass
class DemoReturn:
    reference: str
    created_at: datetime


@dataclass
class DemoOrder:
    number: str  # the customer-facing order number, e.g. "100234"
    email: str
    customer_name: str
    address: Address
    status: str  # the demo shop's: processing, shipped, delivered, cancelled
    placed_at: datetime  # aware, UTC
    shipped_at: datetime | None
    delivered_at: datetime | None
    expected_delivery: datetime | None
    carrier: str | None
    tracking_number: str | None
    payment_method: str
    payment_status: str  # the demo shop's: paid, open, pending, refunded, refund_pending, ...
    total_cents: int
    items: List[DemoItem] = field(default_factory=list)
    returns: List[DemoReturn] = field(default_factory=list)
    overdue: bool = False


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=timezone.utc) if value is not None else None


def orders(extra_items: int = 0) -> List[DemoOrder]:
    """The fixed demo orders (100234-100243), dated relative to now like `make run`'s seed.

    extra_items: add that many further line items to 100234 (to make item lists page).
    """
    now = datetime.utcnow().replace(microsecond=0)
    result = []
    for number, c, status, method, pay, products in seed.FIXED:
        name, email, address = seed.CUSTOMERS[c]
        customer = shop.Customer(name=name, email=email, address=address)
        o = seed._order(
            number, customer, status, method, pay, products, now, overdue=number in seed.OVERDUE
        )
        items = [DemoItem(i.name, i.quantity, i.price_cents) for i in o.items]
        if number == "100234":
            items += [DemoItem(f"Zubehör Nr. {n + 1}", 1, 990) for n in range(extra_items)]
        returns: List[DemoReturn] = []
        if number in seed.RETURNS:
            days, _mode = seed.RETURNS[number]
            returns.append(DemoReturn(f"RT-{number}", _utc(now - timedelta(days=days)) or now))
        result.append(
            DemoOrder(
                number=number,
                email=email,
                customer_name=name,
                address=Address.parse(name, address),
                status=status,
                placed_at=_utc(o.placed_at) or now,
                shipped_at=_utc(o.shipped_at),
                delivered_at=_utc(o.delivered_at),
                expected_delivery=_utc(o.expected_delivery),
                carrier=o.carrier,
                tracking_number=o.tracking_number,
                payment_method=method,
                payment_status=pay,
                total_cents=o.total_cents,
                items=items,
                returns=returns,
                overdue=number in seed.OVERDUE,
            )
        )
    return result


def iso(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with Z, as Shopify and DHL write timestamps."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def money(cents: int) -> str:
    """'149.90': how Shopify (Decimal) and WooCommerce (string) write amounts."""
    return f"{cents // 100}.{cents % 100:02d}"
