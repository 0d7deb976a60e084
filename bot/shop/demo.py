"""The demo shop as a backend: the default for `make run`, seeded by bot/shop/demo_seed.py.

It can do everything the interface offers, so every flow can be tried without a real shop.
Its database is local SQLite, so its calls run directly on the event loop (milliseconds).
"""

from __future__ import annotations

from typing import ClassVar, FrozenSet, List, Sequence

from bot.shop import demo_db as db
from bot.shop import ledger
from bot.shop.backend import NotAllowed, NotFound, ShopBackend
from bot.shop.model import (
    PROCESSING,
    Address,
    Capability,
    Invoice,
    Item,
    Order,
    Refund,
    ReturnCase,
    Shipment,
    Ticket,
)
from bot.shop.registry import ShopConfig


def _order(row: db.Order) -> Order:
    """The interface's view of a demo order row (only the fields the flows use)."""
    shipped = row.shipped_at is not None or row.carrier
    shipments = (
        (
            Shipment(
                carrier=row.carrier or "",
                tracking_number=row.tracking_number or "",
                shipped_at=row.shipped_at,
                expected_delivery=row.expected_delivery,
                delivered_at=row.delivered_at,
            ),
        )
        if shipped
        else ()
    )
    refunds = (
        (
            Refund(
                row.total_cents,
                None,
                "pending" if row.payment_status == "refund_pending" else "done",
            ),
        )
        if row.payment_status in ("refund_pending", "refunded")
        else ()
    )
    return Order(
        number=row.id,
        key=row.id,
        status=row.status,
        email=row.customer.email,
        placed_at=row.placed_at,
        items=tuple(Item(i.name, i.quantity, i.price_cents, line_id=str(i.id)) for i in row.items),
        total_cents=row.total_cents,
        payment_method=row.payment_method,
        payment_status=row.payment_status,
        shipping_address=Address.parse(row.shipping_address),
        shipments=shipments,
        invoices=(Invoice(row.invoice_number),) if row.invoice_number else (),
        returns=tuple(
            ReturnCase(r.reference, r.created_at, r.mode, "open", r.label_reference, r.reason)
            for r in db.returns_for(row.id)
        ),
        refunds=refunds,
        tickets=tuple(
            Ticket(t.reference, t.kind, t.created_at, "open", t.description)
            for t in db.tickets_for(row.id)
        ),
        promised_delivery=None if shipped else row.expected_delivery,
    )


class DemoShop(ShopBackend):
    name = "demo"
    capabilities: ClassVar[FrozenSet[Capability]] = frozenset(Capability)

    @classmethod
    def from_config(cls, config: ShopConfig) -> DemoShop:
        db.Base.metadata.create_all(ledger.engine())  # the demo tables, if the ledger came first
        return cls()

    async def find_order(self, number: str) -> Order | None:
        row = db.find_order(number)
        return None if row is None else _order(row)

    async def orders_by_email(self, email: str) -> List[str]:
        return db.customer_orders(email)[1]

    async def cancel(self, order: Order, idempotency_key: str) -> Order:
        try:
            db.cancel_order(order.key)
        except ValueError:
            raise NotAllowed("the order has shipped") from None
        return await self._reread(order)

    async def change_address(self, order: Order, address: Address) -> Order:
        try:
            db.change_address(order.key, address.text)
        except ValueError:
            raise NotAllowed("the order has shipped") from None
        return await self._reread(order)

    async def create_return(
        self, order: Order, items: Sequence[Item], reason: str, mode: str
    ) -> ReturnCase:
        if order.status == PROCESSING:
            raise NotAllowed("nothing has shipped yet")
        if 0 < len(items) < len(order.items):  # no return lines here: the items lead the reason
            reason = f"{'; '.join(i.name for i in items)}: {reason}"
        ret = db.create_return(order.key, reason, mode)
        return ReturnCase(
            ret.reference, ret.created_at, ret.mode, "open", ret.label_reference, ret.reason
        )

    async def create_ticket(self, order: Order | None, kind: str, text: str) -> Ticket:
        ticket = db.create_ticket(order.key if order else None, kind, text)
        return Ticket(ticket.reference, ticket.kind, ticket.created_at, "open", ticket.description)

    async def withdraw(self, order: Order, reference: str) -> None:
        if not db.withdraw(order.key, reference):
            raise NotFound("no open record with this reference")

    async def send_order_numbers(self, email: str) -> bool:
        """Queues the order-number mail as a ticket naming the customer record, not the typed
        address, so the chat leaves no new personal data in the shop."""
        customer_id, numbers = db.customer_orders(email)
        if customer_id is not None and numbers:
            db.create_ticket(
                None,
                "order_lookup",
                f"Bestellnummern an Kunde #{customer_id} (E-Mail laut Kundenkonto): "
                f"{', '.join(numbers)}",
            )
        return bool(numbers)

    async def check(self) -> Order | None:
        with ledger.session() as session:
            row = session.query(db.Order).order_by(db.Order.placed_at.desc()).first()
            number = row.id if row is not None else None
        return None if number is None else await self.find_order(number)

    async def _reread(self, order: Order) -> Order:
        fresh = await self.find_order(order.key)
        if fresh is None:
            raise NotAllowed("the order is gone")
        return fresh
