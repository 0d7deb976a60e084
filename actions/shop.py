"""The demo shop backend: SQLAlchemy models and the only queries actions use."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, List, Tuple

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, relationship

from actions import settings

Base: Any = declarative_base()  # Any: SQLAlchemy 1.4 has no typed declarative base

PROCESSING = "processing"
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"
ORDER_ID = re.compile(r"(?i)(?:KD-?)?\s*(1\d{5})\b")
Subject = Tuple[
    str, str
]  # what a failed verification counts against: (scope, key), e.g. ("order", "100234")


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


class CreatedRecord(Base):
    """A return or ticket the bot created in a conversation, written in the record's own transaction.

    Data protection (bot/hub/privacy/shop.py) finds a conversation's shop records only here, never
    in texts: a customer can type anyone's reference, and the bot echoes what customers write.
    """

    __tablename__ = "shop_conversation_records"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)  # Rasa's sender id
    kind = Column(String(10), nullable=False)  # "return" (shop_returns) or "ticket" (shop_tickets)
    reference = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class VerifyFailure(Base):
    """One failed order verification (order number + e-mail), once per subject it counts against.

    scope is "order" (key: the normalised order number, whether or not it exists), "sender" or
    "client" (key: a hash of the conversation's sender id / the hub's client id). Rows older than
    the lockout horizon are pruned whenever a failure is recorded.
    """

    __tablename__ = "shop_verify_failures"
    __table_args__ = (Index("ix_shop_verify_failures_subject", "scope", "key", "at"),)
    id = Column(Integer, primary_key=True)
    scope = Column(String(10), nullable=False)
    key = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False, index=True)


@lru_cache(maxsize=4)
def engine(url: str | None = None) -> Engine:
    eng = create_engine(url or settings.SHOP_DATABASE_URL, future=True)
    Base.metadata.create_all(eng)
    return eng


def session() -> Session:
    return Session(engine(), future=True, expire_on_commit=False)


def normalize_order_id(value: str | None) -> str | None:
    """'KD-100234', 'kd100234' or '100234' -> '100234'; None if no order number."""
    match = ORDER_ID.search(str(value or ""))
    return match.group(1) if match else None


def find_order(order_id: str) -> Order | None:
    with session() as db:
        order = db.get(Order, order_id)
        if order is not None:
            _ = order.customer, list(order.items)  # load while the session is open
        return order


def email_matches(order: Order, email: str) -> bool:
    return order.customer.email.strip().lower() == email.strip().lower()


def item_names(order: Order) -> str:
    """ "A; B und C": item names contain commas ("Wanderschuhe Alpin Pro, Gr. 39"), so no comma list."""
    names = [f"{i.quantity}× {i.name}" if i.quantity > 1 else i.name for i in order.items]
    return " und ".join(filter(None, ["; ".join(names[:-1]), names[-1]])) if names else ""


def _reference(prefix: str) -> str:
    return f"{prefix}-{secrets.randbelow(900000) + 100000}"


def cancel_order(order_id: str) -> Order:
    with session() as db, db.begin():
        order = db.get(Order, order_id)
        if order is None or order.status != PROCESSING:
            raise ValueError("only orders in processing can be cancelled")
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


def create_return(order_id: str, reason: str, mode: str, *, conversation: str) -> Return:
    """A return, recorded as created in `conversation` (the tracker's sender id)."""
    with session() as db, db.begin():
        ret = Return(
            reference=_reference("RT"),
            order_id=order_id,
            reason=reason.strip(),
            mode=mode,
            label_reference=_reference("DHL-LBL"),
        )
        db.add(ret)
        db.add(CreatedRecord(conversation_id=conversation, kind="return", reference=ret.reference))
    return ret


def create_ticket(
    order_id: str | None, kind: str, description: str, *, conversation: str | None
) -> Ticket:
    """A ticket, recorded as created in `conversation`; None for a ticket that is not the
    conversation's customer's (the order-number mail to an address's owner)."""
    with session() as db, db.begin():
        ticket = Ticket(
            reference=_reference("TK"),
            order_id=order_id,
            kind=kind,
            description=description.strip(),
        )
        db.add(ticket)
        if conversation is not None:
            db.add(
                CreatedRecord(
                    conversation_id=conversation, kind="ticket", reference=ticket.reference
                )
            )
    return ticket


def returns_for(order_id: str) -> List[Return]:
    with session() as db:
        return list(db.scalars(select(Return).where(Return.order_id == order_id)))


def tickets_for(order_id: str) -> List[Ticket]:
    with session() as db:
        return list(db.scalars(select(Ticket).where(Ticket.order_id == order_id)))


def _customer_orders(email: str) -> Tuple[int | None, List[str]]:
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


def send_order_numbers(email: str) -> bool:
    """Queue the order-number mail to a customer's own address (a ticket the mailer sends).

    The ticket names the customer record, not the typed address, so the chat leaves no new personal
    data in the shop. Returns whether there was anything to send; the chat must not tell the
    customer, so that nobody learns through the bot whether an address has orders.
    """
    customer_id, ids = _customer_orders(email)
    if customer_id is not None and ids:
        create_ticket(
            None,
            "order_lookup",
            f"Bestellnummern an Kunde #{customer_id} (E-Mail laut Kundenkonto): {', '.join(ids)}",
            conversation=None,  # the address's owner's, not the chat's: no export or erasure via the chat
        )
    return bool(ids)


def record_verify_failure(
    subjects: Iterable[Subject], at: datetime, prune_before: datetime
) -> None:
    """Count one failed verification against each subject; forget failures older than `prune_before`."""
    with session() as db, db.begin():
        db.execute(delete(VerifyFailure).where(VerifyFailure.at < prune_before))
        db.add_all([VerifyFailure(scope=scope, key=key, at=at) for scope, key in subjects])


def verify_failure_times(subject: Subject, since: datetime) -> List[datetime]:
    """When verifications of this subject failed since `since`, oldest first."""
    scope, key = subject
    with session() as db:
        return list(
            db.scalars(
                select(VerifyFailure.at)
                .where(
                    VerifyFailure.scope == scope,
                    VerifyFailure.key == key,
                    VerifyFailure.at >= since,
                )
                .order_by(VerifyFailure.at)
            )
        )


def clear_verify_failures(subject: Subject | None = None) -> None:
    """Forget the failures of one subject (all of them without one)."""
    query = delete(VerifyFailure)
    if subject is not None:
        query = query.where(VerifyFailure.scope == subject[0], VerifyFailure.key == subject[1])
    with session() as db, db.begin():
        db.execute(query)


def euro(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"
