"""What a shop backend returns: frozen, platform-neutral records holding only what a flow needs.

Every backend (bot/shop/demo.py, bot/shop/shopware.py, …) maps its platform's order into these
types, so the actions never see a platform's field names. Data minimisation: a backend copies
only the fields below out of the platform's answer; nothing else leaves the shop, and none of
these records is ever logged (their `repr` is deliberately short, see `Order.__repr__`).

Codes, not texts: `Order.status` is one of the four STATUS codes, `Order.payment_status` one of
PAYMENT codes (unknown platform states map to "unknown"); the actions turn them into German.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Tuple

# Where an order is, as the flows distinguish it.
PROCESSING = "processing"  # placed, not yet handed to a carrier: cancel / address change possible
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"
STATUSES = (PROCESSING, SHIPPED, DELIVERED, CANCELLED)

# Payment states the flows explain (actions/orders.py payment_text); anything else is "unknown".
PAYMENT = (
    "paid",
    "open",
    "pending",
    "authorized",
    "failed",
    "chargeback",
    "refund_pending",
    "partially_refunded",
    "refunded",
    "double_charged",
    "unknown",
)


class Capability(str, enum.Enum):
    """What a backend can do. A flow needing one the backend lacks says so and offers a human."""

    FIND_ORDER = "find_order"  # read one order by number (every backend)
    ORDERS_BY_EMAIL = "orders_by_email"  # the order-number help
    CANCEL = "cancel"
    CHANGE_ADDRESS = "change_address"
    CREATE_RETURN = "create_return"
    READ_RETURNS = "read_returns"  # returns and refunds on Order
    INVOICES = "invoices"  # invoice numbers on Order
    TICKETS = "tickets"  # requests on file (a note/ticket in the shop for the team)
    SEND_ORDER_NUMBERS = "send_order_numbers"  # the shop mails a customer their order numbers
    WITHDRAW = (
        "withdraw"  # withdraw a return or request still open (the customer changed their mind)
    )


# "Neue Str. 1, 10115 Berlin", "Neue Str. 1 10115 Berlin", "Neue Str. 1, D-10115 Berlin"
_ADDRESS = re.compile(
    r"^\s*(?P<street>.+?\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)\s*,?\s+"
    r"(?:(?P<country>[A-Z]{1,2})-)?(?P<zip>\d{4,5})\s+(?P<city>[^\d,]+?)\s*$"
)


@dataclass(frozen=True)
class Address:
    """A postal address. `text` is the one line customers see and type; the parts are for shops
    that store them separately (empty when the text could not be split)."""

    text: str
    street: str = ""
    zipcode: str = ""
    city: str = ""
    country: str = ""  # ISO 3166-1 alpha-2 when known

    @classmethod
    def parse(cls, text: str) -> Address:
        """Split "Straße Nr, PLZ Ort"; a text that does not split keeps only `text`."""
        clean = " ".join(str(text or "").split())
        match = _ADDRESS.match(clean)
        if not match:
            return cls(text=clean)
        country = {"D": "DE", "A": "AT", "CH": "CH"}.get(match["country"] or "", "")
        return cls(clean, match["street"].strip(), match["zip"], match["city"].strip(), country)

    @property
    def complete(self) -> bool:
        """Whether street, postcode and city are known (what a shop needs to store it)."""
        return bool(self.street and self.zipcode and self.city)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int = 1
    price_cents: int = 0  # per piece, gross
    sku: str = ""
    line_id: str = ""  # the platform's id of the line (returns of single items)


@dataclass(frozen=True)
class Shipment:
    """One parcel. Dates are naive UTC; `expected_delivery` is the shop's own estimate (a carrier
    tracking lookup may know better, see bot/shop/backend.py)."""

    carrier: str = ""
    tracking_number: str = ""
    shipped_at: datetime | None = None
    expected_delivery: datetime | None = None
    delivered_at: datetime | None = None
    last_event: str = ""  # the carrier's latest event, when a tracking service was asked


@dataclass(frozen=True)
class Invoice:
    number: str
    created_at: datetime | None = None
    document_id: str = ""  # the platform's document id (to send or link it)


@dataclass(frozen=True)
class ReturnCase:
    reference: str  # what the customer is told ("RT-123456", Shopware's return number, …)
    created_at: datetime | None = None
    mode: str = "refund"  # "refund" or "exchange"
    status: str = "open"  # "open" (announced), "received", "closed", "cancelled"
    label_reference: str = ""
    reason: str = (
        ""  # the customer's reason, where the shop keeps it (read back before a duplicate)
    )


@dataclass(frozen=True)
class Refund:
    amount_cents: int
    created_at: datetime | None = None
    status: str = "done"  # "pending" or "done"


@dataclass(frozen=True)
class Ticket:
    """A request for the team the bot left in the shop (ticket, order note); also requests on file."""

    reference: str
    kind: str  # "complaint", "invoice_change", "order_lookup", …
    created_at: datetime | None = None
    status: str = "open"  # "open", "closed"
    text: str = ""  # what the request says, where the shop keeps it


@dataclass(frozen=True)
class Order:
    """One order, as much as the flows need of it.

    `number` is the customer's order number in the shop's own format, normalised (bot/shop/numbers.py);
    `key` the platform's internal id (Shopware's hex id, Shopify's gid, …) that writes use.
    `email` is only compared (ShopBackend.verify) and used as the invoice's default recipient.
    """

    number: str
    key: str
    status: str
    email: str
    placed_at: datetime | None = None
    items: Tuple[Item, ...] = ()
    total_cents: int = 0
    currency: str = "EUR"
    payment_method: str = ""
    payment_status: str = "unknown"
    shipping_address: Address = field(default_factory=lambda: Address(""))
    shipments: Tuple[Shipment, ...] = ()
    invoices: Tuple[Invoice, ...] = ()
    returns: Tuple[ReturnCase, ...] = ()
    refunds: Tuple[Refund, ...] = ()
    tickets: Tuple[Ticket, ...] = ()  # requests on file for this order (TICKETS capability)
    promised_delivery: datetime | None = None  # the shop's delivery estimate before shipping

    def __repr__(self) -> str:  # never personal data in a traceback or log line
        return f"Order(number={self.number!r}, status={self.status!r})"

    @property
    def id(self) -> str:
        """The order number (what the flows and texts call the order's id)."""
        return self.number

    @property
    def shipment(self) -> Shipment | None:
        """The latest parcel, if any."""
        return self.shipments[-1] if self.shipments else None

    @property
    def carrier(self) -> str:
        return self.shipment.carrier if self.shipment else ""

    @property
    def tracking_number(self) -> str:
        return self.shipment.tracking_number if self.shipment else ""

    @property
    def shipped_at(self) -> datetime | None:
        return self.shipment.shipped_at if self.shipment else None

    @property
    def delivered_at(self) -> datetime | None:
        return self.shipment.delivered_at if self.shipment else None

    @property
    def expected_delivery(self) -> datetime | None:
        shipped = self.shipment.expected_delivery if self.shipment else None
        return shipped or self.promised_delivery

    @property
    def invoice_number(self) -> str:
        return self.invoices[-1].number if self.invoices else ""
