"""Cases: the returns, complaints and other requests on file for one order, as one concept.

A customer does not distinguish the shop's records: "meine Reklamation", "mein Ticket", "die
Rücksendung" are all "my case". Every backend reads returns (`Order.returns`) and requests on file
(`Order.tickets`) into the model's records; this module turns both into `Case`s, so the dialogue
can look them up, report their state and find an open one before creating a second (issue 22.4,
22.8). Handoff requests live in the hub; the dialogue adds them from the conversation
(actions/cases.py). Pure functions on the frozen model: no I/O, no shop calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List

from bot.shop.model import Item, Order

RETURN = "return"
COMPLAINT = "complaint"
REQUEST = "request"  # any other request on file for the team (invoice change, callback note, …)
OPEN_STATES = ("open", "received")  # still being handled: a second one would be a duplicate
HIDDEN_KINDS = ("order_lookup",)  # the order-number mail is nobody's case in the chat

# What a case is called in the bot's German texts.
LABELS = {RETURN: "Rücksendung", COMPLAINT: "Reklamation", REQUEST: "Anfrage"}


@dataclass(frozen=True)
class Case:
    kind: str  # RETURN, COMPLAINT or REQUEST
    reference: str  # what the customer is told
    order_id: str
    status: str = "open"
    created_at: datetime | None = None
    detail: str = ""  # the reason or description as the shop keeps it ("" when it keeps none)
    mode: str = ""  # returns: "refund" or "exchange"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def cases_of(order: Order) -> List[Case]:
    """The order's returns and requests as cases, oldest first (undated ones first)."""
    found = [
        Case(
            RETURN,
            r.reference,
            order.id,
            return_state(order, r.status),
            r.created_at,
            r.reason,
            r.mode,
        )
        for r in order.returns
    ] + [
        Case(
            COMPLAINT if t.kind == COMPLAINT else REQUEST,
            t.reference,
            order.id,
            t.status,
            t.created_at,
            t.text,
        )
        for t in order.tickets
        if t.kind not in HIDDEN_KINDS
    ]
    return sorted(found, key=lambda c: c.created_at or datetime.min)


def return_state(order: Order, status: str) -> str:
    """A return as far as it has come: the order's refund shows it arrived even when the shop never
    marked the return itself ("refund_pending": received and being refunded; "refunded": done)."""
    if status == "open" and order.payment_status == "refund_pending":
        return "received"
    if status in OPEN_STATES and order.payment_status == "refunded":
        return "closed"
    return status


def open_case(order: Order, kind: str) -> Case | None:
    """The newest open case of this kind on the order: what a new one would duplicate."""
    same = [c for c in cases_of(order) if c.kind == kind and c.is_open]
    return same[-1] if same else None


def case_items(order: Order, case: Case) -> List[Item]:
    """The order's items a case covers: those whose names lead its detail ("Rucksack Gipfelstürmer
    35 l: zu schwer", the way a case of some items is stored, bot/shop/demo.py), else all of them.
    "Muss ich die Stirnlampe auch zurückschicken?" is answered from this (held-out run 4, d13)."""
    head, sep, _ = case.detail.partition(":")
    names = {name.strip() for name in head.split(";")} if sep else set()
    covered = [item for item in order.items if item.name in names]
    return covered or list(order.items)


def find_case(order: Order, reference: str) -> Case | None:
    """The order's case with this reference (case-insensitive), if any."""
    wanted = reference.strip().upper()
    return next((c for c in cases_of(order) if c.reference.upper() == wanted), None)
