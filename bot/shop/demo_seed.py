"""Seed the demo shop with German customers and orders: `python -m bot.shop.demo_seed`.

Deterministic, so the conversation tests and README examples can rely on the
orders below (e.g. 100234 / anna.schmidt@web.de is shipped). Dates are relative to
the day of seeding, so the demo stays plausible whenever it is seeded: a shipped
order left yesterday and is expected tomorrow; 100242 is overdue (the delay path).
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.shop import demo_db as shop
from bot.shop import ledger
from bot.shop.model import CANCELLED, DELIVERED, PROCESSING, SHIPPED

CUSTOMERS = [
    ("Anna Schmidt", "anna.schmidt@web.de", "Lindenstraße 4, 10969 Berlin"),
    ("Jonas Becker", "jonas.becker@gmx.de", "Hauptstraße 17, 80331 München"),
    ("Leonie Wagner", "leonie.wagner@t-online.de", "Am Markt 2, 04109 Leipzig"),
    ("Mehmet Yılmaz", "m.yilmaz@posteo.de", "Rheinufer 33, 50668 Köln"),
    ("Sophie Müller", "sophie.mueller@gmail.com", "Bahnhofstraße 9, 70173 Stuttgart"),
    ("Lukas Hofer", "lukas.hofer@gmx.at", "Mariahilfer Straße 80, 1070 Wien"),
    ("Marie Keller", "marie.keller@bluewin.ch", "Langstrasse 21, 8004 Zürich"),
    ("Paul Schneider", "paul.schneider@web.de", "Domplatz 1, 20095 Hamburg"),
    ("Felix Braun", "felix.braun@posteo.de", "Königstraße 12, 90402 Nürnberg"),
    ("Clara Weber", "clara.weber@gmx.de", "Schillerplatz 3, 01067 Dresden"),
]
PRODUCTS = [
    ("Wanderschuhe Alpin Pro, Gr. 39", "149.90"),
    ("Daunenjacke Nordlicht, M", "229.00"),
    ("Zelt Trekker 2", "319.00"),
    ("Schlafsack Polar -10°", "189.00"),
    ("Trinkflasche 1 l", "19.90"),
    ("Rucksack Gipfelstürmer 35 l", "129.00"),
    ("Regenhose Sturm, L", "79.90"),
    ("Stirnlampe Lux 300", "39.90"),
    ("Merino-Socken 3er-Pack", "29.90"),
    ("Trekkingstöcke Carbon", "89.00"),
    ("Fleecepullover Moos, S", "69.90"),
    ("Softshelljacke Grat, L", "159.00"),
]
# order id, customer index, status, payment method, payment status, product indices
FIXED = [
    ("100234", 0, SHIPPED, "PayPal", "paid", [0, 8]),
    ("100235", 1, DELIVERED, "Kreditkarte", "paid", [1]),
    ("100236", 2, PROCESSING, "Klarna-Rechnung", "open", [2, 4]),
    ("100237", 3, PROCESSING, "SEPA-Lastschrift", "double_charged", [3]),
    ("100238", 4, DELIVERED, "PayPal", "paid", [5, 7]),
    ("100239", 5, CANCELLED, "Kreditkarte", "refunded", [6]),
    ("100240", 6, SHIPPED, "Vorkasse", "paid", [9, 10]),
    ("100241", 7, PROCESSING, "Vorkasse", "pending", [1, 8]),
    ("100242", 8, SHIPPED, "PayPal", "paid", [2]),  # overdue: expected three days ago
    (
        "100243",
        9,
        DELIVERED,
        "Kreditkarte",
        "refund_pending",
        [11],
    ),  # returned, refund under way
]
OVERDUE = {"100242"}
# order id -> (days since the return was registered, mode): returns that exist in the demo
RETURNS = {"100243": (6, "refund")}


def _order(
    order_id: str,
    customer: shop.Customer,
    status: str,
    method: str,
    pay: str,
    products: list,
    now: datetime,
    overdue: bool = False,
) -> shop.Order:
    """Dates relative to `now`: processing since yesterday; shipped yesterday, expected tomorrow;
    delivered three days ago; an overdue shipment left six days ago and was due three days ago."""
    today = now.replace(hour=10, minute=0, second=0)
    placed, expected = today - timedelta(days=1), today + timedelta(days=2)
    shipped = delivered = None
    if status == SHIPPED and overdue:
        placed, shipped, expected = (
            today - timedelta(days=7),
            today - timedelta(days=6),
            today - timedelta(days=3),
        )
    elif status == SHIPPED:
        placed, shipped, expected = (
            today - timedelta(days=2),
            today - timedelta(days=1),
            today + timedelta(days=1),
        )
    elif status in (DELIVERED, CANCELLED):
        placed, shipped = today - timedelta(days=6), today - timedelta(days=5)
        delivered = expected = today - timedelta(days=3)
    order = shop.Order(
        id=order_id,
        customer=customer,
        status=status,
        placed_at=placed,
        payment_method=method,
        payment_status=pay,
        shipping_address=customer.address,
        total_cents=0,
        invoice_number=f"RE-2026-{order_id}",
        expected_delivery=expected,
    )
    if status in (SHIPPED, DELIVERED):
        order.shipped_at = shipped
        order.carrier = "DHL"
        order.tracking_number = f"00340434{order_id}{len(products)}"
    if status == DELIVERED:
        order.delivered_at = delivered
    total = 0
    for idx in products:
        name, price = PRODUCTS[idx]
        cents = int(price.replace(".", ""))
        order.items.append(shop.Item(name=name, quantity=1, price_cents=cents))
        total += cents
    order.total_cents = total + (0 if total >= 5000 else 495)
    return order


def seed(url: str | None = None, extra: int = 40) -> int:
    """Replace all shop data with the demo set; returns the number of orders."""
    eng = ledger.engine(url)
    now = datetime.utcnow().replace(microsecond=0)
    rng = random.Random(7)
    with Session(eng, future=True) as db, db.begin():
        for table in (
            ledger.VerifyFailure,
            ledger.CreatedRecord,
            shop.Ticket,
            shop.Return,
            shop.Item,
            shop.Order,
            shop.Customer,
        ):
            db.execute(delete(table))
        customers = [shop.Customer(name=n, email=e, address=a) for n, e, a in CUSTOMERS]
        db.add_all(customers)
        orders = [
            _order(oid, customers[c], st, m, p, prods, now, overdue=oid in OVERDUE)
            for oid, c, st, m, p, prods in FIXED
        ]
        statuses = [PROCESSING, SHIPPED, DELIVERED, DELIVERED]
        for n in range(extra):
            prods = rng.sample(range(len(PRODUCTS)), rng.randint(1, 3))
            orders.append(
                _order(
                    str(100300 + n),
                    rng.choice(customers),
                    rng.choice(statuses),
                    rng.choice(["PayPal", "Kreditkarte", "Klarna-Rechnung"]),
                    "paid",
                    prods,
                    now,
                )
            )
        db.add_all(orders)
        db.add_all(
            [
                shop.Return(
                    reference=f"RT-{oid}",
                    order_id=oid,
                    reason="passt nicht",
                    mode=mode,
                    label_reference=f"DHL-LBL-{oid}",
                    created_at=now - timedelta(days=days),
                )
                for oid, (days, mode) in RETURNS.items()
            ]
        )
    return len(orders)


def is_empty(url: str | None = None) -> bool:
    from sqlalchemy import func, select

    with Session(ledger.engine(url), future=True) as db:
        return not db.scalar(select(func.count()).select_from(shop.Order))


if __name__ == "__main__":
    args = sys.argv[1:]
    only_if_empty = "--if-empty" in args
    args = [a for a in args if a != "--if-empty"]
    target = args[0] if args else None
    if not only_if_empty or is_empty(target):
        print(f"demo shop seeded with {seed(target)} orders")
