"""A question about what to bring is no invoice request (bot/dialogue/bring_along.py, held-out run 5,
d21)."""

import pytest

from bot.dialogue.bring_along import asks_what_to_bring, read_bring_along
from tests.unit.dialogue.parses import parse


@pytest.mark.parametrize(
    "text, bring",
    [
        ("Muss ich zum Umtausch im Laden was mitbringen, Kassenbon oder Rechnung?", True),
        ("Brauch ma do a Rechnung zum Mitbringa?", True),
        ("Was sollte ich in die Filiale mitnehmen, die Rechnung?", True),
        ("Do I have to bring the invoice when I come to the shop?", True),
        ("Should I take the receipt with me?", True),
        ("Bitte schicken Sie mir die Rechnung zu 100235.", False),
        ("Könnt ihr mir die Rechnung mailen? Ich muss sie im Laden vorzeigen.", False),
        ("Ich brauche eine Rechnung für meine Steuer.", False),
        ("Kann ich die Jacke in der Filiale gleich mitnehmen?", False),  # nothing needed
    ],
)
def test_a_question_what_to_bring_is_recognised(text, bring):
    assert asks_what_to_bring(text) is bring


def test_the_invoice_named_as_a_thing_to_bring_is_a_question_for_the_help_pages():
    read = read_bring_along(
        parse("Muss ich die Rechnung mitbringen oder reicht die Nummer?", "invoice_request"), None
    )
    assert read["intent"]["name"] == "product_question"
    assert read["context"]["read_as"] == "invoice_request"


def test_an_invoice_request_listed_beside_such_a_question_is_dropped():
    asked = parse("Geht das in München? Und muss ich die Rechnung mitbringen?", "faq")
    asked["other_requests"] = [
        {"intent": "invoice_request", "key": None, "text": "muss ich die rechnung mitbringen"},
        {"intent": "faq", "key": "faq/stores", "text": "geht das in münchen"},
    ]
    read = read_bring_along(asked, None)
    assert read["intent"]["name"] == "faq"
    assert [r["intent"] for r in read["other_requests"]] == ["faq"]
    alone = dict(asked, other_requests=asked["other_requests"][:1])
    assert "other_requests" not in read_bring_along(alone, None)


def test_a_request_for_the_invoice_and_forms_are_left_alone():
    wanted = parse(
        "Schicken Sie mir bitte die Rechnung, ich muss sie mitbringen.", "invoice_request"
    )
    assert read_bring_along(wanted, None) is wanted
    in_form = parse("Muss ich die Rechnung mitbringen?", "invoice_request")
    assert read_bring_along(in_form, "verify_form") is in_form
    other = parse("Was soll ich zur Reparatur mitbringen?", "product_question")
    assert read_bring_along(other, None) is other


@pytest.mark.parametrize("intent", ["faq", "return_item", "nlu_fallback"])
def test_such_a_question_read_as_a_curated_answer_or_a_return_is_for_the_help_pages(intent):
    """No curated answer says what to bring: the return policy was quoted for it."""
    text = "Was muss ich für den Umtausch im Laden dabeihaben?"
    read = read_bring_along(parse(text, intent), None)
    assert read["intent"]["name"] == "product_question"
    assert read["context"]["read_as"] == intent
