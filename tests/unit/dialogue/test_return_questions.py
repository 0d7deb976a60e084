"""Return questions the classifier reads as payment answers or an order status
(bot/dialogue/return_questions.py, held-out runs 5 and 6)."""

import pytest

from bot.dialogue.return_questions import (
    asks_about_return,
    asks_return_cost,
    asks_return_rules,
    follows_paid_return,
    read_return_question,
    rules_key,
    swaps_size,
    wants_to_start_return,
)


def parse(text: str, intent: str, key: str | None = None) -> dict:
    out: dict = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.8},
        "intent_ranking": [{"name": intent, "confidence": 0.8}],
    }
    if key:
        out["response_selector"] = {
            "faq": {"response": {"intent_response_key": f"faq/{key}", "confidence": 0.7}}
        }
    return out


def key_of(read: dict) -> str:
    return read["intent"].get("full_retrieval_intent_name") or read["intent"]["name"]


@pytest.mark.parametrize(
    "text, asks",
    [
        ("Could I send the boots back if I paid by Klarna?", True),
        ("is returning fine when it was bought on invoice", True),
        ("kann ich das zurückschicken, obwohl ich mit Klarna bezahlt habe?", True),
        ("chan ich d Jagge zruggschicke?", True),
        ("cha me das umtuusche?", True),
        ("What is the status of my return?", False),
        ("I do not want to return it, I just want to know about Klarna", False),
        ("Wann bekomme ich mein Geld zurück?", False),
    ],
)
def test_a_question_about_sending_back_is_recognised(text, asks):
    assert asks_about_return(text) is asks


@pytest.mark.parametrize(
    "text, starts",
    [
        ("how do I start a return for it?", True),
        ("I'd like to begin the return now", True),
        ("Wie melde ich eine Rücksendung an?", True),
        ("bitte Rücksendung für 100235 anlegen", True),
        ("Can I return it within 30 days?", False),
        ("what's the status of the return I started?", False),
    ],
)
def test_starting_a_return_is_recognised(text, starts):
    assert wants_to_start_return(text) is starts


@pytest.mark.parametrize("key", ["payment_methods", "invoice_due", "checkout_payment"])
def test_a_return_beside_klarna_is_the_klarna_return_answer(key):
    """Run 6, d04: the payment word pulled the question to the list of payment methods."""
    read = read_return_question(
        parse("Could I still send the boots back if I paid by Klarna?", "faq", key), None
    )
    assert key_of(read) == "faq/return_klarna"
    assert read["context"]["read_as"] == "faq"


def test_a_return_beside_another_payment_is_the_return_policy():
    read = read_return_question(
        parse("Geht eine Rücksendung auch, wenn ich mit PayPal bezahlt habe?", "payment_issue"),
        None,
    )
    assert key_of(read) == "faq/return_policy"


@pytest.mark.parametrize("intent", ["order_status", "faq", "invoice_request"])
def test_starting_a_return_is_the_return_request(intent):
    """Run 6, d04: "how do I start the return for <order>?" got the order's payment state."""
    read = read_return_question(parse("How do I start the return for 100235?", intent), None)
    assert key_of(read) == "return_item"
    assert read["context"]["read_as"] == intent


def test_other_readings_forms_and_plain_payment_questions_are_left_alone():
    plain = parse("Which payment methods do you take?", "faq", "payment_methods")
    assert read_return_question(plain, None) is plain
    no_payment_word = parse("Can I send it back?", "faq", "payment_methods")
    assert read_return_question(no_payment_word, None) is no_payment_word
    in_form = parse("how do I start a return?", "order_status")
    assert read_return_question(in_form, "verify_form") is in_form
    other = parse("can I return it though I paid with Klarna?", "complaint")
    assert read_return_question(other, None) is other


def test_a_short_money_follow_up_to_a_paid_return_question_is_that_answer_again():
    """The answer before holds it; action_faq narrows it to the part asked about."""
    earlier = ["Would returning the boots be fine although I am paying on Klarna invoice?"]
    read = read_return_question(
        parse("Then do I still owe Klarna the money?", "faq", "payment_methods"), None, earlier
    )
    assert key_of(read) == "faq/return_klarna"


@pytest.mark.parametrize(
    "text, earlier, follows",
    [
        (
            "und muss ich die Rechnung dann trotzdem zahlen?",
            ["Kann ich trotz Klarna zurückgeben?"],
            True,
        ),
        ("Which payment methods do you take?", ["Can I send it back if I paid by PayPal?"], False),
        ("Do I still have to pay?", ["Which payment methods do you take?"], False),
        ("Do I still have to pay?", [], False),
    ],
)
def test_a_follow_up_counts_only_right_after_a_paid_return_question(text, earlier, follows):
    assert follows_paid_return(text, earlier) is follows


@pytest.mark.parametrize(
    "text, cost",
    [
        ("Und s Zruggschicke, choschtet mi das öppis?", True),
        ("Does sending the boots back cost me anything?", True),
        ("Ist die Rücksendung gratis?", True),
        ("Was kostet der Versand, und kann ich zurückschicken?", False),
        ("Can I send it back?", False),
    ],
)
def test_the_cost_of_sending_back_is_recognised(text, cost):
    assert asks_return_cost(text) is cost


def test_the_cost_of_sending_back_read_as_shipping_costs_is_the_return_answer():
    read = read_return_question(
        parse("Kostet mich das Zurückschicken etwas?", "faq", "shipping_costs"), None
    )
    assert key_of(read) == "faq/return_policy"
    shipping = parse("Was kostet der Versand nach Wien?", "faq", "shipping_costs")
    assert read_return_question(shipping, None) is shipping


def test_a_new_return_beside_a_payment_word_is_the_answer_only_when_asked_without_an_order():
    asked = parse("If I pay on Klarna invoice, could I still send the tent back?", "return_item")
    assert key_of(read_return_question(asked, None)) == "faq/return_klarna"
    with_order = parse("Can I send back order 100236? I paid with Klarna.", "return_item")
    assert read_return_question(with_order, None) is with_order
    request = parse("I want to return the boots, paid with PayPal", "return_item")
    assert read_return_question(request, None) is request


@pytest.mark.parametrize(
    "text, swap",
    [
        ("Hose Grössi 36 gäge 38 tuusche, gaht das?", True),
        ("kann ich die Jacke in L statt M umtauschen?", True),
        ("Can I exchange the fleece for size M?", False),  # no German size word: left to the model
        ("Gibt es die Jacke auch in M?", False),
        ("ich will sie nicht gegen M tauschen", False),
    ],
)
def test_a_size_swap_is_recognised(text, swap):
    assert swaps_size(text) is swap


def test_a_size_swap_read_as_a_product_question_is_a_return():
    read = read_return_question(parse("Schueh 41 gäge 42 tuusche?", "product_question"), None)
    assert key_of(read) == "return_item"
    asked = parse("Gibt es die Schuhe auch in 42?", "product_question")
    assert read_return_question(asked, None) is asked


@pytest.mark.parametrize(
    "text, rules",
    [
        ("Sollten mir die Wanderschuhe zu klein sein, kann ich sie dann umtauschen?", True),
        ("Und falls dir der Schlafsack zu kurz ist, darf man den zurückgeben?", True),
        ("if the fleece turns out too tight, could I swap it for another size?", True),
        ("In case the boots don't fit me, can they go back?", False),  # no return word
        ("In case the boots don't fit me, can I send them back?", True),
        ("Bevor ich bestelle: geht Umtausch auch im Laden?", True),
        ("Die Schuhe sind mir zu klein, kann ich sie umtauschen?", False),  # has them, says so
        ("Ich möchte die Jacke umtauschen, falls das geht.", False),  # a wish
        ("Falls die Hose aus 100235 nicht passt, kann ich sie umtauschen?", False),  # an order
        ("how do I start a return if it doesn't fit?", False),  # starts one
        ("Wenn sie nicht passt, schicke ich sie zurück.", False),  # says, does not ask
        ("Could I still send the boots back if I paid by Klarna?", False),  # the payment reader's
        ("Falls der Reißverschluss kaputt geht, kann ich die Jacke zurückgeben?", False),  # defect
    ],
)
def test_a_question_about_the_rules_before_having_anything_is_recognised(text, rules):
    assert asks_return_rules(text) is rules


@pytest.mark.parametrize(
    "text, key",
    [
        ("Sollten mir die Schuhe zu klein sein, kann ich sie umtauschen?", "exchange_policy"),
        ("if the jacket does not fit, can I swap it?", "exchange_policy"),
        ("Falls die Hose nicht passt, kann ich sie zurückschicken?", "return_policy"),
        ("If I buy it on Klarna invoice and it doesn't fit, can I send it back?", "return_klarna"),
    ],
)
def test_the_rules_asked_about_are_the_exchange_or_the_return_answer(text, key):
    assert rules_key(text) == key


@pytest.mark.parametrize("intent", ["return_item", "product_question", "nlu_fallback"])
def test_a_question_about_the_rules_read_as_a_new_return_gets_the_policy(intent):
    """Run 5, d02: a pre-sales customer was asked for the order number of a return."""
    read = read_return_question(
        parse("Falls die Schuhe zu klein sind, kannst du die dann umtauschen?", intent), None
    )
    assert key_of(read) == "faq/exchange_policy"
    assert read["context"]["read_as"] == intent


def test_a_new_return_listed_beside_a_question_about_the_rules_starts_no_form():
    """A return read in one clause is the rules' answer once; the cost of sending back is in it."""
    asked = parse(
        "kann ich die einfach zurückschicken wenn sie nicht passt? und kostet das was?",
        "faq",
        "return_policy",
    )
    asked["other_requests"] = [
        {"intent": "return_item", "key": None, "text": "kann ich die einfach zurückschicken"},
        {"intent": "faq", "key": "faq/shipping_costs", "text": "kostet das was"},
    ]
    read = read_return_question(asked, None)
    assert "other_requests" not in read
    beside = parse(
        "Liefert ihr nach Wien? Und falls es nicht passt, kann ich es umtauschen?", "faq"
    )
    beside["other_requests"] = [{"intent": "return_item", "key": None, "text": "umtauschen"}]
    read = read_return_question(beside, None)
    assert read["other_requests"][0]["key"] == "faq/exchange_policy"


def test_a_return_the_customer_wants_or_has_stays_a_return():
    wanted = parse("Die Jacke ist zu groß, ich möchte sie zurückschicken.", "return_item")
    assert read_return_question(wanted, None) is wanted
    with_order = parse("Falls die Jacke aus 100235 nicht passt, tauschen?", "return_item")
    assert read_return_question(with_order, None) is with_order
