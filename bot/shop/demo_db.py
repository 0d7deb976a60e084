"""The demo shop's database: SQLAlchemy tables in KD_SHOP_DATABASE_URL, next to the ledger.

Only bot/shop/demo.py (the backend) and bot/shop/demo_seed.py use these; the actions see the
demo shop through the ShopBackend interface like any other shop. bot/hub/privacy/shop.py reads
`shop_returns` and `shop_tickets` (the records the bot created) with its own table definitions.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import List, Tuple

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import relationship

from bot.shop.ledger import Base, session
from bot.shop.model import CANCELLED, DELIVERED, PROCESSING, SHIPPED

__all__ = ["Base", "session", "CANCELLED", "DELIVERED", "PROCESSING", "SHIPPED"]


class Customer(Base):
    __tablename__ = "shop_customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    email = Column(String(200), nullable=False, unique=True)
    address = Column(String(300), nullable=False)
    orders = relationship("Order", back_populates="customer")


class Order(Base):
    __tablename__ = "shop_orders"
    id = Column(String(12), primary_key=True)
    customer_id = Column(ForeignKey("shop_customers.id"), nullable=False)
    status = Column(String(20), nullable=False, default=PROCESSING)
    placed_at = Column(DateTime, nullable=False)
    shipped_at = Column(DateTime)
    delivered_at = Column(DateTime)
    expected_delivery = Column(DateTime)
    carrier = Column(String(40))
    tracking_number = Column(String(40))
    shipping_address = Column(String(300), nullable=False)
    total_cents = Column(Integer, nullable=False)
    payment_method = Column(String(40), nullable=False)
    payment_status = Column(String(30), nullable=False, default="paid")
    invoice_number = Column(String(30))
    customer = relationship("Customer", back_populates="orders")
    items = relationship("Item", back_populates="order", order_by="Item.id")


class Item(Base):
    __tablename__ = "shop_items"
    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("shop_orders.id"), nullable=False)
    name = Column(String(200), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)
    price_cents = Column(Integer, nullable=False)
    order = relationship("Order", back_populates="items")


class Return(Base):
    __tablename__ = "shop_returns"
    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False, unique=True)
    order_id = Column(ForeignKey("shop_orders.id"), nullable=False)
    reason = Column(Text, nullable=False)
    mode = Column(String(20), nullable=False)
    label_reference = Column(String(30), nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class Ticket(Base):
    __tablename__ = "shop_tickets"
    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False, unique=True)
    order_id = Column(ForeignKey("shop_orders.id"))
    kind = Column(String(30), nullable=False)
    description = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


def reference(prefix: str) -> str:
    return f"{prefix}-{secrets.randbelow(900000) + 100000}"


def find_order(order_id: str) -> Order | None:
    with session() as db:
        order = db.get(Order, order_id)
        if order is not None:
            _ = order.customer, list(order.items)  # load while the session is open
        return order


def cancel_order(order_id: str) -> Order:
    with session() as db, db.begin():
        order = db.get(Order, order_id)
        if order is None or order.status not in (PROCESSING, CANCELLED):
            raise ValueError("only orders in processing can be cancelled")
        if order.status == PROCESSING:  # a repeated cancel changes nothing
            order.status = CANCELLED
            if order.payment_status == "paid":
                order.payment_status = "refund_pending"
    return order


def change_address(order_id: str, address: str) -> Order:
    with session() as db, db.begin():
        order = db.get(Order, order_id)
        if order is None or order.status != PROCESSING:
            raise ValueError("address can only change before shipping")
        order.shipping_address = address.strip()
    return order


def create_return(order_id: str, reason: str, mode: str) -> Return:
    with session() as db, db.begin():
        ret = Return(
            reference=reference("RT"),
            order_id=order_id,
            reason=reason.strip(),
            mode=mode,
            label_reference=reference("DHL-LBL"),
        )
        db.add(ret)
    return ret


def create_ticket(order_id: str | None, kind: str, description: str) -> Ticket:
    with session() as db, db.begin():
        ticket = Ticket(
            reference=reference("TK"), order_id=order_id, kind=kind, description=description.strip()
        )
        db.add(ticket)
    return ticket


def withdraw(order_id: str, reference: str) -> bool:
    """Delete the order's return or ticket with this reference; False when there is none."""
    with session() as db, db.begin():
        for table in (Return, Ticket):
            row = db.scalar(
                select(table).where(table.order_id == order_id, table.reference == reference)
            )
            if row is not None:
                db.delete(row)
                return True
    return False


def returns_for(order_id: str) -> List[Return]:
    with session() as db:
        return list(db.scalars(select(Return).where(Return.order_id == order_id)))


def tickets_for(order_id: str) -> List[Ticket]:
    with session() as db:
        return list(db.scalars(select(Ticket).where(Ticket.order_id == order_id)))


def customer_orders(email: str) -> Tuple[int | None, List[str]]:
    """The customer with this e-mail and their order numbers, newest first."""
    with session() as db:
        customer = db.scalar(select(Customer).where(Customer.email == email.strip().lower()))
        if customer is None:
            return None, []
        return customer.id, list(
            db.scalars(
                select(Order.id)
                .where(Order.customer_id == customer.id)
                .order_by(Order.placed_at.desc())
            )
        )
