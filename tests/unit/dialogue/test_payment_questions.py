"""Changing the payment method of an order is read from the words (bot/dialogue/payment_questions.py,
held-out persona runs 3 and 4)."""

import pytest

from bot.dialogue.payment_questions import METHOD_SWITCH, changes_method, read_method_change


@pytest.mark.parametrize(
    "text, change, switch",
    [
        ("Kann ich die Zahlungsart noch ändern?", True, True),
        ("kann i des no auf PayPal umstelln?", True, True),
        ("Lässt sich das noch auf Kreditkarte umstellen?", True, True),
        ("von Klarna auf PayPal wechseln, geht das?", True, True),
        ("Can I switch the payment to PayPal?", True, True),
        ("Kann ich statt Klarna mit PayPal zahlen?", False, True),
        ("can I pay with PayPal instead?", False, True),
        ("Kann ich mit PayPal zahlen?", False, False),
        ("Ich habe auf Rechnung bestellt, wann ist sie fällig?", False, False),
        ("Ich möchte meine Lieferadresse ändern", False, False),
    ],
)
def test_a_change_of_payment_method_is_recognised(text, change, switch):
    assert changes_method(text) is change
    assert bool(METHOD_SWITCH.search(text)) is switch


def parse(text: str, intent: str) -> dict:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.8},
        "intent_ranking": [{"name": intent, "confidence": 0.8}],
    }


def test_a_method_change_read_as_an_invoice_request_is_the_payment_question():
    """ "… Rechnung über Klarna … auf Kreditkarte umstellen?" was an invoice request: the verification
    form, then the order's status, never the answer."""
    text = "Bei 100236 habe ich Rechnung über Klarna gewählt. Lässt sich das auf Kreditkarte umstellen?"
    read = read_method_change(parse(text, "invoice_request"))
    assert read["intent"]["full_retrieval_intent_name"] == "faq/payment_methods"
    assert (
        read["context"]["method_change"] is True and read["context"]["read_as"] == "invoice_request"
    )


def test_other_requests_and_plain_payment_questions_stay():
    cancel = parse("Stornieren und auf PayPal umstellen", "cancel_order")
    assert read_method_change(cancel) is cancel
    plain = parse("Kann ich mit PayPal zahlen?", "faq")
    assert read_method_change(plain) is plain
