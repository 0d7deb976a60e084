"""What follows from how an order was paid (issue 22.10): an unpaid prepayment order waits for the
money, not in the warehouse, and a refund goes back the way the customer paid.

The bot used to say "wird gerade gepackt" of a prepayment order nobody had paid, never gave the
account to pay to, and told every refund as "auf dem Konto" (a Klarna invoice is adjusted, not
refunded to a card). The account, the deadline and the refund ways are company facts (company.yml
`prepayment`, `refunds`); the payment method is the shop's free text ("Klarna-Rechnung", "PayPal",
"Credit card"), so it is read by keywords.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from actions import shop
from actions.common import day, facts

_METHODS = (
    ("klarna", re.compile(r"(?i)klarna")),
    ("paypal", re.compile(r"(?i)pay\s?pal")),
    ("card", re.compile(r"(?i)kredit|credit|card|karte|visa|master|amex|american express")),
    ("debit", re.compile(r"(?i)lastschrift|sepa|debit")),
    (
        "prepayment",
        re.compile(r"(?i)vorkasse|vorauskasse|(?:ü|ue)berweisung|prepay|bank\s?transfer"),
    ),
)
# "Ist meine Zahlung angekommen?": a question about the payment state (German and English).
PAYMENT_ASKED = re.compile(
    r"(?i)\b(?:zahlung|bezahlung|(?:ü|ue)berweisung|lastschrift|vorkasse|geld|betrag)\w*\b"
    r".{0,40}\b(?:angekommen|eingegangen|erhalten|bekommen|gutgeschrieben|gebucht|da)\b|"
    # English: "Did you receive my payment?", "has the money arrived?"
    r"\b(?:receiv\w*|got|get)\s+(?:my|the|our)\s+(?:payment|money|transfer)\b|"
    r"\b(?:payment|money|transfer)\b.{0,40}\b(?:arrived|received|through|booked)\b"
)
UNPAID = ("pending", "open")  # "open": a Klarna invoice is due later, but prepayment is due first


def method_key(method: str) -> str:
    """The refund/payment way of a shop's payment method name: klarna, paypal, card, debit,
    prepayment, or other."""
    for key, pattern in _METHODS:
        if pattern.search(method or ""):
            return key
    return "other"


def awaits_prepayment(order: shop.Order) -> bool:
    """A prepayment order the money has not arrived for: it is not packed before it is paid."""
    return (
        order.status == shop.PROCESSING
        and order.payment_status in UNPAID
        and method_key(order.payment_method) == "prepayment"
    )


def payment_deadline(order: shop.Order) -> datetime | None:
    """The day an unpaid prepayment order is held until (company.yml prepayment.days after ordering)."""
    days = facts().lookup("prepayment.days")
    if order.placed_at is None or days is None:
        return None
    return order.placed_at + timedelta(days=int(days))


def _account() -> str:
    holder = facts().lookup("prepayment.holder") or facts().name
    iban = facts().lookup("prepayment.iban") or ""
    bic = facts().lookup("prepayment.bic")
    return f"{holder}, IBAN {iban}" + (f", BIC {bic}" if bic else "")


def prepayment_text(order: shop.Order, gentle: bool = False) -> str:
    """Register-neutral: the order waits for the transfer - amount, account, reference, deadline.
    `gentle` (a customer in grief, persona run 2 d05): no bank data and no "wird die Bestellung
    storniert" as a threat - the order is held, and cancelling is offered so nothing is owed."""
    deadline = payment_deadline(order)
    until = f" bis zum {day(deadline)}" if deadline else ""
    if gentle:
        return (
            f"Die Zahlung per Vorkasse über {shop.euro(order.total_cents)} ist noch nicht eingegangen; "
            f"die Bestellung bleibt{until or ' vorerst'} reserviert. Wird sie nicht mehr gebraucht, "
            f"storniere ich sie gern – dann ist nichts zu zahlen."
        )
    return (
        f"Die Zahlung per Vorkasse über {shop.euro(order.total_cents)} ist noch nicht eingegangen – "
        f"wir warten auf die Überweisung{until} an {_account()}, Verwendungszweck {order.id}. "
        f"Erst wenn das Geld da ist (meist 1–2 Werktage nach der Überweisung), geht das Paket in den Versand"
        + ("; kommt bis dahin keine Zahlung, wird die Bestellung storniert." if deadline else ".")
    )


def prepayment_text_en(order: shop.Order) -> str:
    deadline = payment_deadline(order)
    until = f" by {day(deadline)}" if deadline else ""
    return (
        f"The order is not paid yet: we are waiting for your bank transfer (prepayment) of "
        f"{shop.euro(order.total_cents)}{until} to {_account()}, reference {order.id}. "
        f"We pack the parcel once the money has arrived (usually 1–2 working days after the transfer)."
    )


def refund_way(order: shop.Order, register: str) -> str:
    """ "geht zurück auf Ihr PayPal-Konto; …": how the refund of this order reaches the customer."""
    return refund_way_of(method_key(order.payment_method), register)


def refund_way_of(key: str, register: str) -> str:
    """The refund way of one payment way (`method_key`), "other" when company.yml has none for it;
    in the customer's register ("sie", "du" or "en")."""
    return str(
        facts().text("refunds", key, register) or facts().text("refunds", "other", register) or ""
    ).strip()


# What a cancellation means for the money, by the payment state the order had (held-out persona
# run 2): "Falls Sie schon bezahlt haben, erstatten wir …" was said for an unpaid prepayment and an
# open Klarna invoice alike. Keys of company.yml `cancel_payment`.
NOTHING_PAID = {"pending": "nothing_received", "authorized": "released"}
PAID = ("paid", "double_charged", "refund_pending")


def cancel_payment_key(order: shop.Order) -> str:
    """The company.yml `cancel_payment` key for this order's payment state: nothing received (an
    unpaid prepayment or debit), an open invoice that falls away, an authorisation released, a
    payment refunded, or `unknown` (the old conditional sentence)."""
    status = order.payment_status or ""
    if status == "open" and method_key(order.payment_method) == "klarna":
        return "invoice_void"
    if status == "open":
        return "nothing_received"
    if status in NOTHING_PAID:
        return NOTHING_PAID[status]
    if status in PAID:
        return "refund"
    return "unknown"


def cancel_payment_text(order: shop.Order, register: str) -> str:
    """What the customer pays or gets back after cancelling `order` (its state before or after the
    cancellation: the shop turns "paid" into "refund_pending")."""
    values = {"amount": shop.euro(order.total_cents), "refund_way": refund_way(order, register)}
    key = cancel_payment_key(order)
    return str(
        facts().text("cancel_payment", key, register, **values)
        or facts().text("cancel_payment", "unknown", register, **values)
        or ""
    )
