"""The other questions of a message follow a reading set from its words (held-out persona run 2, d15)."""

from bot.dialogue.english_questions import read_english_question
from bot.dialogue.other_questions import settle

TWO = "Hi! Does the down jacket run small? I usually wear M. Also, can I pay with PayPal?"


def parse(text: str, intent: str, others=None):
    out = {"text": text, "intent": {"name": intent, "confidence": 0.9}}
    if others is not None:
        out["other_requests"] = others
    return out


def test_an_english_question_read_as_one_answer_lists_the_other_question_as_unknown():
    payment = {"intent": "faq", "key": "faq/payment_methods", "text": "can ich pay with paypal"}
    read = read_english_question(parse(TWO, "product_question", [payment]), True)
    assert read["intent"]["name"] == "faq"  # the payment answer, from the words
    settled = settle(read, True)
    assert settled["other_requests"] == [
        {
            "intent": "unknown",
            "key": None,
            "text": "Does the down jacket run small",
            "confidence": 0.0,
        }
    ]


def test_the_answer_given_is_not_listed_again_and_a_plain_parse_stays():
    payment = {"intent": "faq", "key": "faq/payment_methods", "text": "kann ich mit paypal zahlen"}
    read = read_english_question(
        parse("can I pay with PayPal?", "product_question", [payment]), True
    )
    assert "other_requests" not in settle(read, True)
    plain = parse("Wo ist mein Paket?", "order_status", [payment])
    assert settle(plain, False) is plain
    german = {**parse(TWO, "faq", [payment]), "response_selector": {}}
    assert settle(german, False) is german  # no key: nothing to settle
