"""Payment questions are read from the words (bot/dialogue/payment_questions.py): changing the method
(held-out persona runs 3 and 4), when a Klarna invoice is paid, paying later, how prepayment works
(held-out run 7, d09/d20/d23)."""

import pytest

from bot.dialogue.payment_questions import (
    METHOD_SWITCH,
    asks_about_prepayment,
    asks_to_pay_later,
    asks_when_to_pay,
    changes_method,
    read_method_change,
    read_pay_later,
    read_payment_timing,
    read_prepayment,
)
from tests.unit.dialogue.parses import parse


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


@pytest.mark.parametrize(
    "text, earlier, asks",
    [
        ("zahl ich bei klarna vorher oder erst wenn das paket da ist?", [], True),
        ("Bis wann ist eine Klarna-Rechnung fällig?", [], True),
        ("What is the due date of a Klarna invoice, how many days after delivery?", [], True),
        ("When do I have to pay?", ["I bought a jacket on Klarna invoice."], True),
        ("Can I pay the invoice in instalments?", [], True),
        ("When do I have to pay?", ["I paid by card."], False),  # no invoice named
        ("Muss ich die Klarna-Rechnung trotzdem zahlen, wenn ich was zurückschicke?", [], False),
        ("Wann wurde die Rechnung abgebucht?", [], False),
        ("Kann ich mit Klarna zahlen?", [], False),
    ],
)
def test_a_question_when_a_klarna_invoice_is_paid_is_recognised(text, earlier, asks):
    assert asks_when_to_pay(text, earlier) is asks


def test_a_payment_timing_question_is_the_invoice_due_answer_whatever_the_faq_key():
    """Held-out persona run 4 (d14/d26): read as the checkout failure, the methods list or the
    delivery times before."""
    faq = parse("When is the Klarna payment due, how many days after delivery?", "faq")
    read = read_payment_timing(faq, [])
    assert read["intent"]["full_retrieval_intent_name"] == "faq/invoice_due"
    cancel = parse("Klarna: wann muss ich zahlen, wenn ich storniere?", "cancel_order")
    assert read_payment_timing(cancel, []) is cancel
    change = read_method_change(parse("Zahlungsart ändern, wann ist das dann fällig?", "faq"))
    assert read_payment_timing(change, ["Klarna"]) is change  # the method change stays


def test_a_short_time_follow_up_to_the_payment_timing_keeps_it():
    earlier = ["I'd pay by Klarna invoice. When is that due?"]
    read = read_payment_timing(
        parse("And how many days do I get after it arrives?", "faq"), earlier
    )
    assert read["intent"]["full_retrieval_intent_name"] == "faq/invoice_due"
    other = parse("And how many days does delivery take?", "faq")
    assert read_payment_timing(other, ["Do you ship to Austria?"]) is other


def test_paying_before_delivery_is_a_timing_question():
    assert asks_when_to_pay("Zahle ich bei Klarna eigentlich schon vor der Lieferung?")
    assert asks_when_to_pay("Bezahlt man die Klarna-Rechnung nach Erhalt der Ware?")


@pytest.mark.parametrize(
    "text, later",
    [
        ("gibt es bei euch auch ratenzahlung?", True),
        ("kann ich das in raten abbezahlen", True),
        ("geht später bezahlen, mit paypal oder so?", True),
        ("zahl ich dann erst später?", True),
        ("kann man auch in 30 tagen zahlen", True),
        ("Is there a pay later option?", True),
        ("Do you offer instalments or pay in 3?", True),
        ("can I pay for it later with PayPal?", True),
        ("Ich habe später bezahlt, wann kommt mein Geld zurück?", False),
        ("ich schicke es später zurück", False),
        ("gibt es eine Finanzierung in Monatsraten?", True),
        ("kann ich bei euch auf raten kaufen", True),
        ("soll ich raten?", False),
        ("da bin ich bei euch gut beraten", False),
        ("Kann ich mit PayPal zahlen?", False),
    ],
)
def test_paying_later_or_in_instalments_is_recognised(text, later):
    """Held-out run 6, d18: "später zahlen, Ratenkauf?" got the methods list and "PayPal geht"."""
    assert asks_to_pay_later(text) is later


@pytest.mark.parametrize("intent", ["faq", "payment_issue", "nlu_fallback", "product_question"])
def test_a_pay_later_question_is_the_pay_later_answer(intent):
    read = read_pay_later(parse("kann ich bei euch später zahlen, in raten?", intent))
    assert read["intent"]["full_retrieval_intent_name"] == "faq/pay_later"
    assert read["context"]["read_as"] == intent


def test_other_readings_and_other_questions_are_left_alone():
    greeting = parse("später zahlen geht?", "greet")
    assert read_pay_later(greeting) is greeting
    plain = parse("Kann ich mit PayPal zahlen?", "faq")
    assert read_pay_later(plain) is plain


def test_paying_only_when_the_goods_are_there_is_a_timing_question():
    """Held-out run 7, d23: "zahl ich erst wenn das Zelt da ist?" named no "es" or "das" alone."""
    assert asks_when_to_pay("Also zahl ich erst wenn das Zelt da ist, ja?", ["Klarna-Erinnerung"])
    assert asks_when_to_pay("Zahle ich, sobald die Schuhe bei mir angekommen sind?", ["Klarna"])


def test_klarna_named_earlier_in_the_chat_keeps_the_invoice_the_subject():
    earlier = [
        "Ich habe eine Zahlungserinnerung von Klarna bekommen.",
        "anna@example.de",
        "Ist die echt?",
    ]
    assert asks_when_to_pay("Ich zahl erst wenn das Paket da ist, oder?", earlier)
    assert not asks_when_to_pay("Ich zahl erst wenn das Paket da ist, oder?", ["Hallo", "Danke"])
    # prepayment named in the message: the prepayment answer, not the invoice
    assert not asks_when_to_pay("Bei Vorkasse zahl ich vorher, oder?", earlier)


def test_a_timing_question_after_phishing_advice_is_answered_when_its_sentence_has_no_cue():
    earlier = ["Hallo, ich habe von Klarna eine Mahnung per Mail bekommen, ist die echt?"]
    asked = parse(
        "Hab nix eingegeben. Also zahl ich erst wenn das Zelt da ist?", "suspicious_message"
    )
    read = read_payment_timing(asked, earlier)
    assert read["intent"]["full_retrieval_intent_name"] == "faq/invoice_due"
    cue = parse("Muss ich über den Link in der Mail zahlen, bevor es da ist?", "suspicious_message")
    assert read_payment_timing(cue, earlier) is cue


@pytest.mark.parametrize("intent", ["frustration", "thank", "affirm"])
def test_a_pay_later_question_read_as_a_feeling_or_thanks_is_the_pay_later_answer(intent):
    """Held-out run 7, d09: "Danke. Kann ich das Zelt in Raten abzahlen?" got the frustration text."""
    text = (
        "Danke. Geht es, die Isomatte in Raten abzubezahlen? Das ist mir sonst zu viel auf einmal."
    )
    read = read_pay_later(parse(text, intent))
    assert read["intent"]["full_retrieval_intent_name"] == "faq/pay_later"


def test_a_feeling_without_a_question_keeps_its_reading():
    vent = parse("Schade, dass es bei euch keine Raten gibt.", "frustration")
    assert read_pay_later(vent) is vent


@pytest.mark.parametrize(
    "text, earlier, asks",
    [
        ("kann ich per überweisung zahlen und wann schickt ihr dann los?", [], True),
        ("wenn ich überweise, verschickt ihr erst wenn das geld da ist?", [], True),
        ("Wie läuft das bei Ihnen mit Vorkasse?", [], True),
        ("How does paying by bank transfer work, when do you ship?", [], True),
        ("wie lange haltet ihr die sachen zurück, wenn ich erst freitag überweise?", [], True),
        ("und dann geht's raus, wenn die kohle da is?", ["wie läuft das mit vorkasse?"], True),
        ("und dann geht's raus, wenn die kohle da is?", ["was kostet der versand?"], False),
        ("Ich habe am Freitag überwiesen, wann verschickt ihr?", [], False),
        ("Wann kommt mein Geld per Überweisung zurück?", [], False),
        ("Wird storniert, wenn meine Überweisung ausbleibt?", [], False),
        ("Kann ich mit Klarna zahlen, wann verschickt ihr?", [], False),
        ("Wann verschickt ihr?", [], False),
    ],
)
def test_a_question_how_prepayment_works_is_recognised(text, earlier, asks):
    assert asks_about_prepayment(text, earlier) is asks


@pytest.mark.parametrize("intent", ["faq", "order_status", "payment_issue"])
def test_a_prepayment_question_is_the_prepayment_answer_never_an_order_form(intent):
    """Held-out run 7, d20: opening hours, a refund quote and "Wie lautet deine Bestellnummer?"."""
    read = read_prepayment(parse("ihr verschickt erst wenn die überweisung da ist, oder?", intent))
    assert read["intent"]["full_retrieval_intent_name"] == "faq/prepayment"
    assert read["context"]["read_as"] == intent


def test_a_form_refused_for_a_prepayment_question_gets_the_answer():
    refused = parse("hab noch nix bestellt, wie läuft das mit überweisung?", "stop")
    refused["context"] = {"form_refused": True}
    read = read_prepayment(refused)
    assert read["intent"]["full_retrieval_intent_name"] == "faq/prepayment"
    plain_stop = parse("stop, wie läuft das mit überweisung?", "stop")
    assert read_prepayment(plain_stop) is plain_stop


def test_an_order_named_or_verified_keeps_its_own_reading():
    numbered = parse("Wann verschickt ihr 100241, wenn ich heute überweise?", "order_status")
    assert read_prepayment(numbered) is numbered
    verified = parse("Wann verschickt ihr, wenn ich heute überweise?", "order_status")
    assert read_prepayment(verified, [], "100241") is verified


def test_the_shipping_clause_the_prepayment_answer_covers_is_no_second_question():
    asked = parse("kann ich per überweisung zahlen? und wann schickt ihr dann los?", "faq")
    asked["other_requests"] = [
        {"intent": "faq", "key": "faq/opening_hours", "text": "und wann schickt ihr dann los"},
        {"intent": "product_question", "key": None, "text": "habt ihr die jacke in l"},
    ]
    read = read_prepayment(asked)
    assert [r["text"] for r in read["other_requests"]] == ["habt ihr die jacke in l"]
