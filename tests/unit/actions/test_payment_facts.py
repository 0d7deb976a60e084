"""How an order was paid decides what the bot says (issue 22.10): an unpaid prepayment order waits for
the money (account, reference, deadline), and a refund goes back the way the customer paid."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.orders import ActionHandleVerified, payment_text, return_text, status_text
from actions.payment_facts import (
    METHOD_SWITCH,
    awaits_prepayment,
    cancel_payment_key,
    cancel_payment_text,
    kept_text,
    method_key,
    paid_claimed,
    refund_way,
    transfer_underway_text,
)
from bot.shared.language import detect_language
from bot.shop.model import Order, ReturnCase
from tests.trackers import make_tracker, user_event

PLACED = datetime(2026, 12, 1, 10, 0)


def order(method: str, payment: str, status: str = shop.PROCESSING) -> Order:
    return Order(
        number="100241",
        key="k",
        status=status,
        email="x@example.de",
        placed_at=PLACED,
        total_cents=25890,
        payment_method=method,
        payment_status=payment,
    )


@pytest.mark.parametrize(
    "method, key",
    [
        ("Klarna-Rechnung", "klarna"),
        ("PayPal", "paypal"),
        ("Kreditkarte", "card"),
        ("Visa", "card"),
        ("SEPA-Lastschrift", "debit"),
        ("Vorkasse", "prepayment"),
        ("Banküberweisung", "prepayment"),
        ("Gutschein", "other"),
    ],
)
def test_the_payment_method_is_read_by_its_words(method, key):
    assert method_key(method) == key


def test_an_unpaid_prepayment_order_waits_for_the_money_with_account_and_deadline():
    unpaid = order("Vorkasse", "pending")
    assert awaits_prepayment(unpaid)
    text = status_text(unpaid)
    assert "gepackt" not in text and "Geplante Zustellung" not in text
    assert "IBAN DE89 3704 0044 0532 0130 00" in text and "Verwendungszweck 100241" in text
    assert "258,90" in text and "bis zum 08.12.2026" in text and "storniert" in text
    assert payment_text(unpaid) == text  # the payment question gets the same facts


def test_paid_prepayment_and_other_unpaid_methods_are_packed_as_usual():
    assert not awaits_prepayment(order("Vorkasse", "paid"))
    assert not awaits_prepayment(order("Klarna-Rechnung", "open"))
    assert "gepackt" in status_text(order("Vorkasse", "paid"))


@pytest.mark.parametrize(
    "method, sie, du",
    [
        ("Klarna-Rechnung", "Klarna passt Ihre Rechnung an", "Klarna passt deine Rechnung an"),
        ("PayPal", "auf Ihr PayPal-Konto", "auf dein PayPal-Konto"),
        ("Kreditkarte", "auf Ihre Kreditkarte", "auf deine Kreditkarte"),
        ("Vorkasse", "von dem Sie bezahlt haben", "von dem du bezahlt hast"),
    ],
)
def test_a_refund_goes_back_the_way_the_customer_paid(method, sie, du):
    refunding = order(method, "refund_pending", shop.DELIVERED)
    assert sie in payment_text(refunding) and du in payment_text(refunding, "du")
    ret = ReturnCase(reference="RT-1", status="received")
    assert sie in return_text(refunding, ret)
    others = {"Klarna-Rechnung", "PayPal", "Kreditkarte", "Vorkasse"} - {method}
    assert not any(
        refund_way(order(o, "refunded"), "sie") in return_text(refunding, ret) for o in others
    )


async def test_when_is_the_money_back_asks_for_the_refund(shop_db, domain):
    """ "Wann ist das Geld wieder auf meinem Konto?" is about the return's refund (card: 100243)."""
    d = CollectingDispatcher()
    slots = {"order_id": "100243", "verified_order": "100243"}
    events = [user_event("wann ist das Geld wieder auf meinem Konto? 100243", "payment_issue")]
    await ActionHandleVerified().run(d, make_tracker(slots, events), domain)
    said = d.messages[-1]
    assert said["response"] == "utter_return_status"
    assert "auf Ihre Kreditkarte" in said["return_text"]


@pytest.mark.parametrize(
    "method, payment",
    [
        ("PayPal", "paid"),
        ("Klarna-Rechnung", "open"),
        ("Kreditkarte", "refund_pending"),
        ("PayPal", "double_charged"),
        ("Kreditkarte", "weird_code"),
        ("Vorkasse", "pending"),
    ],
)
def test_an_english_customer_gets_the_payment_state_in_english(method, payment):
    """company.yml payment_states: the same facts as the German text, in English (issue 22.12)."""
    text = payment_text(order(method, payment), "en")
    assert detect_language(text) == "en", text
    assert "weird_code" not in text  # never the raw code
    assert payment == "weird_code" or "258,90" in text


def test_the_german_payment_state_is_read_from_company_yml():
    assert payment_text(order("PayPal", "paid")) == (
        "Die Zahlung per PayPal über 258,90 € ist bei uns eingegangen – alles in Ordnung."
    )


@pytest.mark.parametrize(
    "method, payment, key",
    [
        ("Vorkasse", "pending", "nothing_received"),
        ("Klarna-Rechnung", "open", "invoice_void"),
        ("Kreditkarte", "authorized", "released"),
        ("PayPal", "paid", "refund"),
        ("SEPA-Lastschrift", "double_charged", "double_refund"),
        ("PayPal", "chargeback", "unknown"),
    ],
)
def test_what_a_cancellation_means_for_the_money_follows_the_payment_state(method, payment, key):
    assert cancel_payment_key(order(method, payment)) == key


def test_the_cancellation_money_line_never_says_if_you_have_paid_when_nothing_was():
    said = cancel_payment_text(order("Vorkasse", "pending"), "du")
    assert "musst nichts mehr bezahlen" in said and "Falls" not in said
    assert cancel_payment_text(order("PayPal", "paid"), "en").startswith(
        "The refund of 258,90 € goes back to your PayPal account"
    )


def test_a_cancelled_double_charge_names_both_debits_and_their_sum():
    """Held-out run 4, d05: "zweimal 189 Euro abgegangen" got "Die Erstattung über 189,00 €" - one
    debit. Cancelled, both come back: the sum is named (2 x 258,90 € = 517,80 €)."""
    said = cancel_payment_text(order("SEPA-Lastschrift", "double_charged"), "sie")
    assert "zweimal mit 258,90 €" in said and "zusammen 517,80 €" in said
    assert "Lastschrift" in said  # the way it goes back
    assert "517,80 € in total" in cancel_payment_text(order("PayPal", "double_charged"), "en")


@pytest.mark.parametrize(
    "text, claimed",
    [
        (
            "Ich habe am Freitag für meine Bestellung 100241 den Betrag per Überweisung beglichen.",
            True,
        ),
        ("hab das geld schon überwiesen", True),
        ("für die Bestellung habe ich das Geld gestern schon überwiesen", True),
        ("Die Überweisung ist raus, seit Montag.", True),
        ("I have already paid by bank transfer", True),
        ("Ich habe noch nicht überwiesen", False),
        ("I haven't paid yet anyway", False),
        ("Und i hab no ned überwiesen, geht des vom Konto in Wien?", False),
        ("I hob NED überwiesen!", False),
        ("hab nit zahlt bis jetzt", False),
        ("Ist meine Zahlung angekommen?", False),
        ("Habe ich die Bestellung 100241 schon bezahlt?", False),
    ],
)
def test_a_customer_who_says_he_has_paid_is_heard(text, claimed):
    assert paid_claimed(text) is claimed


@pytest.mark.parametrize(
    "text, switch",
    [
        ("Kann ich statt Klarna auch mit PayPal zahlen?", True),
        ("geht es, von Klarna auf PayPal zu wechseln?", True),
        ("kann ich von Klarna auf PayPal wechseln?", True),
        ("Zahlungsart ändern, geht das?", True),
        ("Kann ich stattdessen nicht einfach per PayPal bezahlen?", True),
        ("can I pay with PayPal instead?", True),
        ("Welche Zahlungsarten gibt es?", False),
        ("Kann ich mit PayPal zahlen?", False),
    ],
)
def test_switching_the_payment_method_is_recognised(text, switch):
    assert bool(METHOD_SWITCH.search(text)) is switch


def test_an_unpaid_transfer_under_way_gets_the_booking_time_not_the_account():
    text = transfer_underway_text(order("Vorkasse", "pending"), "sie")
    assert text and "1–2 Werktage" in text and "08.12.2026" in text and "nicht storniert" in text
    assert "IBAN" not in text and "Zum Kundenservice" in text
    assert transfer_underway_text(order("Vorkasse", "paid"), "sie") is None
    assert transfer_underway_text(order("PayPal", "pending"), "sie") is None


def test_a_kept_unpaid_prepayment_order_waits_for_the_money():
    text = kept_text(order("Vorkasse", "pending"), "en")
    assert text and "bank transfer" in text and "as planned" not in text
    assert kept_text(order("Klarna-Rechnung", "open"), "sie") is None
    assert kept_text(None, "sie") is None


async def test_a_transfer_said_to_be_made_gets_the_booking_time_not_the_account(shop_db, domain):
    """Held-out persona run 3, d01: the customer says he transferred on Friday (100241, unpaid)."""
    d = CollectingDispatcher()
    slots = {"order_id": "100241", "verified_order": "100241"}
    text = "Ich habe am Freitag überwiesen. Muss ich fürchten, dass die Bestellung storniert wird?"
    await ActionHandleVerified().run(
        d, make_tracker(slots, [user_event(text, "payment_issue")]), domain
    )
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "1–2 Werktage" in said and "nicht storniert" in said and "IBAN" not in said
    assert d.messages[-1]["buttons"][0]["payload"] == "/request_human"


async def test_a_payment_method_switch_read_as_a_payment_question_gets_the_honest_answer(
    shop_db, domain
):
    """Run 3, d22: "lieber mit PayPal statt Vorkasse" about 100241 - not the bank block."""
    d = CollectingDispatcher()
    slots = {"order_id": "100241", "verified_order": "100241"}
    text = "Kann ich statt Vorkasse nicht einfach mit PayPal zahlen?"
    await ActionHandleVerified().run(
        d, make_tracker(slots, [user_event(text, "payment_issue")]), domain
    )
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "Zahlungsart einer schon aufgegebenen Bestellung" in said and "IBAN" not in said
